"""Turning rootfs/mpN values into allocated volumes, as create and set do before saving.

A new disk is `<storage>:<GiB>` (a bare number means the default storage); it becomes a volume
of the CT plus `size=`. Absolute host directories (binds) and `/dev/...` are kept as given.
"""

import os
import re

from . import ctschema, formats, schema, storage
from .errors import ParamError, PveError

MAPPED_ROOT = 100000
_NEW_DISK = re.compile(r"^([^:\s]+):(\d+(?:\.\d+)?)$")
_BARE_SIZE = re.compile(r"^\d+(?:\.\d+)?$")


def _schema_for(key):
    return ctschema.ROOTFS if key == "rootfs" else ctschema.MP


def parse(key, value):
    return schema.parse_prop_string(value, _schema_for(key), key)


def check_storage(root, key, value, default_storage, vmid=None):
    """Pre-fork checks: the storage of a new disk exists and holds container directories."""
    disk = parse(key, value)
    volume = disk["volume"]
    if _BARE_SIZE.match(volume):
        volume = f"{default_storage}:{volume}"
    match = _NEW_DISK.match(volume)
    if match:
        scfg = storage.get(root, match.group(1))
        if "rootdir" not in scfg["content"]:
            raise ParamError("Parameter verification failed.", {
                "storage": f"storage '{match.group(1)}' does not support container directories"})
    elif volume.startswith("/"):
        if key == "rootfs" and volume.startswith("/dev/"):
            raise PveError("the pve stand-in cannot use a block device as rootfs")
    elif vmid is None or storage.owner(volume) != str(vmid):
        # Another CT's or a foreign volume: Proxmox takes those only for restore/move.
        storage.split_volid(volume)
        raise PveError(f"the pve stand-in can only allocate new volumes, not use '{volume}'")


def allocate(root, vmid, key, value, default_storage, allocated, unprivileged=False):
    """The config value with any new disk allocated; allocated volids are appended.

    A new volume of an unprivileged CT belongs to its mapped root, as Proxmox makes it.
    """
    disk = parse(key, value)
    volume = disk["volume"]
    if _BARE_SIZE.match(volume):
        volume = f"{default_storage}:{volume}"
    match = _NEW_DISK.match(volume)
    if match:
        volid = storage.alloc(root, match.group(1), vmid)
        allocated.append(volid)
        if unprivileged:
            os.chown(storage.path(root, volid), MAPPED_ROOT, MAPPED_ROOT)
        disk["volume"] = volid
        disk["size"] = formats.format_size(int(float(match.group(2)) * 1024**3))
    elif volume.startswith("/") and not volume.startswith("/dev/") and key == "rootfs":
        os.makedirs(volume, mode=0o755, exist_ok=True)
    return schema.print_prop_string(disk, _schema_for(key))


def host_path(root, value, key="rootfs"):
    volume = parse(key, value)["volume"]
    return volume if volume.startswith("/") else storage.path(root, volume)


def owned_volumes(conf, vmid):
    """Storage volumes of this CT referenced by rootfs, mpN and unusedN (binds excluded)."""
    volids = []
    for key, value in conf.items():
        if key == "rootfs" or (key.startswith("mp") and key[2:].isdigit()):
            try:
                volume = parse(key, value)["volume"]
            except schema.PropStringError:
                continue
        elif key.startswith("unused") and key[6:].isdigit():
            volume = value
        else:
            continue
        if not volume.startswith("/") and storage.owner(volume) == str(vmid):
            volids.append(volume)
    return volids


def allocate_pending_disks(root, vmid, conf):
    """Allocate new disks that reached the config through pending changes; True if any."""
    changed = False
    for key in [k for k in conf if ctschema.is_mountpoint_key(k)]:
        volume = parse(key, conf[key])["volume"]
        if _NEW_DISK.match(volume) or _BARE_SIZE.match(volume):
            conf[key] = allocate(root, vmid, key, conf[key], "local", [],
                                 str(conf.get("unprivileged", 0)) == "1")
            changed = True
    return changed
