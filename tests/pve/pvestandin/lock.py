"""PVE's per-CT config lock: flock on /run/lock/lxc/pve-config-<vmid>.lock with a timeout.

nexcage writes raw lines into the config under this same lock, so the stand-in must take it
for every change, exactly where pct does.
"""

import contextlib
import fcntl
import os
import time

from .errors import PveError

TIMEOUT = 10
CREATE_TIMEOUT = 5


def _timeout(default):
    # Tests shorten the wait with PVE_STANDIN_LOCK_TIMEOUT (seconds) to check the message fast.
    value = os.environ.get("PVE_STANDIN_LOCK_TIMEOUT")
    if value is None:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        raise PveError(f"PVE_STANDIN_LOCK_TIMEOUT must be a number of seconds, got '{value}'")


@contextlib.contextmanager
def config_lock(root, vmid, default_timeout=TIMEOUT):
    path = root.lock_path(vmid)
    deadline = time.monotonic() + _timeout(default_timeout)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise PveError(f"can't lock file '{path}' - got timeout")
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)
