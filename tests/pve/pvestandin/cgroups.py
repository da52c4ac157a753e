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
