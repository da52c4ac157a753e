#pragma once
// Starts nexcage-monitor (src/pct_monitor/) for a created pct container: the pid an OCI caller
// waits for. See stdio_protocol.hpp for what it does and why.
#include <cstdint>
#include <string>

namespace nexcage::backend::pct {

// Spawns `monitor` as a child of this process in a session of its own, with /dev/null as its
// stdio (the container holds the caller's), and waits until it traces the init with pid
// `init_pid` started at `init_start_time`. Returns its pid; throws Error(backend) with the
// monitor's own reason when it could not trace the init.
int launch_monitor(const std::string& monitor, const std::string& id, int init_pid,
                   uint64_t init_start_time);

}  // namespace nexcage::backend::pct
