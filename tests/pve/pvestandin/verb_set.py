"""pct set: change options, immediately, hot-plugged or as pending, as Proxmox decides."""

import hashlib
import sys

from . import (cgroups, ctconfig, ctschema, devices, formats, hostcmd, lock, lxctools, netconf,
               volumes)
from .errors import ParamError, PveError
from .schema import Prop

OPTIONS = dict(ctschema.CONFDESC)
OPTIONS.update({
    "delete": Prop(format="pve-configid-list", list_format=True),
    "revert": Prop(format="pve-configid-list", list_format=True),
    "digest": Prop(max_length=40),
})
_CONTROL = {"delete", "revert", "digest", "vmid"}
IMMEDIATE = {"description", "onboot", "startup", "protection", "hostname", "hookscript", "cores",
             "tags", "lock"}
HOTPLUG = {"cpulimit", "cpuunits", "memory", "swap"}
REQUIRED = ("memory", "rootfs", "ostype")
MIB = 1024 * 1024


def _digest(root, vmid):
    with open(root.conf_path(vmid), "rb") as source:
        return hashlib.sha1(source.read()).hexdigest()


def _check_request(params, changes, deletes):
    if not changes and not deletes and not params.get("revert"):
        raise PveError("no options specified")
    if "unprivileged" in changes:
        raise PveError("unable to modify read-only option: 'unprivileged'")
    for key in deletes:
        if key in changes:
            raise ParamError("Parameter verification failed.", {
                "delete": f"you can't use '-{key}' and '-delete {key}' at the same time"})
        if key in REQUIRED:
            raise PveError(f"unable to delete required option '{key}'")
        if key not in ctschema.CONFDESC:
            raise ParamError("Parameter verification failed.",
                             {"delete": f"unknown option '{key}'"})


def _normalize(root, vmid, conf, key, value, allocated, allocate=True):
    """The stored form of a value; new disks are allocated unless the change stays pending
    (start allocates those)."""
    if key.startswith("net") and key[3:].isdigit():
        return netconf.normalize(key, value, conf.get(key))
    if key == "tags":
        return netconf.normalize_tags(value)
    if ctschema.is_mountpoint_key(key):
        volumes.check_storage(root, key, value, "local", vmid)
        if allocate:
            return volumes.allocate(root, vmid, key, value, "local", allocated,
                                    str(conf.get("unprivileged", 0)) == "1")
    return str(value)


def _hotplug(root, vmid, conf):
    """Push memory/swap/cpu limits of a running CT into its cgroup, as Proxmox does."""
    memory = int(conf.get("memory", 512)) * MIB
    swap = int(conf.get("swap", 512)) * MIB
    if cgroups.controller_version("memory") == 2:
        settings = [("memory.max", memory), ("memory.swap.max", swap)]
    else:
        settings = [("memory.limit_in_bytes", memory)]
        if cgroups.v1_has("memory", "memory.memsw.limit_in_bytes"):
            # memsw must stay >= limit: raise it first when growing, as the kernel demands.
            settings.insert(0, ("memory.memsw.limit_in_bytes", memory + swap))
            settings.append(("memory.memsw.limit_in_bytes", memory + swap))
    for key, value in settings:
        hostcmd.capture([hostcmd.LXC_CGROUP, "-P", root.lxc_path, "-n", str(vmid), key,
                         str(value)])


def _unused_key(conf):
    for index in range(ctschema.MAX_UNUSED):
        if f"unused{index}" not in conf:
            return f"unused{index}"
    raise PveError("too many unused volumes")


def _delete_now(conf, vmid, key):
    value = conf.pop(key, None)
    if value is not None and key.startswith("mp") and key[2:].isdigit():
        # A removed mount point's own volume is kept as unusedN, never freed by set.
        for volid in volumes.owned_volumes({key: value}, vmid):
            conf[_unused_key(conf)] = volid


def _keep_replaced_volume(conf, vmid, key, value):
    """A rootfs/mpN pointed elsewhere leaves its own old volume as unusedN, as Proxmox does."""
    if not ctschema.is_mountpoint_key(key) or key not in conf:
        return
    old = volumes.owned_volumes({key: conf[key]}, vmid)
    if old and old != volumes.owned_volumes({key: value}, vmid):
        conf[_unused_key(conf)] = old[0]


def set_options(root, params):
    vmid = params["vmid"]
    changes = {k: v for k, v in params.items() if k not in _CONTROL}
    deletes = formats.split_list(params.get("delete", ""))
    _check_request(params, changes, deletes)
    devices.check(changes)
    with lock.config_lock(root, vmid):
        conf = ctconfig.load(root, vmid)
        if params.get("digest") and params["digest"] != _digest(root, vmid):
            raise PveError("detected modified configuration - file changed by other user? "
                           "Try again.")
        if "lock" not in changes:
            ctconfig.check_lock(conf)
        running = lxctools.is_running(root, vmid)
        pending = conf.setdefault("pending", {})
        for key in formats.split_list(params.get("revert", "")):
            pending.pop(key, None)
            kept = [d for d in pending.get("delete", "").split(",") if d and d != key]
            pending["delete"] = ",".join(kept)
        pending_deletes = [d for d in pending.get("delete", "").split(",") if d]
        for key in deletes:
            if key not in conf and key not in pending:
                sys.stderr.write(f"delete: '{key}' is not set\n")  # Proxmox only warns
            if running and key not in IMMEDIATE:
                if key not in pending_deletes:
                    pending_deletes.append(key)
                pending.pop(key, None)
            else:
                _delete_now(conf, vmid, key)
                pending.pop(key, None)
        allocated, hot = [], False
        for key, value in changes.items():
            stays_pending = running and key not in IMMEDIATE | HOTPLUG
            value = _normalize(root, vmid, conf, key, value, allocated, not stays_pending)
            if stays_pending:
                pending[key] = value
            else:
                _keep_replaced_volume(conf, vmid, key, value)
                conf[key] = value
                pending.pop(key, None)
                hot = hot or key in HOTPLUG
            pending_deletes = [d for d in pending_deletes if d != key]
        if pending_deletes:
            pending["delete"] = ",".join(pending_deletes)
        else:
            pending.pop("delete", None)
        if not pending:
            conf.pop("pending")
        ctconfig.save(root, vmid, conf)
        if running and hot:
            _hotplug(root, vmid, conf)
    return 0
