#pragma once
// `events` for backends that have none of their own (crun 1.8, pct): runc-shaped stats events
// read from the init's cgroups, one JSON line per interval on stdout.
#include <string>

#include "nexcage/state/record.hpp"

namespace nexcage::backend {

// Returns the exit code; throws "container not running" once the init is gone.
int stream_cgroup_events(const state::Record& record, bool stats, const std::string& interval);

}  // namespace nexcage::backend
