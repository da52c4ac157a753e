"""pct exec / enter (lxc-attach, replacing this process) and pct unlock."""

import os

from . import ctconfig, hostcmd, lock, lxctools
from .errors import PveError


def _attach_argv(root, vmid, keep_env):
    return [hostcmd.LXC_ATTACH, "-P", root.lxc_path, "-n", str(vmid),
            "--keep-env" if keep_env else "--clear-env"]


def _running(root, vmid):
    ctconfig.load(root, vmid)
    if not lxctools.is_running(root, vmid):
        raise PveError(f"container '{vmid}' not running!")


def exec_(root, params):
    vmid = params["vmid"]
    _running(root, vmid)
    command = params.get("extra-args") or []
    if not command:
        raise PveError("missing command")
    keep_env = params.get("keep-env", 1)
    argv = _attach_argv(root, vmid, keep_env) + ["--", *command]
    # --keep-env hands the caller's environment to the command, as on Proxmox.
    os.execve(argv[0], argv, dict(os.environ) if keep_env else hostcmd.ENV)


def enter(root, params):
    vmid = params["vmid"]
    _running(root, vmid)
    argv = _attach_argv(root, vmid, params.get("keep-env", 1))
    os.execve(argv[0], argv, dict(os.environ))


def unlock(root, params):
    vmid = params["vmid"]
    with lock.config_lock(root, vmid):
        conf = ctconfig.load(root, vmid)
        conf.pop("lock", None)
        ctconfig.save(root, vmid, conf)
    return 0
