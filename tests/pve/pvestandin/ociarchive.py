"""OCI image archives as ostemplates, the way pve-container >= 6.0.15 (PVE 9.1) takes them.

An uncompressed `.tar` holding `oci-layout`, `index.json` and `blobs/` is an image: its layers
are unpacked in order (with OCI whiteouts) into the rootfs, and its config sets entrypoint, env,
user, working directory and stop signal (reference §12). Proxmox does this in Rust inside the
CT's user namespace; the stand-in runs tar per layer (in the namespace for unprivileged CTs).
"""

import json
import os
import re
import shutil
import tarfile
import tempfile

from . import hostcmd
from .errors import PveError
from .template import ID_MAP, MAPPED_ROOT

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"


def _member(name):
    return name[2:] if name.startswith("./") else name


def is_oci_archive(archive):
    """PVE's test: uncompressed .tar whose members include oci-layout, index.json, blobs/..."""
    if not archive.endswith(".tar"):
        return False
    rc, out, _ = hostcmd.capture([hostcmd.TAR, "-tf", archive])
    names = {_member(n) for n in out.splitlines()}
    return rc == 0 and {"oci-layout", "index.json"} <= names and any(
        n.startswith("blobs/") for n in names)


class Image:
    """The manifest's layers and config of the (amd64, else first) image in an archive."""

    def __init__(self, archive):
        self.tar = tarfile.open(archive, "r:")
        self.members = {_member(m.name): m for m in self.tar.getmembers() if m.isfile()}
        index = self._json("index.json")
        manifest = self._pick(index.get("manifests") or [])
        if manifest.get("mediaType", "").endswith("image.index.v1+json") or \
                "manifests" in manifest:
            manifest = self._pick(manifest.get("manifests") or [])
        self.config = self._json(self._blob(self._required(manifest.get("config"), "config")))
        self.layers = [self._blob(layer) for layer in manifest.get("layers", [])]

    def _required(self, value, what):
        if not value:
            raise PveError(f"OCI archive: the manifest has no {what}")
        return value

    def _pick(self, descriptors):
        if not descriptors:
            raise PveError("OCI archive: index.json lists no manifest")
        for descriptor in descriptors:
            if descriptor.get("platform", {}).get("architecture") == "amd64":
                return self._resolve(descriptor)
        return self._resolve(descriptors[0])

    def _resolve(self, descriptor):
        body = self._json(self._blob(descriptor))
        return body if "layers" in body or "manifests" in body else descriptor

    def _blob(self, descriptor):
        algorithm, _, digest = str(descriptor.get("digest", "")).partition(":")
        if not re.match(r"^[a-z0-9]+$", algorithm) or not re.match(r"^[a-f0-9]+$", digest):
            raise PveError(f"OCI archive: invalid digest '{descriptor.get('digest')}'")
        name = f"blobs/{algorithm}/{digest}"
        if name not in self.members:
            raise PveError(f"OCI archive: missing blob {name}")
        return name

    def _json(self, name):
        if name not in self.members:
            raise PveError(f"OCI archive: missing {name}")
        try:
            return json.load(self.tar.extractfile(self.members[name]))
        except ValueError as err:
            raise PveError(f"OCI archive: {name} is not JSON: {err}")

    def save_blob(self, name, path):
        with self.tar.extractfile(self.members[name]) as source, open(path, "wb") as out:
            shutil.copyfileobj(source, out)


def _flags(path):
    with open(path, "rb") as blob:
        magic = blob.read(4)
    if magic[:2] == b"\x1f\x8b":
        return ["-z"]
    if magic == b"\x28\xb5\x2f\xfd":
        return ["--zstd"]
    return []


def inside_no_symlinks(rootfs, relative, missing_ok=False):
    """rootfs/relative if no component on the way is a symlink (a whiteout or a volume
    directory must not escape the rootfs); missing_ok allows parents that do not exist yet."""
    path = rootfs
    parts = [p for p in relative.split("/") if p not in ("", ".")]
    if ".." in parts:
        return None
    for part in parts[:-1]:
        path = os.path.join(path, part)
        if os.path.islink(path) or os.path.lexists(path) and not os.path.isdir(path):
            return None
        if not os.path.lexists(path) and not missing_ok:
            return None
    return os.path.join(path, parts[-1]) if parts else path


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def _apply_whiteouts(rootfs, names):
    for name in names:
        directory, _, base = _member(name).rstrip("/").rpartition("/")
        if base == OPAQUE:
            target = inside_no_symlinks(rootfs, directory + "/x")
            parent = os.path.dirname(target) if target else None
            if parent and os.path.isdir(parent) and not os.path.islink(parent):
                for entry in os.listdir(parent):
                    _remove(os.path.join(parent, entry))
        elif base.startswith(WHITEOUT):
            target = inside_no_symlinks(rootfs, f"{directory}/{base[len(WHITEOUT):]}")
            if target:
                _remove(target)


def extract(archive, rootfs, unprivileged, log):
    """Unpack every layer of the archive's image into rootfs; returns the image config."""
    image = Image(archive)
    log.write("Detected OCI archive\n")
    if unprivileged:
        os.chown(rootfs, MAPPED_ROOT, MAPPED_ROOT)
    work = tempfile.mkdtemp(prefix="oci-layers-")
    try:
        for number, name in enumerate(image.layers):
            layer = os.path.join(work, str(number))
            image.save_blob(name, layer)
            flags = _flags(layer)
            rc, listing, err = hostcmd.capture([hostcmd.TAR, "-tf", layer, *flags])
            if rc != 0:
                raise PveError(f"OCI archive: cannot read layer {name}: {err.strip()}")
            _apply_whiteouts(rootfs, [n for n in listing.splitlines()
                                      if os.path.basename(n.rstrip("/")).startswith(WHITEOUT)])
            argv = [hostcmd.TAR, "xpf", "-", *flags, "--numeric-owner", "--acls", "--xattrs",
                    "--xattrs-include=user.*", "--xattrs-include=security.capability",
                    "--warning=no-xattr-write", "-C", rootfs, "--anchored", "--exclude",
                    "./dev/*", "--exclude", "dev/*", "--no-anchored", "--exclude", ".wh.*"]
            if unprivileged:
                argv = [hostcmd.USERNSEXEC, *ID_MAP, "--", *argv]
            with open(layer, "rb") as source:
                done = hostcmd.run(argv, stdin=source, stdout=log, stderr=log)
            if done.returncode != 0:
                raise PveError(f"OCI archive: unpacking layer {name} failed: exit code "
                               f"{done.returncode}")
            os.unlink(layer)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        image.tar.close()
    return image.config
