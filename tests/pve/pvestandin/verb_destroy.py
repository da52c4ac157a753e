"""pct destroy: free the CT's own volumes (never bind or device mounts) and forget it."""

import os
import shutil

from . import ctconfig, lock, lxctools, storage, verb_power, volumes
from .errors import PveError


def destroy(root, params):
    vmid = params["vmid"]
    conf = ctconfig.load(root, vmid)
    ctconfig.check_lock(conf)
    if str(conf.get("protection", 0)) == "1":
        raise PveError(f"can't remove CT {vmid} - protection mode enabled")
    if lxctools.is_running(root, vmid):
        if not params.get("force"):
            raise PveError(f"unable to destroy CT {vmid} - container is running")
        verb_power.stop_ct(root, vmid)
    with lock.config_lock(root, vmid):
        conf = ctconfig.load(root, vmid)
        doomed = set(volumes.owned_volumes(conf, vmid)
                     + volumes.owned_volumes(conf.get("pending", {}), vmid))
        if params.get("destroy-unreferenced-disks"):
            doomed.update(storage.volumes_of(root, vmid))
        for volid in sorted(doomed):
            print(f"Removing volume '{volid}'")
            storage.free(root, volid)
        os.unlink(root.conf_path(vmid))
    shutil.rmtree(os.path.join(root.lxc_path, str(vmid)), ignore_errors=True)
    for suffix in ("exit", "stderr", "log"):
        path = root.run_file(vmid, suffix)
        if os.path.exists(path):
            os.unlink(path)
    return 0
