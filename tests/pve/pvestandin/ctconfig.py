"""Loading and saving one container's config file, and the checks every verb shares."""

import os
import sys
import tempfile

from . import conffile, lxctools
from .errors import PveError


def exists(root, vmid):
    return os.path.isfile(root.conf_path(vmid))


def load(root, vmid):
    """The parsed config; a missing file is Proxmox's `Configuration file ... does not exist`."""
    path = root.conf_path(vmid)
    try:
        with open(path, encoding="utf-8") as source:
            text = source.read()
    except FileNotFoundError:
        raise PveError(f"Configuration file 'nodes/{root.node}/lxc/{vmid}.conf' does not exist")
    return conffile.parse(text, vmid, lambda message: sys.stderr.write(message + "\n"))


def save(root, vmid, conf):
    """Write atomically (pmxcfs makes a write all-or-nothing; a rename does the same here)."""
    try:
        text = conffile.write(conf)
    except conffile.ConfigWriteError as err:
        raise PveError(str(err))
    directory = os.path.dirname(root.conf_path(vmid))
    fd, temporary = tempfile.mkstemp(prefix=f".{vmid}.conf.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o640)
        os.rename(temporary, root.conf_path(vmid))
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def check_lock(conf, allowed=()):
    lock = conf.get("lock")
    if lock and lock not in allowed:
        raise PveError(f"CT is locked ({lock})")


def all_vmids(root):
    """Every CT and VM id on every node of the stand-in "cluster"."""
    ids = set()
    nodes = root.join("etc", "pve", "nodes")
    for node in os.listdir(nodes) if os.path.isdir(nodes) else []:
        for kind in ("lxc", "qemu-server"):
            directory = os.path.join(nodes, node, kind)
            for name in os.listdir(directory) if os.path.isdir(directory) else []:
                stem, dot, ext = name.partition(".")
                if ext == "conf" and stem.isdigit():
                    ids.add((int(stem), kind, node))
    return ids


def check_unused(root, vmid):
    for used, kind, node in all_vmids(root):
        if used == int(vmid):
            label = "CT" if kind == "lxc" else "VM"
            raise PveError(f"{label} {vmid} already exists on node '{node}'")


def check_running(root, vmid):
    if not lxctools.is_running(root, vmid):
        raise PveError(f"CT {vmid} not running")
