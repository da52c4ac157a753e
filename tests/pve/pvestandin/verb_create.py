"""pct create: reserve the VMID, unpack the template into a new rootfs volume, write the config."""

import os
import shutil
import sys

from . import (ctconfig, ctschema, devices, lock, netconf, ociarchive, ocimapping, storage,
               template, verb_power, volumes)
from .errors import PveError
from .root import untraversable_ancestor
from .schema import Prop

BOOL = Prop(type="boolean")
OPTIONS = {k: v for k, v in ctschema.CONFDESC.items() if k != "lock"}
OPTIONS.update({
    "storage": Prop(format="pve-storage-id", default="local"),
    "password": Prop(min_length=5),
    "ssh-public-keys": Prop(),
    "start": BOOL,
    "force": BOOL,
    "restore": BOOL,
    "unique": BOOL,
    "pool": Prop(pattern=r"[A-Za-z0-9\-_/]+"),
    "ignore-unpack-errors": BOOL,
    "bwlimit": Prop(type="number", minimum=0),
    "ha-managed": BOOL,
})
POSITIONAL = {"vmid": ctschema.VMID, "ostemplate": Prop(max_length=255, optional=False)}
# Options that steer the create itself and are not stored in the config.
_NOT_STORED = {"vmid", "ostemplate", "storage", "password", "ssh-public-keys", "start", "force",
               "restore", "unique", "pool", "ignore-unpack-errors", "bwlimit", "ha-managed"}


# A test drops this file into <root>/etc/pve to play a node that has lost quorum.
NO_QUORUM_MARKER = ".standin-no-quorum"


def _disk_keys(params):
    return [k for k in params if ctschema.is_mountpoint_key(k)]


def _prefork(root, params):
    vmid = params["vmid"]
    if params.get("restore"):
        raise PveError("the pve stand-in does not implement restore")
    if os.path.exists(root.join("etc", "pve", NO_QUORUM_MARKER)):
        raise PveError("cluster not ready - no quorum?")
    ctconfig.check_unused(root, vmid)
    ostemplate = params["ostemplate"]
    if not ostemplate.startswith("/"):
        storage.get(root, storage.split_volid(ostemplate)[0])
    default_storage = params.get("storage", "local")
    params.setdefault("rootfs", f"{default_storage}:4")
    for key in _disk_keys(params):
        volumes.check_storage(root, key, params[key], default_storage)
    for key in list(params):
        if key.startswith("net") and key[3:].isdigit():
            params[key] = netconf.normalize(key, params[key])
    if "tags" in params:
        params["tags"] = netconf.normalize_tags(params["tags"])


def _build(root, params, allocated, log):
    vmid = params["vmid"]
    devices.check(params)
    archive = storage.template_path(root, params["ostemplate"])
    template.compression_flags(archive)
    default_storage = params.get("storage", "local")
    conf = {k: str(v) for k, v in params.items() if k not in _NOT_STORED}
    conf.setdefault("memory", "512")
    conf.setdefault("swap", "512")
    conf["unprivileged"] = str(params.get("unprivileged", 1))
    # rootfs first: it receives the template.
    unprivileged = conf["unprivileged"] == "1"
    for key in sorted(_disk_keys(params), key=lambda k: (k != "rootfs", k)):
        conf[key] = volumes.allocate(root, vmid, key, params[key], default_storage, allocated,
                                     unprivileged and key != "rootfs")
    rootfs = volumes.host_path(root, conf["rootfs"])
    if unprivileged:
        blocked = untraversable_ancestor(rootfs)
        if blocked:
            raise PveError(f"directory '{blocked}' is not searchable by the container's root "
                           "(uid 100000): make it and its parents o+x (chmod 755)")
    if ociarchive.is_oci_archive(archive):
        image_config = ociarchive.extract(archive, rootfs, unprivileged, log)
        ocimapping.apply(conf, image_config, rootfs, unprivileged)
    else:
        template.extract(archive, rootfs, unprivileged, log,
                         bool(params.get("ignore-unpack-errors")))
    if "arch" not in conf:
        arch = template.detect_arch(rootfs)
        if arch:
            log.write(f"Detected container architecture: {arch}\n")
        else:
            log.write("Architecture detection failed: no /bin/sh ELF header\n\n"
                      "Falling back to amd64.\n"
                      f"Use `pct set {vmid} --arch ARCH` to change.\n")
        conf["arch"] = arch or "amd64"
    if "ostype" not in conf:
        conf["ostype"] = template.detect_ostype(rootfs)
    return conf


def _undo(root, vmid, allocated):
    for volid in reversed(allocated):
        try:
            storage.free(root, volid)
        except (OSError, PveError):
            pass
    if os.path.exists(root.conf_path(vmid)):
        os.unlink(root.conf_path(vmid))
    shutil.rmtree(os.path.join(root.lxc_path, str(vmid)), ignore_errors=True)


def create(root, params):
    vmid = params["vmid"]
    _prefork(root, params)
    with lock.config_lock(root, vmid, lock.CREATE_TIMEOUT):
        ctconfig.check_unused(root, vmid)
        # Like create_and_lock_config: the file with `lock: create` reserves the VMID.
        ctconfig.save(root, vmid, {"lock": "create"})
    allocated = []
    try:
        conf = _build(root, params, allocated, sys.stdout)
        with lock.config_lock(root, vmid):
            ctconfig.save(root, vmid, conf)
    except (PveError, OSError, ValueError) as err:
        _undo(root, vmid, allocated)
        message = err.message if isinstance(err, PveError) else str(err)
        raise PveError(f"unable to create CT {vmid} - {message}")
    sys.stdout.flush()
    if params.get("start"):
        verb_power.start_ct(root, vmid)
    return 0
