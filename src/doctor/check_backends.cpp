#include <set>

#include "nexcage/core/search_path.hpp"
#include "nexcage/doctor/checks.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::doctor {

namespace {

// Backends the configuration sends containers to explicitly: missing ones break creates.
std::set<std::string> named_by_config(const router::Config& config) {
  std::set<std::string> named;
  if (config.default_backend) named.insert(*config.default_backend);
  for (const auto& rule : config.rules) named.insert(rule.backend);
  return named;
}

}  // namespace

void check_backends(const router::Config& config, process::Runner& runner, Report& report) {
  auto named = named_by_config(config);
  int usable = 0;
  for (const auto& [name, backend] : config.backends) {
    const std::string check = "backend " + name;
    if (!fs::is_executable_file(backend.path)) {
      if (named.count(name))
        report.add(
            check, Severity::problem,
            backend.path + " is missing or not executable, and the config routes containers to it",
            "install it (apt install " + name + ") or set backends." + name + ".path");
      else
        report.add(check, Severity::info,
                   backend.path + " not installed; containers are not routed to it");
      continue;
    }
    if (name == "pct") {
      // Proxmox's pct has no --version (it would answer "unknown command"); check_proxmox checks
      // the rest of the Proxmox tools.
      ++usable;
      report.add(check, Severity::ok,
                 backend.path + " is executable (Proxmox VE; pveversion reports its version)");
      continue;
    }
    process::Command version;
    version.path = backend.path;
    version.argv = {backend.path, "--version"};
    version.env = {tool_path_env, "LC_ALL=C"};
    auto result = runner.capture(version);
    auto first = result.out.substr(0, result.out.find('\n'));
    if (result.exit.code() != 0 || first.empty()) {
      report.add(
          check, Severity::problem,
          backend.path + " --version failed (exit " + std::to_string(result.exit.code()) + ")",
          "reinstall " + name + " or point backends." + name + ".path at a working binary");
      continue;
    }
    ++usable;
    report.add(check, Severity::ok, backend.path + ": " + first);
  }
  if (usable == 0)
    report.add("backends", Severity::problem,
               "no backend is usable: nexcage cannot create containers",
               "apt install crun (or runc)");
}

}  // namespace nexcage::doctor
