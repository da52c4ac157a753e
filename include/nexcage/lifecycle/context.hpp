#pragma once
// What every operation needs: configuration, global options, the state store, and a way to get
// the driver of a backend. Built once by the CLI layer.
#include <memory>
#include <optional>
#include <string>

#include "nexcage/backend/backend.hpp"
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
  process::Runner& runner_;
  state::StateStore store_;
};

}  // namespace nexcage::lifecycle
