"""pve-standin-init ROOT: lay out a stand-in root with <ROOT>/bin links to every tool.

Calling <ROOT>/bin/pct (and pvesh, lxc-info, ...) then needs no environment at all: each tool
finds its root from the link it was started through. nexcage's test config points there.
"""

import os
import sys

from . import lxcwrap
from .root import Root

BIN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin")
TOOLS = ("pct", "pvesh", "dpkg-query") + lxcwrap.TOOLS


def init(path):
    if not os.path.isabs(path):
        raise ValueError(f"the root must be an absolute path, got '{path}'")
    os.makedirs(path, mode=0o755, exist_ok=True)
    root = Root(path)
    root.ensure_layout()
    bin_dir = root.join("bin")
    os.makedirs(bin_dir, mode=0o755, exist_ok=True)
    for tool in TOOLS:
        link = os.path.join(bin_dir, tool)
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(os.path.join(BIN, tool), link)
    return root


def main(argv):
    if len(argv) != 1:
        sys.stderr.write("usage: pve-standin-init ROOT (an absolute directory path)\n")
        return 2
    try:
        root = init(argv[0])
    except (OSError, ValueError) as err:
        sys.stderr.write(f"pve-standin-init: {err}\n")
        return 1
    print(root.join("bin"))
    return 0
