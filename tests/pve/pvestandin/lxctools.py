"""Asking Debian's LXC about a stand-in container (always with `-P <root>/var/lib/lxc`)."""

import os

from . import hostcmd

ACTIVE = ("RUNNING", "FROZEN", "STARTING", "STOPPING", "ABORTING", "THAWED", "FREEZING")


def has_lxc_config(root, vmid):
    return os.path.isfile(os.path.join(root.lxc_path, str(vmid), "config"))


def state(root, vmid):
    """RUNNING, FROZEN, ... or STOPPED (also when LXC has never seen the container)."""
    if not has_lxc_config(root, vmid):
        return "STOPPED"
    rc, out, _ = hostcmd.capture([hostcmd.LXC_INFO, "-P", root.lxc_path, "-n", str(vmid),
                                  "-s", "-H"])
    value = out.strip()
    return value if rc == 0 and value else "STOPPED"


def is_running(root, vmid):
    # Proxmox calls a CT running while its monitor answers, so a frozen CT is running too.
    return state(root, vmid) in ACTIVE


def init_pid(root, vmid):
    if not has_lxc_config(root, vmid):
        return None
    rc, out, _ = hostcmd.capture([hostcmd.LXC_INFO, "-P", root.lxc_path, "-n", str(vmid),
                                  "-p", "-H"])
    value = out.strip()
    return int(value) if rc == 0 and value.isdigit() else None


def cgroup_value(root, vmid, key):
    rc, out, _ = hostcmd.capture([hostcmd.LXC_CGROUP, "-P", root.lxc_path, "-n", str(vmid), key])
    return out.strip() if rc == 0 else None
