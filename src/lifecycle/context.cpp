#include "nexcage/lifecycle/context.hpp"

#include "nexcage/backend/registry.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/operation.hpp"

namespace nexcage::lifecycle {

Context::Context(router::Config config, backend::Globals globals,
                 std::optional<std::string> backend_flag, process::Runner& runner)
    : config_(std::move(config)),
      globals_(std::move(globals)),
      backend_flag_(std::move(backend_flag)),
      runner_(runner),
      store_(globals_.root) {}

std::unique_ptr<backend::Backend> Context::backend(const std::string& name) const {
  auto it = config_.backends.find(name);
  if (it == config_.backends.end()) {
    std::string names;
    for (const auto& [n, b] : config_.backends) names += (names.empty() ? "" : ", ") + n;
    throw Error(ErrorKind::invalid_input, "unknown backend \"" + name + "\"",
                "configured backends: " + names);
  }
  return backend::make_backend(it->second, globals_, runner_);
}

std::unique_ptr<backend::Backend> Context::backend_of(const state::Record& record) const {
  if (backend_flag_ && *backend_flag_ != record.backend)
    throw Error(ErrorKind::usage,
                "container " + record.id + " was created with backend \"" + record.backend +
                    "\", not \"" + *backend_flag_ + "\"",
                "drop --backend or pass --backend " + record.backend);
  auto driver = backend(record.backend);
  operation::note_id(record.id);
  operation::note_backend(record.backend);
  if (const auto* life = driver->outside_life())
    if (auto vmid = life->outside_id(record)) operation::note_vmid(*vmid);
  return driver;
}

}  // namespace nexcage::lifecycle
