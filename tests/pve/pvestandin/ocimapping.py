"""An OCI image config applied to a new CT config, as pve-container's restore_oci_archive does."""

import os

from . import ctschema, schema
from .ociarchive import inside_no_symlinks
from .errors import PveError
from .template import MAPPED_ROOT, resolve_inside

_ARCH = {"amd64": "amd64", "386": "i386", "arm64": "arm64", "arm": "armhf",
         "riscv64": "riscv64"}
_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_")


def shellquote(word):
    """PVE::Tools::shellquote: bare when safe, else '...' with ' written as '\\''."""
    if word and set(word) <= _SAFE:
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def _lookup(rootfs, filename, name):
    """The numeric id of name in the image's /etc/passwd or /etc/group, or None."""
    try:
        path = resolve_inside(rootfs, f"/etc/{filename}")
        with open(path, encoding="utf-8", errors="replace") as db:
            for line in db:
                fields = line.rstrip("\n").split(":")
                if len(fields) > 3 and fields[0] == name:
                    return fields[2], fields[3]
    except OSError:
        pass
    return None


def _user(rootfs, user):
    """lxc.init.uid/gid from the image's User (`uid`, `uid:gid`, `name`, `name:group`)."""
    name, _, group = user.partition(":")
    if name.isdigit():
        uid, gid = name, "0"
    else:
        entry = _lookup(rootfs, "passwd", name)
        if entry is None:
            raise PveError(f"unable to find user '{name}' in the image's /etc/passwd")
        uid, gid = entry
    if group:
        if group.isdigit():
            gid = group
        else:
            entry = _lookup(rootfs, "group", group)
            if entry is None:
                raise PveError(f"unable to find group '{group}' in the image's /etc/group")
            gid = entry[0]
    return uid, gid


def _make_dirs(rootfs, path, unprivileged):
    """mkdir -p inside the rootfs; new directories of an unprivileged CT go to its root."""
    missing = []
    while path != rootfs and not os.path.lexists(path):
        missing.append(path)
        path = os.path.dirname(path)
    for directory in reversed(missing):
        os.mkdir(directory, 0o755)
        if unprivileged:
            os.chown(directory, MAPPED_ROOT, MAPPED_ROOT)


def apply(conf, image_config, rootfs, unprivileged):
    """Set entrypoint, env, cmode, host-managed nets and raw init keys from the image config.
    Image values win over --entrypoint and --env, as on Proxmox."""
    config = image_config.get("config") or {}
    argv = (config.get("Entrypoint") or []) + (config.get("Cmd") or [])
    if argv and argv[0] != "/sbin/init":
        conf["entrypoint"] = " ".join(shellquote(str(a)) for a in argv)
        conf["cmode"] = "console"
        for key in [k for k in conf if k.startswith("net") and k[3:].isdigit()]:
            net = schema.parse_prop_string(conf[key], ctschema.NET, key)
            net["host-managed"] = 1
            conf[key] = schema.print_prop_string(net, ctschema.NET)
    if config.get("Env"):
        conf["env"] = "\0".join(str(e) for e in config["Env"])
    raw = conf.setdefault("lxc", [])
    if config.get("User"):
        uid, gid = _user(rootfs, str(config["User"]))
        raw += [("lxc.init.uid", uid), ("lxc.init.gid", gid)]
    if config.get("WorkingDir"):
        raw.append(("lxc.init.cwd", str(config["WorkingDir"])))
    raw.append(("lxc.signal.halt", str(config.get("StopSignal") or "SIGTERM")))
    for volume in config.get("Volumes") or {}:
        # Proxmox creates the directories and mounts nothing there.
        path = inside_no_symlinks(rootfs, volume, missing_ok=True)
        if path:
            _make_dirs(rootfs, path, unprivileged)
    if "arch" not in conf:
        conf["arch"] = _ARCH.get(image_config.get("architecture"), "amd64")
    conf.setdefault("ostype", "unmanaged")
    if not raw:
        conf.pop("lxc")
