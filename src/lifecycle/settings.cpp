#include "nexcage/lifecycle/settings.hpp"

#include <cstdlib>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::lifecycle {

namespace {

// An environment variable's value that cannot be used (see BadValue): the next source decides.

bool refuse(BadValue bad, const char* name, const std::string& value, const std::string& why) {
  Error e(ErrorKind::usage, std::string(name) + "=\"" + value + "\" " + why,
          "fix or unset " + std::string(name) + " (docs/configuration.md)");
  if (bad == BadValue::fail) throw e;
  if (bad == BadValue::warn) log::warn(std::string("ignoring ") + e.what());
  return false;
}

std::optional<std::string> read(const Environment& environment, const char* name) {
  const char* value = environment(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

template <class T>
Setting<T> from_flag(T value, const char* flag) {
  return Setting<T>{std::move(value), Source::flag, flag};
}

template <class T>
Setting<T> from_env(T value, const char* name) {
  return Setting<T>{std::move(value), Source::environment, name};
}

template <class T>
Setting<T> from_config(T value, const router::Config& config, const char* key) {
  return Setting<T>{std::move(value), Source::config_file, config.source + ": " + key};
}

template <class T>
Setting<T> built_in(T value) {
  return Setting<T>{std::move(value), Source::built_in, "built-in"};
}

std::optional<log::Format> parse_format(const std::string& text) {
  if (text == "text") return log::Format::text;
  if (text == "json") return log::Format::json;
  return std::nullopt;
}

}  // namespace

std::string to_string(Source source) {
  switch (source) {
    case Source::flag:
      return "flag";
    case Source::environment:
      return "environment";
    case Source::config_file:
      return "config file";
    case Source::built_in:
      return "default";
  }
  return "default";
}

Environment process_environment() {
  return [](const char* name) { return std::getenv(name); };
}

Setting<std::string> config_file_setting(const SettingFlags& flags,
                                         const Environment& environment) {
  if (flags.config) return from_flag(*flags.config, "--config");
  if (auto value = read(environment, env::config)) return from_env(*value, env::config);
  return built_in(std::string(router::default_config_path));
}

LogSettings resolve_log(const SettingFlags& flags, const Environment& environment,
                        const router::Config* config, BadValue bad) {
  LogSettings log;
  if (!flags.log.empty()) {
    log.file = from_flag(fs::absolute_path(flags.log).string(), "--log");
  } else if (auto value = read(environment, env::log);
             value &&
             ((*value)[0] == '/' || refuse(bad, env::log, *value, "is not an absolute path"))) {
    log.file = from_env(*value, env::log);
  } else if (config != nullptr && config->log.file) {
    log.file = from_config(*config->log.file, *config, "log.file");
  } else {
    log.file = built_in(std::string());
  }

  std::optional<log::Format> format;
  if (flags.log_format && (format = parse_format(*flags.log_format))) {
    log.format = from_flag(*format, "--log-format");
  } else if (auto value = read(environment, env::log_format);
             value && ((format = parse_format(*value)) ||
                       refuse(bad, env::log_format, *value, "is not text or json"))) {
    log.format = from_env(*format, env::log_format);
  } else if (config != nullptr && config->log.format) {
    log.format = from_config(*config->log.format, *config, "log.format");
  } else {
    log.format = built_in(log::Format::text);
  }

  std::optional<log::Level> level;
  if (flags.debug) {
    log.level = from_flag(log::Level::debug, "--debug");
  } else if (flags.log_level && (level = log::parse_level(*flags.log_level))) {
    log.level = from_flag(*level, "--log-level");
  } else if (auto value = read(environment, env::log_level);
             value &&
             ((level = log::parse_level(*value)) ||
              refuse(bad, env::log_level, *value, "is not one of error, warning, info, debug"))) {
    log.level = from_env(*level, env::log_level);
  } else if (config != nullptr && config->log.level) {
    log.level = from_config(*config->log.level, *config, "log.level");
  } else {
    // A file the caller gave with --log gets what runc writes there (its errors and warnings:
    // podman reads the whole file as one JSON object); an admin's own file gets one record per
    // command.
    bool admins_file = !log.file.value.empty() && log.file.source != Source::flag;
    log.level = built_in(admins_file ? log::Level::info : log::Level::warning);
  }
  return log;
}

Setting<std::string> resolve_root(const SettingFlags& flags, const Environment& environment,
                                  const router::Config& config, const state::Caller& caller,
                                  BadValue bad) {
  if (!flags.root.empty())
    return from_flag(state::choose_state_root(flags.root, config.root, caller).string(), "--root");
  if (auto value = read(environment, env::root);
      value && ((*value)[0] == '/' || refuse(bad, env::root, *value, "is not an absolute path")))
    return from_env(state::choose_state_root(*value, config.root, caller).string(), env::root);
  auto root = state::choose_state_root("", config.root, caller).string();
  if (state::uses_runtime_dir(caller))
    return Setting<std::string>{root, Source::built_in, "$XDG_RUNTIME_DIR/nexcage"};
  if (config.root) return from_config(root, config, "root");
  return built_in(root);
}

Setting<std::optional<std::string>> resolve_default_backend(const Environment& environment,
                                                            const router::Config& config,
                                                            BadValue bad) {
  if (auto value = read(environment, env::default_backend);
      value &&
      (config.backends.count(*value) != 0 ||
       refuse(bad, env::default_backend, *value, "is not a configured backend (runc, crun, pct)")))
    return from_env(std::optional<std::string>(*value), env::default_backend);
  if (config.default_backend) return from_config(config.default_backend, config, "default_backend");
  return built_in(std::optional<std::string>());
}

Setting<bool> resolve_metrics(const router::Config& config) {
  if (config.metrics.enabled)
    return from_config(*config.metrics.enabled, config, "metrics.enabled");
  return built_in(true);
}

}  // namespace nexcage::lifecycle
