#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/lifecycle/context.hpp"
#include "nexcage/lifecycle/operation_log.hpp"
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
  auto strictness = strictness_for(command);
  bool strict = strictness == router::Strictness::strict;
  auto bad = strict ? BadValue::fail : BadValue::warn;
  auto environment = process_environment();
  const auto& flags = options.settings;
  auto config = router::load_config(flags.config, environment(env::config), strictness);

  Settings settings;
  settings.config = config_file_setting(flags, environment);
  settings.log = resolve_log(flags, environment, &config, bad);
  open_log(settings.log, options.quiet, strict);
  settings.default_backend = resolve_default_backend(environment, config, bad);
  config.default_backend = settings.default_backend.value;
  settings.metrics = resolve_metrics(config);

  backend::Globals globals;
  try {
    settings.root = resolve_root(flags, environment, config, state::this_caller(), bad);
  } catch (const Error&) {
    if (command != "version") throw;
    // --version reads no state: a caller without a root may ask too
    settings.root = Setting<std::string>{state::default_root, Source::built_in, "built-in"};
  }
  globals.root = settings.root.value;
  globals.systemd_cgroup = options.systemd_cgroup;
  globals.debug = settings.log.level.value == log::Level::debug;
  // A bare name is runc's to look up in PATH, as runc's own --criu criu is.
  globals.criu = options.criu.find('/') == std::string::npos
                     ? options.criu
                     : fs::absolute_path(options.criu).string();
  globals.log_file = settings.log.file.value;
  globals.log_format = settings.log.format.value;
  finish_operations_into(globals.root, settings.metrics.value);
  Context context(std::move(config), std::move(globals), options.backend, process::system_runner());
  context.set_settings(std::move(settings));
  return context;
}

}  // namespace nexcage::lifecycle
