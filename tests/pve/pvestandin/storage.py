"""Storages (/etc/pve/storage.cfg) and their volumes, reduced to directories.

Every storage keeps its container volumes as plain directories, whatever its type says, so a
`local-lvm:vm-100-disk-0` volume is <root>/var/lib/standin-storage/local-lvm/vm-100-disk-0.
Names follow Proxmox: `dir` storages give `<vmid>/subvol-<vmid>-disk-N.subvol`, `lvmthin`
gives `vm-<vmid>-disk-N`, anything else `subvol-<vmid>-disk-N`. Sizes are recorded, not
enforced.
"""

import os
import re
import shutil

from . import formats
from .errors import PveError

_HEADER = re.compile(r"^(\w+):\s*(\S+)\s*$")
_OPTION = re.compile(r"^\s+(\S+)(?:\s+(.*?))?\s*$")
_TEMPLATE_NAME = re.compile(r"^vztmpl/([^/]+\.(?:tar(?!\.)|tar\.(?:gz|xz|zst|bz2)))$", re.I)
_OWN_VOLUME = re.compile(r"^(?:(\d+)/)?(?:subvol|vm)-(\d+)-disk-(\d+)(?:\.subvol)?$")


def default_config(root):
    # Like a fresh PVE install: `local` has no rootdir content, `local-lvm` holds containers.
    return (f"dir: local\n\tpath {root.join('var', 'lib', 'vz')}\n\tcontent iso,vztmpl,backup\n\n"
            "lvmthin: local-lvm\n\tthinpool data\n\tvgname pve\n\tcontent rootdir,images\n")


def ensure_default_config(root):
    if not os.path.exists(root.storage_cfg):
        from .root import write_once  # root.py imports this module lazily, too

        write_once(root.storage_cfg, default_config(root))
        # Proxmox's `local` always has its template cache, where nexcage packs templates.
        os.makedirs(root.join("var", "lib", "vz", "template", "cache"), mode=0o755,
                    exist_ok=True)


def load(root):
    """{storage id: {'type': t, 'content': set, 'path': p, ...}} from storage.cfg."""
    storages, current = {}, None
    try:
        with open(root.storage_cfg, encoding="utf-8") as cfg:
            lines = cfg.read().split("\n")
    except OSError as err:
        raise PveError(f"unable to read storage configuration '{root.storage_cfg}' - {err}")
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            current = None if not line.strip() else current
            continue
        header = _HEADER.match(line)
        if header:
            current = storages[header.group(2)] = {"type": header.group(1), "content": set()}
            continue
        option = _OPTION.match(line)
        if option and current is not None:
            key, value = option.group(1), option.group(2) or ""
            current[key] = set(value.split(",")) if key == "content" else value
    return storages


def get(root, storeid):
    storages = load(root)
    if storeid not in storages:
        raise PveError(f"storage '{storeid}' does not exist")
    return storages[storeid]


def _base(root, storeid, scfg):
    if scfg["type"] == "dir":
        if not scfg.get("path"):
            raise PveError(f"storage '{storeid}' has no path")
        return os.path.join(scfg["path"], "images")
    return root.join("var", "lib", "standin-storage", storeid)


def _volname(scfg, vmid, number):
    if scfg["type"] == "dir":
        return f"{vmid}/subvol-{vmid}-disk-{number}.subvol"
    if scfg["type"] == "lvmthin":
        return f"vm-{vmid}-disk-{number}"
    return f"subvol-{vmid}-disk-{number}"


def alloc(root, storeid, vmid):
    """Create a new, empty volume directory for vmid and return its volid."""
    scfg = get(root, storeid)
    base = _base(root, storeid, scfg)
    number = 0
    while True:
        volname = _volname(scfg, vmid, number)
        path = os.path.join(base, volname)
        if not os.path.lexists(path):
            break
        number += 1
    os.makedirs(path, mode=0o755)
    # An unprivileged CT's root must be able to walk down to its own rootfs.
    for directory in (base, os.path.dirname(path)):
        os.chmod(directory, 0o755)
    return f"{storeid}:{volname}"


def split_volid(volid):
    match = formats.VOLUME_ID.match(volid)
    if not match:
        raise PveError(f"unable to parse volume ID '{volid}'")
    return match.group(1), match.group(2)


def path(root, volid):
    storeid, volname = split_volid(volid)
    return os.path.join(_base(root, storeid, get(root, storeid)), volname)


def owner(volid):
    """The vmid a volume belongs to by its name, or None."""
    try:
        volname = split_volid(volid)[1]
    except PveError:
        return None
    match = _OWN_VOLUME.match(volname)
    return match.group(2) if match else None


def free(root, volid):
    target = path(root, volid)
    if os.path.isdir(target) and not os.path.islink(target):
        shutil.rmtree(target)
    parent = os.path.dirname(target)
    # dir storages keep a per-vmid directory that Proxmox removes with its last volume.
    if get(root, split_volid(volid)[0])["type"] == "dir" and os.path.isdir(parent):
        try:
            os.rmdir(parent)
        except OSError:
            pass


def volumes_of(root, vmid):
    """Every volume on every storage whose name says it belongs to vmid."""
    found = []
    for storeid, scfg in load(root).items():
        if scfg["type"] == "dir" and not scfg.get("path"):
            continue
        base = _base(root, storeid, scfg)
        names = os.listdir(base) if os.path.isdir(base) else []
        if scfg["type"] == "dir":
            sub = os.path.join(base, str(vmid))
            names = [f"{vmid}/{n}" for n in os.listdir(sub)] if os.path.isdir(sub) else []
        found += [f"{storeid}:{n}" for n in names if owner(f"{storeid}:{n}") == str(vmid)]
    return sorted(found)


def template_path(root, ostemplate):
    """The archive file of an ostemplate: a `<storage>:vztmpl/<file>` volid or an absolute path."""
    if ostemplate.startswith("/"):
        if not os.path.isfile(ostemplate):
            raise PveError(f"can't find file '{ostemplate}'")
        return ostemplate
    storeid, volname = split_volid(ostemplate)
    scfg = get(root, storeid)
    match = _TEMPLATE_NAME.match(volname)
    if not match:
        if volname.startswith("vztmpl/"):
            raise PveError(f"unable to parse directory volume name '{volname}'")
        raise PveError(f"unable to use volume {ostemplate} - content type needs to be 'vztmpl'")
    if scfg["type"] != "dir" or "vztmpl" not in scfg["content"]:
        raise PveError(f"storage '{storeid}' does not support content type 'vztmpl'")
    archive = os.path.join(scfg["path"], "template", "cache", match.group(1))
    if not os.path.isfile(archive):
        raise PveError(f"can't find file '{archive}'")
    return archive


def template_dir(root, storeid="local"):
    """Where a dir storage keeps templates (nexcage packs bundles into it)."""
    scfg = get(root, storeid)
    return os.path.join(scfg["path"], "template", "cache")
