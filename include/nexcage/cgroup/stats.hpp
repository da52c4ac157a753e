#pragma once
// Statistics of the cgroups holding a process, in the shape of runc's `events --stats` data
// (libcontainer types.Stats): cpu, memory, pids, blkio. Used for backends without `events`.
// Values come from v1 controller files (memory.usage_in_bytes, cpuacct.usage, ...) where memory or
// cpuacct is a v1 hierarchy, else from the v2 files (memory.current, cpu.stat, ...). A file that
// is missing or unreadable (a controller not enabled there, memory.peak before Linux 5.19) reads
// as 0, and "max" (unlimited) as 0, as runc reports an unlimited pids limit.
#include <nlohmann/json.hpp>

#include "nexcage/cgroup/layout.hpp"

namespace nexcage::cgroup {

nlohmann::json stats(const Dirs& dirs);

// The statistics of the cgroups of `pid`; throws Error(wrong_state, not running) when the process
// is gone.
nlohmann::json stats(int pid, const Host& host = Host::system());

}  // namespace nexcage::cgroup
