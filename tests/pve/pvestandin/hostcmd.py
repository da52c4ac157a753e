"""Starting host programs: absolute paths, argv lists and a fixed environment, never a shell."""

import subprocess

# Callers (nexcage) may run us with an empty environment; tar still needs PATH for zstd/xz.
ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C"}

TAR = "/usr/bin/tar"
USERNSEXEC = "/usr/bin/lxc-usernsexec"
LXC_START = "/usr/bin/lxc-start"
LXC_STOP = "/usr/bin/lxc-stop"
LXC_INFO = "/usr/bin/lxc-info"
LXC_ATTACH = "/usr/bin/lxc-attach"
LXC_FREEZE = "/usr/bin/lxc-freeze"
LXC_UNFREEZE = "/usr/bin/lxc-unfreeze"
LXC_CGROUP = "/usr/bin/lxc-cgroup"
LXC_WAIT = "/usr/bin/lxc-wait"


def run(argv, **kwargs):
    kwargs.setdefault("env", ENV)
    return subprocess.run(argv, check=False, **kwargs)


def capture(argv):
    """(exit status, stdout, stderr) of argv, as text."""
    done = run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
               text=True)
    return done.returncode, done.stdout, done.stderr


def describe(argv):
    return " ".join(argv)
