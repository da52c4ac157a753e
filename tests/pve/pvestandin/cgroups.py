"""Which cgroup version holds the host's controllers (decides lxc.cgroup vs lxc.cgroup2 keys).

Proxmox VE 7+ only runs on pure cgroup v2; this host may be hybrid, where LXC ignores
`lxc.cgroup2.*` limits for controllers mounted as v1, so limits go where the controller is.
"""

import os

CGROUP_ROOT = "/sys/fs/cgroup"


def _is_cgroup2(path):
    try:
        with open("/proc/self/mountinfo", encoding="utf-8") as info:
            for line in info:
                fields = line.split(" - ", 1)
                mount_point = fields[0].split()[4]
                if mount_point == path and len(fields) == 2:
                    return fields[1].split()[0] == "cgroup2"
    except OSError:
        pass
    return False


def controller_version(controller):
    """2 if the controller is managed through cgroup v2, else 1."""
    if _is_cgroup2(CGROUP_ROOT):
        return 2
    if os.path.isdir(os.path.join(CGROUP_ROOT, controller)) and not _is_cgroup2(
            os.path.join(CGROUP_ROOT, controller)):
        return 1
    return 2


def v1_has(controller, filename):
    return os.path.exists(os.path.join(CGROUP_ROOT, controller, filename))


def _weight_to_shares(weight):
    # The inverse of runc's shares -> weight line (1..10000 <-> 2..262144).
    return 2 + (int(weight) - 1) * 262142 // 9999


def v1_equivalents(key, value):
    """`lxc.cgroup.*` lines doing what a raw `lxc.cgroup2.<file>` line asks, for a controller
    mounted as v1 here (LXC ignores cgroup2 keys on such a host; Proxmox hosts are pure v2).
    Empty when there is no direct equivalent or the controller is already v2."""
    name = key[len("lxc.cgroup2."):]
    controller = name.split(".", 1)[0]
    if controller_version(controller) == 2:
        return []
    value = value.strip()
    if name in ("pids.max", "cpuset.cpus", "cpuset.mems", "devices.allow", "devices.deny"):
        return [(f"lxc.cgroup.{name}", value)]
    if name == "memory.max":
        return [("lxc.cgroup.memory.limit_in_bytes", "-1" if value == "max" else value)]
    if name == "memory.low":
        return [("lxc.cgroup.memory.soft_limit_in_bytes", "-1" if value == "max" else value)]
    if name == "cpu.max":
        quota, _, period = value.partition(" ")
        lines = [("lxc.cgroup.cpu.cfs_quota_us", "-1" if quota == "max" else quota)]
        return lines + ([("lxc.cgroup.cpu.cfs_period_us", period)] if period else [])
    if name == "cpu.weight" and value.isdigit():
        return [("lxc.cgroup.cpu.shares", str(_weight_to_shares(value)))]
    return []
