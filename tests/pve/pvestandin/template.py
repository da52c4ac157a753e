"""Unpacking an ostemplate into a new rootfs, with the tar flags of pve-container Create.pm."""

import os
import re
import sys

from . import hostcmd
from .errors import PveError

_COMPRESSION = {".gz": "-z", ".bz2": "-j", ".xz": "-J", ".lzo": "--lzop", ".zst": "--zstd"}
_TAR_SUFFIX = re.compile(r"\.tar(\.[^.]+)?$")
ID_MAP = ["-m", "u:0:100000:65536", "-m", "g:0:100000:65536"]
MAPPED_ROOT = 100000


def compression_flags(archive):
    match = _TAR_SUFFIX.search(archive)
    if not match:
        raise PveError(f"file does not look like a template archive: {archive}")
    if match.group(1) is None:
        return []
    flag = _COMPRESSION.get(match.group(1))
    if flag is None:
        raise PveError(f"unrecognized compression format: {match.group(1)}")
    return [flag]


def extract(archive, rootfs, unprivileged, log=sys.stdout, ignore_errors=False):
    """Unpack archive into rootfs (owned by the CT's root), writing the task log to log.

    ignore_errors is `--ignore-unpack-errors`: e.g. owners beyond the 65536 mapped ids.
    """
    flags = compression_flags(archive)
    argv = [hostcmd.TAR, "xpf", "-", *flags, "--totals", "--one-file-system", "-p", "--sparse",
            "--numeric-owner", "--acls", "--xattrs", "--xattrs-include=user.*",
            "--xattrs-include=security.capability", "--warning=no-file-ignored",
            "--warning=no-xattr-write", "-C", rootfs, "--skip-old-files", "--anchored",
            "--exclude", "./dev/*"]
    if unprivileged:
        # As Proxmox: unpack inside the CT's user namespace, so owners come out shifted.
        os.chown(rootfs, MAPPED_ROOT, MAPPED_ROOT)
        argv = [hostcmd.USERNSEXEC, *ID_MAP, "--", *argv]
    log.write(f"extracting archive '{archive}'\n")
    log.flush()
    with open(archive, "rb") as source:
        done = hostcmd.run(argv, stdin=source, stdout=log, stderr=log)
    if done.returncode != 0 and ignore_errors:
        log.write(f"tar exited with {done.returncode}; ignored (--ignore-unpack-errors)\n")
    elif done.returncode != 0:
        raise PveError(f"command '{hostcmd.describe(argv)}' failed: exit code {done.returncode}")


_ELF_MACHINE = {0x3E: "amd64", 0x03: "i386", 0xB7: "arm64", 0x28: "armhf", 0xF3: "riscv"}


def resolve_inside(rootfs, relative, hops=0):
    """Resolve a path inside rootfs without ever leaving it (absolute links are rootfs-relative)."""
    path = os.path.join(rootfs, relative.lstrip("/"))
    if hops < 10 and os.path.islink(path):
        target = os.readlink(path)
        base = "" if target.startswith("/") else os.path.dirname(relative.lstrip("/"))
        return resolve_inside(rootfs, os.path.normpath(os.path.join("/", base, target)), hops + 1)
    return path


def detect_arch(rootfs):
    """The CT architecture from /bin/sh's ELF header, or None."""
    try:
        with open(resolve_inside(rootfs, "/bin/sh"), "rb") as elf:
            header = elf.read(20)
    except OSError:
        return None
    if len(header) < 20 or header[:4] != b"\x7fELF":
        return None
    machine = int.from_bytes(header[18:20], "little" if header[5] == 1 else "big")
    arch = _ELF_MACHINE.get(machine)
    if arch == "riscv":
        arch = "riscv64" if header[4] == 2 else "riscv32"
    return arch


_OS_FILES = [("etc/devuan_version", "devuan"), ("etc/debian_version", "debian"),
             ("etc/alpine-release", "alpine"), ("etc/arch-release", "archlinux"),
             ("etc/fedora-release", "fedora"), ("etc/centos-release", "centos"),
             ("etc/gentoo-release", "gentoo"), ("etc/SUSE-brand", "opensuse"),
             ("etc/NIXOS", "nixos")]


def detect_ostype(rootfs):
    for relative, ostype in _OS_FILES:
        if os.path.lexists(resolve_inside(rootfs, relative)):
            return ostype
    lsb = resolve_inside(rootfs, "etc/lsb-release")
    try:
        with open(lsb, encoding="utf-8", errors="replace") as text:
            if "DISTRIB_ID=Ubuntu" in text.read():
                return "ubuntu"
    except OSError:
        pass
    raise PveError("unable to detect OS distribution")
