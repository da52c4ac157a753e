#pragma once
// Statistics of the cgroups holding a process, in the shape of runc's `events --stats` data
// (libcontainer types.Stats): cpu, memory, pids, blkio. Used for backends without `events`.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace nexcage::process {

// controller -> cgroup path, from the content of /proc/<pid>/cgroup ("" key: the v2 path).
std::map<std::string, std::string> parse_proc_cgroup(const std::string& content);

// Reads the statistics of the cgroups of `pid` below `cgroup_root` (normally /sys/fs/cgroup).
nlohmann::json cgroup_stats(int pid, const std::string& cgroup_root = "/sys/fs/cgroup");

}  // namespace nexcage::process
