#pragma once
// `events` for backends that have none of their own (crun 1.8, pct): runc-shaped stats events
// read from the container's cgroups, one JSON line per interval on stdout.
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "nexcage/cgroup/layout.hpp"
#include "nexcage/state/record.hpp"

namespace nexcage::backend {

// One reading of the statistics (the "data" of a stats event).
using StatsReader = std::function<nlohmann::json()>;

// The statistics of the init's own cgroups, where runc and crun write the limits. Both references
// must outlive the reader.
StatsReader init_cgroup_stats(const state::Record& record, const cgroup::Host& host);

// Returns the exit code; throws "container not running" once the init is gone.
int stream_cgroup_events(const state::Record& record, bool stats, const std::string& interval,
                         const StatsReader& read);
// The same with init_cgroup_stats() on the running system.
int stream_cgroup_events(const state::Record& record, bool stats, const std::string& interval);

}  // namespace nexcage::backend
