#include "nexcage/doctor/checks.hpp"

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/state/root_choice.hpp"

namespace nexcage::doctor {

namespace {

// Tool paths the admin configured for the pct backend replace the Proxmox defaults; a host
// layout given by a test stays as it is when the config leaves pct alone.
Host with_configured_pct(Host host, const router::Config& config, Report& report) {
  auto it = config.backends.find("pct");
  if (it == config.backends.end()) return host;
  const auto& pct = it->second;
  if (pct.path == router::default_config().backends.at("pct").path && pct.options.empty())
    return host;
  try {
    host.pct = backend::pct::parse_driver_config(pct);
    // Proxmox keeps storage.cfg at the top of /etc/pve, of which lxc/ is a subdirectory (a
    // symlink to nodes/<node>/lxc, so the parent is taken by name, not resolved).
    host.storage_cfg =
        std::filesystem::path(host.pct.files.config_dir).parent_path() / "storage.cfg";
  } catch (const Error& e) {
    report.add("proxmox", Severity::problem, std::string("backends.pct: ") + e.what(), e.hint());
  }
  return host;
}

}  // namespace

Report examine(const Options& options, const Host& default_host, process::Runner& runner) {
  Report report;
  auto config = check_config(options, report);
  auto host = with_configured_pct(default_host, config, report);
  check_backends(config, runner, report);
  check_cgroups(config, host, report);
  auto root = state::choose_state_root(options.root, config.root, state::this_caller());
  check_state_root(root, host, report);
  check_records(root, config, host, runner, options.repair, report);
  check_images(config, report);
  check_proxmox(host, runner, report);
  if (std::filesystem::exists(host.pct.tools.pct)) {
    check_pve_storages(host, report);
    check_pct_templates(host, report);
  }
  return report;
}

Report examine(const Options& options) {
  return examine(options, Host{}, process::system_runner());
}

}  // namespace nexcage::doctor
