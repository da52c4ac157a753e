#include <cstdlib>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/lifecycle/context.hpp"
#include "nexcage/state/root_choice.hpp"

namespace nexcage::lifecycle {

namespace {

// create and run route by the config file, so any problem in it stops them, and image changes
// the store it names; every other command manages containers that exist and use their recorded
// backend, so a typo only warns.
router::Strictness strictness_for(const std::string& command) {
  return command == "create" || command == "run" || command == "image"
             ? router::Strictness::strict
             : router::Strictness::lenient;
}

}  // namespace

Context open_context(const GlobalOptions& options, const std::string& command) {
  auto config =
      router::load_config(options.config, std::getenv(router::config_env), strictness_for(command));
  backend::Globals globals;
  try {
    globals.root = state::choose_state_root(options.root, config.root, state::this_caller());
  } catch (const Error&) {
    if (command != "version") throw;
    globals.root =
        state::default_root;  // --version reads no state: a caller without a root may ask too
  }
  globals.systemd_cgroup = options.systemd_cgroup;
  globals.debug = options.debug;
  // A bare name is runc's to look up in PATH, as runc's own --criu criu is.
  globals.criu = options.criu.find('/') == std::string::npos
                     ? options.criu
                     : fs::absolute_path(options.criu).string();
  globals.log_file = options.log.empty() ? std::string() : fs::absolute_path(options.log).string();
  globals.log_format = options.log_json ? log::Format::json : log::Format::text;
  return Context(std::move(config), std::move(globals), options.backend, process::system_runner());
}

}  // namespace nexcage::lifecycle
