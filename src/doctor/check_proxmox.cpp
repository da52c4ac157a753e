#include <unistd.h>

#include "nexcage/doctor/doctor.hpp"

namespace nexcage::doctor {

namespace {

bool executable(const std::filesystem::path& path) { return ::access(path.c_str(), X_OK) == 0; }

}  // namespace

void check_proxmox(const Host& host, Report& report) {
  const std::vector<std::filesystem::path> tools{host.pct, host.pvesh, host.lxc_info};
  std::vector<std::string> missing;
  for (const auto& tool : tools)
    if (!executable(tool)) missing.push_back(tool.string());
  // pct is what makes a Proxmox VE host; Debian's own LXC ships lxc-info too.
  if (!executable(host.pct)) {
    report.add("proxmox", Severity::info, "not a Proxmox VE host (" + host.pct.string() +
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
  if (!executable(host.init))
    report.add("proxmox init", Severity::problem,
               host.init.string() + " is missing: pct containers cannot be created",
               "reinstall the nexcage package, or set backends.pct.init to nexcage-init's path");
  else
    report.add("proxmox init", Severity::ok, host.init.string() + " found");
  std::error_code ec;
  if (!std::filesystem::is_directory(host.template_cache, ec))
    report.add("proxmox templates", Severity::problem,
               host.template_cache.string() + " does not exist: nexcage cannot store rootfs templates",
               "create it (mkdir -p " + host.template_cache.string() + ") or configure a storage with vztmpl content");
  else if (::access(host.template_cache.c_str(), W_OK) != 0)
    report.add("proxmox templates", Severity::problem, host.template_cache.string() + " is not writable",
               "check its permissions (root must be able to write templates)");
  else
    report.add("proxmox templates", Severity::ok, host.template_cache.string() + " is writable");
}

}  // namespace nexcage::doctor
