#include <sstream>

#include "nexcage/core/text.hpp"
#include "nexcage/doctor/checks.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::doctor {

namespace {

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

void check_cgroups(const router::Config& config, const Host& host, Report& report) {
  auto mounts = read_mounts(host.mounts);
  const std::string root = host.cgroup_root.string();
  std::optional<Mount> v2;
  int v1 = 0;
  for (const auto& m : mounts) {
    if (m.point != root && m.point.rfind(root + "/", 0) != 0) continue;
    if (m.type == "cgroup2") v2 = m;
    if (m.type == "cgroup") ++v1;
  }
  if (v2 && v2->point == root) {
    report.add("cgroups", Severity::ok, "unified hierarchy (cgroup v2) at " + root);
    return;
  }
  if (!v2) {
    if (v1 == 0)
      report.add("cgroups", Severity::problem, "no cgroup hierarchy mounted under " + root,
                 "mount cgroup2 at " + root + " (mount -t cgroup2 none " + root + ")");
    else
      report.add("cgroups", Severity::ok, "legacy hierarchies (cgroup v1) under " + root);
    return;
  }
  // Hybrid: v1 controllers plus a cgroup2 mount. crun 1.8 refuses it while cgroup2 holds any
  // controller ("cgroups in hybrid mode not supported").
  std::string text;
  fs::read_proc_file(std::filesystem::path(v2->point) / "cgroup.controllers", text, 4096);
  auto held = words(text);
  if (held.empty()) {
    report.add("cgroups", Severity::ok,
               "hybrid (cgroup v1 + cgroup2 at " + v2->point +
                   " holding no controller): runc and crun both work");
    return;
  }
  bool crun_configured = config.backends.count("crun") > 0;
  std::string message = "hybrid (cgroup v1 + cgroup2 at " + v2->point + " holding " +
                        join(held, " ") +
                        "): crun refuses this (\"cgroups in hybrid mode not supported\")";
  std::string fix = "move " + join(held, " ") + " to v1: echo -" + held.front() + " > " +
                    v2->point + "/cgroup.subtree_control, then mount -t cgroup -o " + held.front() +
                    " cgroup " + root + "/" + held.front() +
                    " (scripts/setup-test-host.sh does this)";
  report.add("cgroups", crun_configured ? Severity::problem : Severity::info, message,
             crun_configured ? fix : "");
}

}  // namespace nexcage::doctor
