#include <unistd.h>

#include "nexcage/backend/pct/pve_version.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/doctor/checks.hpp"

namespace nexcage::doctor {

namespace {

bool executable(const std::filesystem::path& path) {
  return ::access(path.c_str(), X_OK) == 0;
}

// One of nexcage's own binaries in libexec (backends.pct.<key> names it elsewhere).
void check_helper(Report& report, const std::string& key, const std::filesystem::path& path,
                  const std::string& without) {
  if (executable(path))
    report.add("proxmox " + key, Severity::ok, path.string() + " found");
  else
    report.add("proxmox " + key, Severity::problem, path.string() + " is missing: " + without,
               "reinstall the nexcage package, or set backends.pct." + key + " to nexcage-" + key +
                   "'s path");
}

// Every container nexcage makes has an entrypoint (pve_container_oci); Proxmox's own /dev/shm came
// in 6.1.10 (docs/backends/pct.md, "Proxmox version").
void check_pve_container_version(const Host& host, process::Runner& runner, Report& report) {
  namespace pct = backend::pct;
  std::optional<std::string> installed;
  try {
    installed = pct::installed_package_version(runner, host.pct.tools.dpkg_query,
                                               pct::pve_container_package);
  } catch (const Error& e) {
    report.add("proxmox version", Severity::problem, e.what(), e.hint());
    return;
  }
  if (!installed) {
    report.add("proxmox version", Severity::problem,
               "pve-container is not installed (asked " + host.pct.tools.dpkg_query +
                   "): pct containers cannot be created",
               "install Proxmox VE 9.1 or later");
    return;
  }
  auto at_least = [&](const char* v) {
    auto order = pct::compare_versions(*installed, v);
    return order && *order >= 0;
  };
  if (!at_least(pct::pve_container_oci))
    report.add("proxmox version", Severity::problem,
               "pve-container " + *installed + " is too old: nexcage's containers need " +
                   pct::pve_container_oci + " or later (entrypoint, env)",
               "upgrade Proxmox VE (apt update && apt full-upgrade)");
  else if (!at_least(pct::pve_container_adds_dev_shm))
    report.add("proxmox version", Severity::info,
               "pve-container " + *installed + ": supported; before " +
                   pct::pve_container_adds_dev_shm +
                   " Proxmox adds no /dev/shm, so nexcage writes the bundle's own");
  else
    report.add("proxmox version", Severity::ok, "pve-container " + *installed);
}

}  // namespace

void check_proxmox(const Host& host, process::Runner& runner, Report& report) {
  const std::vector<std::filesystem::path> tools{host.pct.tools.pct, host.pct.tools.pvesh,
                                                 host.pct.tools.lxc_info};
  std::vector<std::string> missing;
  for (const auto& tool : tools)
    if (!executable(tool)) missing.push_back(tool.string());
  // pct is what makes a Proxmox VE host; Debian's own LXC ships lxc-info too.
  if (!executable(host.pct.tools.pct)) {
    report.add("proxmox", Severity::info,
               "not a Proxmox VE host (" + host.pct.tools.pct +
                   " not found): the pct backend is unavailable here");
    return;
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    report.add("proxmox", Severity::problem, "Proxmox tools incomplete: missing " + list,
               "install pve-container and lxc-pve, or fix the tool paths in the config");
    return;
  }
  report.add("proxmox", Severity::ok, "pct, pvesh and lxc-info found");
  check_helper(report, "init", host.pct.tools.init, "pct containers cannot be created");
  check_helper(report, "monitor", host.pct.tools.monitor,
               "containerd, podman and CRI-O cannot create pct containers");
  check_pve_container_version(host, runner, report);
  std::error_code ec;
  if (!std::filesystem::is_directory(host.pct.files.template_dir, ec))
    report.add(
        "proxmox templates", Severity::problem,
        host.pct.files.template_dir + " does not exist: nexcage cannot store rootfs templates",
        "create it (mkdir -p " + host.pct.files.template_dir +
            ") or configure a storage with vztmpl content");
  else if (::access(host.pct.files.template_dir.c_str(), W_OK) != 0)
    report.add("proxmox templates", Severity::problem,
               host.pct.files.template_dir + " is not writable",
               "check its permissions (root must be able to write templates)");
  else
    report.add("proxmox templates", Severity::ok, host.pct.files.template_dir + " is writable");
}

}  // namespace nexcage::doctor
