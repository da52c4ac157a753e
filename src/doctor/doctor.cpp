#include "nexcage/doctor/doctor.hpp"

#include "nexcage/fs/files.hpp"
#include "nexcage/lifecycle/context.hpp"

namespace nexcage::doctor {

Report examine(const Options& options, const Host& host, process::Runner& runner) {
  Report report;
  auto config = check_config(options, report);
  check_backends(config, runner, report);
  check_cgroups(config, host, report);
  std::filesystem::path root =
      !options.root.empty() ? options.root : config.root.value_or(lifecycle::default_root);
  root = fs::absolute_path(root);
  check_state_root(root, host, report);
  check_records(root, config, options.repair, report);
  check_proxmox(host, report);
  return report;
}

}  // namespace nexcage::doctor
