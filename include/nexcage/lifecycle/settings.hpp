#pragma once
// The settings a command runs with, each decided by the first of: a flag, an environment variable,
// the config file, the built-in default (docs/configuration.md, "Where each setting comes from").
// `nexcage config` shows each value with where it came from.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "nexcage/core/log.hpp"
#include "nexcage/router/config.hpp"
#include "nexcage/state/root_choice.hpp"

namespace nexcage::lifecycle {

enum class Source { flag, environment, config_file, built_in };
std::string to_string(Source source);  // "flag", "environment", "config file", "default"

template <class T>
struct Setting {
  T value{};
  Source source = Source::built_in;
  std::string origin;  // "--root", "NEXCAGE_ROOT", "/etc/nexcage/config.json: root", "built-in"
};

// The environment variables, one per setting.
namespace env {
inline constexpr const char* config = "NEXCAGE_CONFIG";
inline constexpr const char* root = "NEXCAGE_ROOT";
inline constexpr const char* default_backend = "NEXCAGE_DEFAULT_BACKEND";
inline constexpr const char* log = "NEXCAGE_LOG";
inline constexpr const char* log_format = "NEXCAGE_LOG_FORMAT";
inline constexpr const char* log_level = "NEXCAGE_LOG_LEVEL";
}  // namespace env

// A variable's value, or nullptr when unset; empty values count as unset.
using Environment = std::function<const char*(const char* name)>;
// getenv(3).
Environment process_environment();

// The global flags that decide settings, as given (nullopt / empty: not given).
struct SettingFlags {
  std::optional<std::string> config;
  std::string root;
  std::string log;
  std::optional<std::string> log_format;
  std::optional<std::string> log_level;
  bool debug = false;
};

// Where the log goes: decided before the config file is read (so its errors are logged), then
// again with it.
struct LogSettings {
  Setting<std::string> file;  // empty: no log file
  Setting<log::Format> format;
  Setting<log::Level> level;
};

struct Settings {
  Setting<std::string> config;  // the file named, even when absent (then: built-in defaults)
  Setting<std::string> root;
  Setting<std::optional<std::string>> default_backend;  // none: the first of runc, crun found
  LogSettings log;
  Setting<bool> metrics;
};

// The config file to read: --config, else NEXCAGE_CONFIG, else the default path.
Setting<std::string> config_file_setting(const SettingFlags& flags, const Environment& environment);

// What an environment variable that cannot be used does: stops the command (create and run, which
// route by the settings), is warned about, or (a first look, repeated once the config is read)
// is passed over in silence. Each time the next source decides instead.
enum class BadValue { fail, warn, skip };

// The log settings. Without `config` (not read yet) only flags, environment and defaults count.
// A log file named by --log is made absolute against the working directory.
LogSettings resolve_log(const SettingFlags& flags, const Environment& environment,
                        const router::Config* config, BadValue bad);

// The state root: --root, else NEXCAGE_ROOT, else runc's rule for unprivileged callers
// ($XDG_RUNTIME_DIR/nexcage), else the config file's root, else /run/nexcage. Throws as
// state::choose_state_root does.
Setting<std::string> resolve_root(const SettingFlags& flags, const Environment& environment,
                                  const router::Config& config, const state::Caller& caller,
                                  BadValue bad);

// The default backend: NEXCAGE_DEFAULT_BACKEND (a backend the config knows), else the config's
// default_backend, else none.
Setting<std::optional<std::string>> resolve_default_backend(const Environment& environment,
                                                            const router::Config& config,
                                                            BadValue bad);

// Whether commands count themselves in <root>/.metrics: the config's metrics.enabled, else on.
Setting<bool> resolve_metrics(const router::Config& config);

}  // namespace nexcage::lifecycle
