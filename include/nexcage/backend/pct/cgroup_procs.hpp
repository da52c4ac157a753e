#pragma once
// The processes of an LXC container, read from the cgroup of its init (and every cgroup below
// it, where a system container's own init puts its services). No process is spawned.
#include <string>
#include <vector>

namespace nexcage::backend::pct {

std::vector<int> cgroup_processes(int init_pid, const std::string& cgroup_root = "/sys/fs/cgroup");

}  // namespace nexcage::backend::pct
