#pragma once
// Whether a process's cgroup is frozen (paused), as runc and LXC freeze it.
#include "nexcage/cgroup/layout.hpp"

namespace nexcage::cgroup {

// True when the freezer of the cgroup holding `pid` is frozen: v1 freezer.state FROZEN where the
// v1 freezer holds it, else v2 cgroup.events "frozen 1" (both the effective state, so a frozen
// ancestor counts). A process that is gone, or a freezer file that is missing or unreadable,
// reads as not frozen.
bool is_frozen(const Dirs& dirs);
bool is_frozen(int pid, const Host& host);
bool is_frozen(int pid);  // Host::system()

}  // namespace nexcage::cgroup
