#pragma once
// What every operation needs: configuration, global options, the state store, and a way to get
// the driver of a backend. Opened once per command from the global flags (open_context).
#include <memory>
#include <optional>
#include <string>

#include "nexcage/backend/backend.hpp"
#include "nexcage/lifecycle/settings.hpp"
#include "nexcage/process/runner.hpp"
#include "nexcage/router/config.hpp"
#include "nexcage/state/state_store.hpp"

namespace nexcage::lifecycle {

inline constexpr const char* oci_spec_version = "1.2.0";

class Context {
 public:
  Context(router::Config config, backend::Globals globals, std::optional<std::string> backend_flag,
          process::Runner& runner);

  const router::Config& config() const { return config_; }
  const backend::Globals& globals() const { return globals_; }
  const std::optional<std::string>& backend_flag() const { return backend_flag_; }
  const Settings& settings() const { return settings_; }
  void set_settings(Settings settings) { settings_ = std::move(settings); }
  process::Runner& runner() const { return runner_; }
  const state::StateStore& store() const { return store_; }
  state::StateStore& store() { return store_; }

  // The driver of a configured backend (by name, as recorded or routed).
  std::unique_ptr<backend::Backend> backend(const std::string& name) const;
  // The driver of the backend recorded for a container; a --backend given to a later command
  // must name that same backend.
  std::unique_ptr<backend::Backend> backend_of(const state::Record& record) const;

 private:
  router::Config config_;
  backend::Globals globals_;
  std::optional<std::string> backend_flag_;
  Settings settings_;
  process::Runner& runner_;
  state::StateStore store_;
};

// The global flags as the command line gave them, before anything is decided from them.
struct GlobalOptions {
  SettingFlags settings;  // --config, --root, --log, --log-format, --log-level, --debug
  std::optional<std::string> backend;  // --backend
  bool quiet = false;
  bool systemd_cgroup = false;
  std::string criu;  // --criu: a path, or a bare name for the backend's PATH
};

// Reads the config file (strictly for create and run, which route by it; every other command
// only warns, since it manages containers that already exist), decides every setting (and opens
// the log they name), chooses the state root and makes the context of `command` on the running
// system. The command's record (core/operation.hpp) is then logged and counted when it ends.
Context open_context(const GlobalOptions& options, const std::string& command);

}  // namespace nexcage::lifecycle
