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
