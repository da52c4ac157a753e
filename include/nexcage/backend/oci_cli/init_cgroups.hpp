#pragma once
// Where a container's init is in the cgroup hierarchies its freezer lives in, noted in the record
// (backend_state.init_cgroups) when the record names the init, so that `list` and `state` read the
// freezer directly rather than /proc/<pid>/cgroup for every container. runc and crun pause that
// same cgroup: the one they created the init in, which they keep in their own state for the same
// reason.
#include <optional>

#include <nlohmann/json.hpp>

#include "nexcage/cgroup/layout.hpp"
#include "nexcage/state/record.hpp"

namespace nexcage::backend::oci_cli {

inline constexpr const char* init_cgroups_key = "init_cgroups";

// {"freezer": <v1 freezer path>, "unified": <v2 path>} of a process, as /proc/<pid>/cgroup names
// them, each only where that hierarchy holds it; nullopt when the process is gone.
std::optional<nlohmann::json> init_cgroups_of(int pid, const cgroup::Host& host);

// The directories that record.backend_state.init_cgroups names, through the host's mounts; nullopt
// for a record without them (saved by an older nexcage). Throws Error(invalid_input) naming the
// field when they are not an object of cgroup paths under those two keys; the driver then warns
// and reads /proc instead.
std::optional<cgroup::Dirs> recorded_init_cgroups(const state::Record& record,
                                                  const cgroup::Host& host);

}  // namespace nexcage::backend::oci_cli
