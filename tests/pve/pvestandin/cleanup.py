"""pve-standin-cleanup ROOT [--keep-files]: stop every container of a stand-in root, then
remove the root. A test harness calls it last: the containers outlive the test process (they
run under detached supervisors, as Proxmox's run under systemd)."""

import os
import shutil
import sys

from . import hostcmd, mountpoints, verb_power
from .errors import PveError
from .root import MARKER, Root


def stop_all(root):
    stopped = []
    names = os.listdir(root.lxc_path) if os.path.isdir(root.lxc_path) else []
    for name in sorted(names):
        rc, _, _ = hostcmd.capture([hostcmd.LXC_STOP, "-P", root.lxc_path, "-n", name,
                                    "--kill"])
        if rc == 0:
            stopped.append(name)
    for name in names:
        # Let each supervisor record its exit before the files go.
        verb_power.wait_supervisor(root, name, timeout=5)
    return stopped


def main(argv):
    keep = "--keep-files" in argv
    paths = [a for a in argv if a != "--keep-files"]
    if len(paths) != 1 or not os.path.isabs(paths[0]):
        sys.stderr.write("usage: pve-standin-cleanup ROOT [--keep-files] (ROOT absolute)\n")
        return 2
    path = paths[0]
    if not os.path.isfile(os.path.join(path, MARKER)):
        # Never remove a directory that is not a stand-in root.
        sys.stderr.write(f"pve-standin-cleanup: {path} is not a pve stand-in root "
                         f"(no {MARKER})\n")
        return 1
    root = Root(path)
    for name in stop_all(root):
        print(f"stopped CT {name}")
    if not keep:
        # Removing the files must never reach through a mount point host root staged (it would
        # delete the bind source's content): detach them all first, and stop if one stays.
        try:
            mountpoints.release_path(path)
        except PveError as err:
            sys.stderr.write(f"pve-standin-cleanup: {err}; {path} left in place\n")
            return 1
        shutil.rmtree(path)
    return 0
