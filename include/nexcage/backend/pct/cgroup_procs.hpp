#pragma once
// The cgroups of an LXC container and what they hold, read without spawning anything. LXC puts
// a container under one cgroup per hierarchy, named differently by layout:
//
//   Proxmox VE 7+ (pure cgroup v2):  /sys/fs/cgroup/lxc/<vmid>          limits (memory.max, ...)
//                                    /sys/fs/cgroup/lxc/<vmid>/ns/...   the processes (the root
//                                                                       of the CT's cgroup
//                                                                       namespace)
//   LXC 4+ defaults (the hybrid test hosts, any layout):
//                                    /sys/fs/cgroup/<hierarchy>/lxc.payload.<name>[-N]/...
//
// (the LXC name of a Proxmox container is its VMID). The container's cgroup is found by walking up
// from one of its processes' cgroups (/proc/<pid>/cgroup, resolved through the mount table) to the
// outermost such segment. A process whose cgroups contain none is refused: signalling or listing
// "its" cgroup would reach processes outside the container (a caller's shim, nexcage itself).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nexcage/backend/cgroup_events.hpp"
#include "nexcage/cgroup/layout.hpp"
#include "nexcage/state/record.hpp"

namespace nexcage::backend::pct {

// The LXC container cgroup within one cgroup path ("/lxc/100/ns/init.scope" -> "/lxc/100",
// "/lxc.payload.100-1/x" -> "/lxc.payload.100-1"); with `vmid`, only that container's name
// matches. nullopt when the path is in no LXC container.
std::optional<std::string> container_cgroup_path(const std::string& path,
                                                 std::optional<uint32_t> vmid);

// The container's cgroup directories, from the cgroups of `pid` (one of its processes, normally
// the init). Throws Error(wrong_state, not running) when the process is gone, Error(invalid_input)
// when it is in no LXC container's cgroup (or not in VMID `vmid`'s).
cgroup::Dirs container_cgroups(int pid, std::optional<uint32_t> vmid,
                               const cgroup::Host& host = cgroup::Host::system());

// Every pid in the container's cgroup and in every cgroup below it (a system container's own init
// puts its services in sibling cgroups of its own), sorted, without duplicates. Read from the v2
// hierarchy when the container has a directory there, else from a v1 one (pids, freezer, ...).
std::vector<int> container_processes(const cgroup::Dirs& dirs);
std::vector<int> cgroup_processes(int init_pid, const cgroup::Host& host = cgroup::Host::system());

// runc-shaped statistics of the container cgroup (where Proxmox writes the limits).
nlohmann::json container_stats(const cgroup::Dirs& dirs);

// The statistics reader of a pct record for `events`: the LXC container's cgroup (its recorded
// VMID's when there is one), where Proxmox writes the limits, above the cgroup the init is in.
// Both references must outlive the reader.
StatsReader container_stats_reader(const state::Record& record, const cgroup::Host& host);

// True when the container is frozen (lxc-freeze): v1 freezer.state FROZEN, or v2 cgroup.events
// "frozen 1", of the container cgroup. Missing or unreadable files read as not frozen.
bool container_frozen(const cgroup::Dirs& dirs);

}  // namespace nexcage::backend::pct
