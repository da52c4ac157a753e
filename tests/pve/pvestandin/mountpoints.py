"""Bind mount points (mpN with a host directory) mounted as Proxmox mounts them.

pve-container's pre-start hook runs as host root: it mounts the rootfs and every mount point
under /var/lib/lxc/<vmid>/rootfs before LXC enters the container's user namespace. A bind source
inside a directory that the container's root (host uid 100000) cannot enter, such as podman's
0700 storage, therefore mounts on Proxmox. LXC's own lxc.mount.entry lines run as the container's
root and cannot reach it (EACCES), so generating one from such a source would make the stand-in
stricter than Proxmox.

The stand-in does what the hook does, for those sources only: host root bind-mounts the source at
<root>/run/pve/ct-<vmid>.mp/mpN (which the container's root can reach), and the generated
lxc.mount.entry binds that. The staged mounts go when lxc-start exits (the supervisor), and
before a start or a cleanup. Raw lxc.mount.entry lines get no such help, on Proxmox either.
"""

import os

from . import ctschema, hostcmd, schema
from .errors import PveError
from .root import untraversable_ancestor

MOUNT = "/usr/bin/mount"
UMOUNT = "/usr/bin/umount"


def staging_dir(root, vmid):
    return root.run_file(vmid, "mp")


def _unescape(field):
    """A path field of /proc/self/mountinfo (octal escapes for space, tab, newline, backslash)."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 3 < len(field) and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mounts_under(path):
    """Mount points at or below path, deepest first."""
    prefix = os.path.abspath(path)
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as info:
        for line in info:
            point = _unescape(line.split()[4])
            if point == prefix or point.startswith(prefix + "/"):
                found.append(point)
    return sorted(set(found), key=len, reverse=True)


def release_path(path):
    """Detach every mount at or below path; fails when one stays."""
    for point in mounts_under(path):
        hostcmd.capture([UMOUNT, "-l", point])
    left = mounts_under(path)
    if left:
        raise PveError(f"cannot unmount {left[0]}")


def release(root, vmid):
    """Unmount and remove the CT's staged mount points (none: nothing to do)."""
    directory = staging_dir(root, vmid)
    if not os.path.isdir(directory):
        return
    release_path(directory)
    for name in os.listdir(directory):
        os.rmdir(os.path.join(directory, name))  # empty mount targets; never recursive
    os.rmdir(directory)


def stage_all(root, vmid, conf):
    """{index: staged path} for the CT's bind mount points its root could not reach."""
    if str(conf.get("unprivileged", 0)) != "1":
        return {}
    staged = {}
    for index in range(ctschema.MAX_MP):
        value = conf.get(f"mp{index}")
        if value is None:
            continue
        volume = schema.parse_prop_string(value, ctschema.MP, f"mp{index}")["volume"]
        # Storage volumes and devices live where the root can reach; a missing source is
        # reported by the config generator.
        if (volume.startswith("/") and not volume.startswith("/dev/") and os.path.isdir(volume)
                and untraversable_ancestor(volume) is not None):
            staged[index] = stage(root, vmid, index, volume)
    return staged


def stage(root, vmid, index, source):
    """Bind-mount source (a host directory) where the container's root can reach it."""
    directory = staging_dir(root, vmid)
    os.makedirs(directory, mode=0o755, exist_ok=True)
    os.chmod(directory, 0o755)
    target = os.path.join(directory, f"mp{index}")
    os.makedirs(target, mode=0o755, exist_ok=True)
    for argv in ([MOUNT, "--rbind", source, target], [MOUNT, "--make-rprivate", target]):
        rc, out, err = hostcmd.capture(argv)
        if rc != 0:
            release(root, vmid)
            raise PveError(f"mount point mp{index}: {hostcmd.describe(argv)} failed: "
                           f"{(err or out).strip()}")
    return target
