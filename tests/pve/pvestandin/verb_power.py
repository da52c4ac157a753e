"""pct start / stop / shutdown, with Debian's LXC standing in for pve-container@<vmid>.service.

Proxmox's unit runs `lxc-start -F -n <vmid>` with stdout to /dev/null and stderr to
/run/pve/ct-<vmid>.stderr; the stand-in runs the same foreground lxc-start from a detached
supervisor process, which then records lxc-start's exit status in ct-<vmid>.exit.
"""

import os
import time

from . import ctconfig, hostcmd, lock, lxcconf, lxctools, mountpoints, pending, volumes
from .errors import PveError
from .root import untraversable_ancestor

START_TIMEOUT = 10
FAILED_MARK = "The container failed to start"


def _prestart_checks(root, vmid, conf, skiplock):
    if str(conf.get("template", 0)) == "1":
        raise PveError("you can't start a CT if it's a template")
    if not skiplock:
        ctconfig.check_lock(conf, allowed=("mounted",))
    unprivileged = str(conf.get("unprivileged", 0)) == "1"
    for key, value in conf.items():
        if key == "rootfs" or (key.startswith("mp") and key[2:].isdigit()):
            if unprivileged and str(volumes.parse(key, value).get("quota", 0)) == "1":
                raise PveError("Quotas are not supported by unprivileged containers.")
    if unprivileged:
        blocked = untraversable_ancestor(volumes.host_path(root, conf["rootfs"]))
        if blocked:
            raise PveError(f"directory '{blocked}' is not searchable by the container's root "
                           "(uid 100000): make it and its parents o+x (chmod 755)")


def _spawn_supervisor(root, vmid, argv):
    """Run argv detached (own session, no inherited fds) and record its exit status."""
    exit_file = root.run_file(vmid, "exit")
    stderr_file = root.run_file(vmid, "stderr")
    child = os.fork()
    if child:
        os.waitpid(child, 0)
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        os.chdir("/")  # hold no directory of the caller busy
        null = os.open(os.devnull, os.O_RDWR)
        err = os.open(stderr_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(err, 2)
        # Keep no pipe of the caller open: nexcage reads pct's output to EOF.
        os.closerange(3, 65536)
        done = hostcmd.run(argv, stdin=0, stdout=1, stderr=2)
        # What pve-container's post-stop hook undoes: the mount points host root staged.
        try:
            mountpoints.release(root, vmid)
        except (OSError, PveError) as err:
            os.write(2, f"pve stand-in: {err}\n".encode())
        with open(exit_file + ".tmp", "w", encoding="utf-8") as out:
            out.write(f"{done.returncode}\n")
        os.rename(exit_file + ".tmp", exit_file)
    finally:
        os._exit(0)


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as source:
            return source.read()
    except OSError:
        return ""


def _startup_failed(root, vmid):
    """(failed, what lxc-start wrote) once the supervisor has recorded lxc-start's status."""
    text = _read(root.run_file(vmid, "stderr"))
    status = _read(root.run_file(vmid, "exit")).strip()
    return FAILED_MARK in text or (status not in ("", "0")), text


def start_ct(root, vmid, skiplock=False):
    if lxctools.is_running(root, vmid):
        raise PveError(f"CT {vmid} already running")
    with lock.config_lock(root, vmid):
        conf = ctconfig.load(root, vmid)
        _prestart_checks(root, vmid, conf, skiplock)
        changed = pending.apply(conf)
        if volumes.allocate_pending_disks(root, vmid, conf) or changed:
            ctconfig.save(root, vmid, conf)
        mountpoints.release(root, vmid)  # left by a supervisor that died
        staged = mountpoints.stage_all(root, vmid, conf)
        try:
            text = lxcconf.generate(root, vmid, conf, staged)
        except PveError:
            mountpoints.release(root, vmid)
            raise
    directory = os.path.join(root.lxc_path, str(vmid))
    os.makedirs(directory, mode=0o755, exist_ok=True)
    with open(os.path.join(directory, "config"), "w", encoding="utf-8") as out:
        out.write(text)
    for suffix in ("exit", "stderr"):
        if os.path.exists(root.run_file(vmid, suffix)):
            os.unlink(root.run_file(vmid, suffix))
    argv = [hostcmd.LXC_START, "-F", "-P", root.lxc_path, "-n", str(vmid),
            "-o", root.run_file(vmid, "log"), "-l", "INFO"]
    init = lxcconf.init_argv(conf)
    if init:
        argv += ["--", *init]
    _spawn_supervisor(root, vmid, argv)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if lxctools.state(root, vmid) in ("RUNNING", "FROZEN"):
            return 0
        if os.path.exists(root.run_file(vmid, "exit")):
            failed, _ = _startup_failed(root, vmid)
            if failed:
                break
            return 0  # it started, and its init has already exited
        time.sleep(0.05)
    _, text = _startup_failed(root, vmid)
    # The task log (stdout) carries what lxc-start said, as journal lines would on Proxmox.
    print(text, end="" if text.endswith("\n") or not text else "\n")
    raise PveError(f"startup for container '{vmid}' failed")


def wait_supervisor(root, vmid, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not lxctools.has_lxc_config(root, vmid) or os.path.exists(root.run_file(vmid, "exit")):
            return
        time.sleep(0.05)


def stop_ct(root, vmid):
    rc, out, err = hostcmd.capture([hostcmd.LXC_STOP, "-P", root.lxc_path, "-n", str(vmid),
                                    "--kill"])
    if rc != 0 and lxctools.is_running(root, vmid):
        print(out + err, end="")
        raise PveError("container did not stop")
    wait_supervisor(root, vmid)


def start(root, params):
    vmid = params["vmid"]
    ctconfig.load(root, vmid)
    return start_ct(root, vmid, bool(params.get("skiplock")))


def stop(root, params):
    vmid = params["vmid"]
    conf = ctconfig.load(root, vmid)
    if not params.get("skiplock"):
        ctconfig.check_lock(conf)
    ctconfig.check_running(root, vmid)
    stop_ct(root, vmid)
    return 0


def shutdown(root, params):
    vmid = params["vmid"]
    conf = ctconfig.load(root, vmid)
    ctconfig.check_lock(conf)
    ctconfig.check_running(root, vmid)
    timeout = int(params.get("timeout", 60))
    argv = [hostcmd.LXC_STOP, "-P", root.lxc_path, "-n", str(vmid), "--timeout", str(timeout)]
    if not params.get("forceStop"):
        argv.append("--nokill")
    rc, out, err = hostcmd.capture(argv)
    if lxctools.is_running(root, vmid):
        print(out + err, end="")
        raise PveError("container did not stop")
    wait_supervisor(root, vmid)
    return 0


def reboot(root, params):
    """Shutdown (with the halt signal, then a hard stop after --timeout) and start again."""
    vmid = params["vmid"]
    conf = ctconfig.load(root, vmid)
    ctconfig.check_lock(conf)
    ctconfig.check_running(root, vmid)
    timeout = str(int(params.get("timeout", 60)))
    hostcmd.capture([hostcmd.LXC_STOP, "-P", root.lxc_path, "-n", str(vmid), "--timeout",
                     timeout])
    if lxctools.is_running(root, vmid):
        raise PveError("container did not stop")
    wait_supervisor(root, vmid)
    return start_ct(root, vmid)
