"""lxc-info, lxc-attach, lxc-freeze, ... pointed at the stand-in's LXC path.

nexcage calls these tools as Proxmox has them (`lxc-info -n <vmid> ...`, LXC path
/var/lib/lxc); the stand-in's containers live under <root>/var/lib/lxc, so the wrappers add
`-P <that path>` and replace themselves with Debian's tool (status, stdio and signals pass
straight through).
"""

import os
import sys

from .root import find_root_or_report

TOOLS = ("lxc-info", "lxc-attach", "lxc-freeze", "lxc-unfreeze", "lxc-stop", "lxc-cgroup",
         "lxc-wait", "lxc-ls")


def main(tool, argv):
    if tool not in TOOLS:
        sys.stderr.write(f"pve stand-in: no wrapper for '{tool}'\n")
        return 255
    root = find_root_or_report()
    if root is None:
        return 255
    binary = os.path.join("/usr/bin", tool)
    # The caller's own -P, if any, comes later and wins.
    os.execv(binary, [binary, "-P", root.lxc_path, *argv])
    return 255
