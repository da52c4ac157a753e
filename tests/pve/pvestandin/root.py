"""Where the stand-in keeps what Proxmox keeps under / (its "root").

The root comes from PVE_STANDIN_ROOT, or, when a command runs through the symlinks that
`pve-standin-init` puts in <root>/bin, from the location of that symlink, so nexcage can call
`<root>/bin/pct` without passing any environment. The real /etc/pve is never used.
"""

import os
import stat
import sys

from .errors import PveError

MARKER = ".pve-standin"
DEFAULT_NODE = "pve"


class Root:
    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.node = os.environ.get("PVE_STANDIN_NODE") or DEFAULT_NODE

    def join(self, *parts):
        return os.path.join(self.path, *parts)

    @property
    def conf_dir(self):
        return self.join("etc", "pve", "nodes", self.node, "lxc")

    def conf_path(self, vmid):
        return os.path.join(self.conf_dir, f"{vmid}.conf")

    def lock_path(self, vmid):
        return self.join("run", "lock", "lxc", f"pve-config-{vmid}.lock")

    @property
    def lxc_path(self):
        """The LXC path (`lxc-* -P`), /var/lib/lxc on Proxmox."""
        return self.join("var", "lib", "lxc")

    def run_file(self, vmid, suffix):
        return self.join("run", "pve", f"ct-{vmid}.{suffix}")

    @property
    def storage_cfg(self):
        return self.join("etc", "pve", "storage.cfg")

    @property
    def datacenter_cfg(self):
        return self.join("etc", "pve", "datacenter.cfg")

    def ensure_layout(self):
        """Create the directories (mode 0755: an unprivileged CT's root must traverse them)."""
        for directory in (self.conf_dir, os.path.dirname(self.lock_path(0)), self.lxc_path,
                          os.path.dirname(self.run_file(0, "x"))):
            os.makedirs(directory, mode=0o755, exist_ok=True)
        link = self.join("etc", "pve", "lxc")
        if not os.path.lexists(link):
            try:
                os.symlink(os.path.join("nodes", self.node, "lxc"), link)
            except FileExistsError:
                pass  # another tool of the same root made it just now
        # dpkg's record of the Proxmox packages, which nexcage reads for pve-container's version
        # through bin/dpkg-query (backends.pct.dpkg_query). The stand-in models the sources it
        # was written from.
        status = self.join("var", "lib", "dpkg", "status")
        if not os.path.exists(status):
            os.makedirs(os.path.dirname(status), mode=0o755, exist_ok=True)
            write_once(status, "".join(
                f"Package: {name}\nStatus: install ok installed\nVersion: {version}\n\n"
                for name, version in DPKG_PACKAGES))
        marker = self.join(MARKER)
        if not os.path.exists(marker):
            write_once(marker, "A Proxmox VE stand-in root for nexcage's tests (tests/pve).\n")
        from . import storage  # the default storage.cfg needs the root's paths

        storage.ensure_default_config(self)


# The versions of the Proxmox sources the stand-in follows (pve-container @94f5585 and friends).
DPKG_PACKAGES = (("pve-container", "6.1.10"), ("lxc-pve", "6.0.5-3"))


def write_once(path, text):
    """Create path with text unless it exists; concurrent callers never see a partial file."""
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(text)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


def _from_invocation():
    """<root> if argv[0] is <root>/bin/<tool> and <root> carries the marker."""
    invoked = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    candidate = os.path.dirname(os.path.dirname(invoked))
    if invoked and os.path.isfile(os.path.join(candidate, MARKER)):
        return candidate
    return None


def find_root():
    path = os.environ.get("PVE_STANDIN_ROOT") or _from_invocation()
    if not path:
        raise PveError("pve stand-in: no root: set PVE_STANDIN_ROOT to a directory, or call "
                       "the tools through <root>/bin made by tests/pve/bin/pve-standin-init")
    if not os.path.isabs(path):
        raise PveError(f"pve stand-in: PVE_STANDIN_ROOT must be an absolute path, got '{path}'")
    if os.path.realpath(path) == "/":
        raise PveError("pve stand-in: refusing to use / as the root (that is the real /etc/pve)")
    root = Root(path)
    root.ensure_layout()
    return root


def find_root_or_report():
    """find_root() for a tool's main(): None after writing why on stderr."""
    try:
        return find_root()
    except PveError as err:
        sys.stderr.write(err.render())
        return None


def untraversable_ancestor(path, uid=100000):
    """The first ancestor of path that a mapped root (host uid 100000) could not enter, if any."""
    current = os.path.dirname(os.path.abspath(path))
    while True:
        info = os.stat(current)
        if info.st_uid != uid and not info.st_mode & stat.S_IXOTH:
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
