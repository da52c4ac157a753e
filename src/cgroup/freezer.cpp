#include "nexcage/cgroup/freezer.hpp"

#include <sstream>

#include "nexcage/core/text.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::cgroup {

bool is_frozen(const Dirs& dirs) {
  // Where the v1 freezer holds the process, LXC and runc freeze through it (a hybrid host's v2
  // cgroup.freeze stays 0 then). freezer.state is the effective state: FROZEN also when an
  // ancestor was frozen; FREEZING is not yet paused.
  if (auto it = dirs.v1.find("freezer"); it != dirs.v1.end()) {
    std::string state;
    if (fs::read_proc_record(it->second / "freezer.state", state, 64))
      return trim(state) == "FROZEN";
  }
  // v2: cgroup.events "frozen 1" is the effective state too. cgroup.freeze is only what was asked
  // of this very cgroup, which stays 0 below the frozen one (LXC freezes the container's cgroup,
  // lxc/<vmid>/ns on Proxmox; a system container's init runs in init.scope below it). No "frozen"
  // key: a kernel without the v2 freezer.
  if (dirs.unified) {
    std::string events;
    if (fs::read_proc_record(*dirs.unified / "cgroup.events", events, 4096)) {
      std::istringstream lines(events);
      std::string key, value;
      while (lines >> key >> value)
        if (key == "frozen") return value == "1";
    }
  }
  return false;
}

bool is_frozen(int pid, const Host& host) {
  auto dirs = dirs_of(pid, host);
  return dirs && is_frozen(*dirs);
}

bool is_frozen(int pid) {
  return is_frozen(pid, Host::system());
}

}  // namespace nexcage::cgroup
