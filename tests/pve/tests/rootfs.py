"""Test root filesystems and templates made from /bin/busybox (busybox-static), no shell.

The applet links are made here in Python rather than by `busybox --install -s`, so the tree is
built the same way whatever the host has.
"""

import os
import shutil
import subprocess

BUSYBOX = "/bin/busybox"
TAR = "/usr/bin/tar"
COMPRESS = {".tar": [], ".tar.gz": ["-z"], ".tar.xz": ["-J"], ".tar.zst": ["--zstd"]}
ENV = {"PATH": "/usr/bin:/bin"}


def applets():
    done = subprocess.run([BUSYBOX, "--list"], check=True, capture_output=True, text=True)
    return [name for name in done.stdout.split() if name and "/" not in name]


def make_rootfs(directory):
    """A minimal rootfs: /bin/busybox, a link per applet in /bin, and the usual mount points."""
    for sub in ("bin", "dev", "etc", "proc", "sys", "tmp", "root", "run", "mnt"):
        os.makedirs(os.path.join(directory, sub), exist_ok=True)
    os.chmod(os.path.join(directory, "tmp"), 0o1777)
    shutil.copy2(BUSYBOX, os.path.join(directory, "bin", "busybox"))
    for applet in applets():
        link = os.path.join(directory, "bin", applet)
        if not os.path.lexists(link) and applet != "busybox":
            os.symlink("busybox", link)
    for name, text in (("passwd", "root:x:0:0:root:/root:/bin/sh\n"),
                       ("group", "root:x:0:\n"), ("hostname", "template\n")):
        with open(os.path.join(directory, "etc", name), "w", encoding="utf-8") as out:
            out.write(text)
    # A file owned by a non-root id checks that owners survive extraction (numeric, shifted).
    marker = os.path.join(directory, "etc", "owned-by-1000")
    with open(marker, "w", encoding="utf-8") as out:
        out.write("x\n")
    os.chown(marker, 1000, 1000)
    return directory


def make_template(rootfs, archive):
    """Pack rootfs as Proxmox packs templates (`./` members, numeric owners, xattrs)."""
    suffix = next(s for s in sorted(COMPRESS, key=len, reverse=True) if archive.endswith(s))
    argv = [TAR, "-C", rootfs, "--numeric-owner", "--acls", "--xattrs",
            "--xattrs-include=user.*", "--xattrs-include=security.capability", "--sparse",
            *COMPRESS[suffix], "-cpf", archive, "."]
    subprocess.run(argv, check=True, env=ENV)
    return archive


def _sha256(path):
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as blob:
        for chunk in iter(lambda: blob.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _add_blob(layout, path_or_bytes):
    """Move a file (or write bytes) into blobs/sha256/<digest>; returns a descriptor body."""
    blobs = os.path.join(layout, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    if isinstance(path_or_bytes, bytes):
        temporary = os.path.join(blobs, "incoming")
        with open(temporary, "wb") as out:
            out.write(path_or_bytes)
        path_or_bytes = temporary
    digest = _sha256(path_or_bytes)
    target = os.path.join(blobs, digest)
    os.replace(path_or_bytes, target)
    return {"digest": f"sha256:{digest}", "size": os.path.getsize(target)}


def make_oci_archive(layer_dirs, config, archive, work):
    """An OCI image archive (what skopeo's oci-archive: writes) from layer directories,
    the first gzip-compressed, the others plain tar."""
    import json

    layout = os.path.join(work, "layout")
    os.makedirs(layout)
    layers = []
    for number, directory in enumerate(layer_dirs):
        blob = os.path.join(work, f"layer{number}.tar")
        flags = ["-z"] if number == 0 else []
        subprocess.run([TAR, "-C", directory, "--numeric-owner", *flags, "-cf", blob, "."],
                       check=True, env=ENV)
        media = "application/vnd.oci.image.layer.v1.tar" + ("+gzip" if flags else "")
        layers.append(dict(mediaType=media, **_add_blob(layout, blob)))
    image_config = {"architecture": "amd64", "os": "linux", "config": config,
                    "rootfs": {"type": "layers", "diff_ids": []}}
    config_blob = _add_blob(layout, json.dumps(image_config).encode())
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": dict(mediaType="application/vnd.oci.image.config.v1+json",
                               **config_blob), "layers": layers}
    manifest_blob = _add_blob(layout, json.dumps(manifest).encode())
    index = {"schemaVersion": 2, "manifests": [dict(
        mediaType="application/vnd.oci.image.manifest.v1+json",
        platform={"architecture": "amd64", "os": "linux"}, **manifest_blob)]}
    with open(os.path.join(layout, "index.json"), "w", encoding="utf-8") as out:
        json.dump(index, out)
    with open(os.path.join(layout, "oci-layout"), "w", encoding="utf-8") as out:
        json.dump({"imageLayoutVersion": "1.0.0"}, out)
    subprocess.run([TAR, "-C", layout, "-cf", archive, "."], check=True, env=ENV)
    return archive
