#pragma once
#include <nlohmann/json.hpp>

#include "nexcage/backend/backend.hpp"
#include "nexcage/lifecycle/context.hpp"
#include "nexcage/state/record.hpp"

namespace nexcage::lifecycle {

// The status as it is now, not as last recorded: a dead init (or a reused pid) reads as stopped
// with pid 0; a create that died reads as stopped.
struct View {
  state::Status status = state::Status::stopped;
  int pid = 0;
};

View observe(const Context& ctx, const state::Record& record, const backend::Backend& backend);

// runc's state object: ociVersion, id, pid, status, bundle, rootfs, created, annotations (only
// when non-empty), owner.
nlohmann::ordered_json state_object(const state::Record& record, const View& view,
                                    const std::string& owner);

}  // namespace nexcage::lifecycle
