// Fields pct has no form for. Hooks are refused (they would run the caller's programs on the
// host at points LXC does not have); IPC sysctls map to lxc.sysctl.kernel.*; the rest only
// change what the container observes and become warnings (docs/backends/pct.md, "Policy").
#include "mapping.hpp"

namespace nexcage::backend::pct::detail {

namespace {

void map_hooks(Builder& b) {
  const auto* hooks = raw_at(b.spec.raw, {"hooks"});
  if (!hooks || !hooks->is_object()) return;
  for (const auto& [name, list] : hooks->items()) {
    if (list.is_array() && !list.empty())
      b.refuse(
          "hooks." + name,
          "OCI hooks cannot be run by pct (LXC hooks and PVE hookscripts have other phases and "
          "arguments); remove them or run the container with runc or crun");
  }
}

void map_sysctl(Builder& b) {
  if (!b.spec.linux) return;
  for (const auto& [key, value] : b.spec.linux->sysctl) {
    // The key is part of the path, so a long one is refused at the object, not quoted whole.
    if (too_long(b, "linux.sysctl", "a key", key.size(), max_sysctl_key)) continue;
    auto sp = "linux.sysctl." + key;
    if (!is_ipc_sysctl(key))
      b.warn(sp,
             "Proxmox keeps only the IPC sysctls (lxc.sysctl.kernel.msg*, sem, shm*); not applied");
    else if (has_control_char(value, false) || value.empty())
      b.refuse(sp, "must be a non-empty one-line value");
    else
      b.raw("lxc.sysctl." + key, value);
  }
}

}  // namespace

void map_leftovers(Builder& b) {
  map_hooks(b);
  map_sysctl(b);
  const auto& doc = b.spec.raw;
  if (b.spec.linux) {
    const auto& l = *b.spec.linux;
    if (!l.cgroups_path.empty())
      b.warn("linux.cgroupsPath", "Proxmox places the container in its own cgroup (lxc/<vmid>); " +
                                      quote_value(l.cgroups_path) + " is not used");
    if (!l.rootfs_propagation.empty())
      b.warn("linux.rootfsPropagation", "LXC sets the root mount's propagation itself; " +
                                            quote_value(l.rootfs_propagation) + " not applied");
    if (!l.mount_label.empty())
      b.warn("linux.mountLabel", "pct has no SELinux mount label; not applied");
  }
  if (raw_at(doc, {"linux", "intelRdt"}))
    b.weaker(allow_resource_limits, "linux.intelRdt",
             "pct cannot apply Intel RDT cache and memory bandwidth limits");
  if (raw_at(doc, {"linux", "personality"}))
    b.warn("linux.personality",
           "pct has no execution domain setting; not applied (choose the architecture with the "
           "arch option)");
  if (raw_at(doc, {"linux", "timeOffsets"}))
    b.warn("linux.timeOffsets",
           "Proxmox containers have no time namespace; clock offsets not applied");
  if (raw_at(doc, {"process", "ioPriority"}))
    b.warn("process.ioPriority", "pct has no I/O priority setting; not applied");
  if (raw_at(doc, {"process", "scheduler"}))
    b.warn("process.scheduler", "pct has no scheduler setting; not applied");
}

}  // namespace nexcage::backend::pct::detail
