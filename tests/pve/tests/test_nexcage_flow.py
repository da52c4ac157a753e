"""The flow nexcage's pct backend follows (reference §13 "Suggested create argv"), end to end:
create with explicit options, raw lxc.* lines appended under Proxmox's flock, start, observe,
signal, stop, destroy."""

import fcntl
import os
import signal

from helpers import TEMPLATE, StandinTest

LOOP = "while true; do sleep 0.1; done"


class NexcageFlow(StandinTest):
    def append_raw_lines(self, vmid, lines):
        """What nexcage does: take the per-CT flock, then append to the config file."""
        lock = os.path.join(self.root.path, "run", "lock", "lxc", f"pve-config-{vmid}.lock")
        with open(lock, "a", encoding="utf-8") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            with open(self.root.conf_path(vmid), "a", encoding="utf-8") as conf:
                conf.write("".join(line + "\n" for line in lines))

    def test_suggested_create_then_raw_lines_then_start(self):
        self.root.add_template()
        nextid = self.assertOk(self.root.tool("pvesh", "get", "/cluster/nextid")).out.strip()
        host_file = os.path.join(self.root.tmp, "resolv.conf")
        with open(host_file, "w", encoding="utf-8") as out:
            out.write("nameserver 192.0.2.1\n")
        logfile = os.path.join(self.root.tmp, "console.log")
        entrypoint = f"/bin/sh -c 'echo started; trap \"exit 0\" TERM; {LOOP}' ignored"
        create = self.root.pct(
            "create", nextid, f"local:vztmpl/{TEMPLATE}", "--ostype", "unmanaged", "--arch",
            "amd64", "--unprivileged", "1", "--rootfs", "local-lvm:2", "--hostname", "app",
            "--memory", "128", "--swap", "0", "--cpulimit", "0.5", "--net0",
            "name=eth0,bridge=vmbr0,ip=dhcp,host-managed=1", "--entrypoint", entrypoint,
            "--cmode", "console", "--onboot", "0", "--start", "0", "--tags", "nexcage",
            "--description", "oci id: web-1")
        self.assertOk(create)
        self.append_raw_lines(nextid, [
            "lxc.environment.runtime: PATH=/bin:/sbin",
            "lxc.environment.runtime: GREETING=hello world",
            "lxc.init.cwd: /tmp",
            "lxc.init.uid: 0",
            "lxc.init.gid: 0",
            "lxc.prlimit.nofile: 1024:2048",
            "lxc.cap.drop: ",
            "lxc.cap.keep: chown kill setuid setgid sys_chroot net_bind_service",
            f"lxc.mount.entry: {host_file} etc/resolv.conf none bind,create=file 0 0",
            "lxc.mount.entry: tmpfs run/scratch tmpfs rw,nosuid,size=1m,create=dir 0 0",
            "lxc.signal.halt: SIGTERM",
            "lxc.cgroup2.pids.max: 64",
            f"lxc.console.logfile: {logfile}",
        ])
        self.assertOk(self.root.pct("start", nextid))
        pid = int(self.root.tool("lxc-info", "-n", nextid, "-p", "-H").out)
        with open(f"/proc/{pid}/environ", "rb") as environ:
            variables = environ.read().split(b"\0")
        self.assertIn(b"GREETING=hello world", variables)
        self.assertTrue(os.readlink(f"/proc/{pid}/cwd").endswith("/tmp"))
        with open(f"/proc/{pid}/limits", encoding="utf-8") as limits:
            line = [l for l in limits if l.startswith("Max open files")][0]
        self.assertEqual(line.split()[3:5], ["1024", "2048"])
        attach = self.root.tool("lxc-attach", "-n", nextid, "--clear-env", "-v", "X=1", "--",
                                "/bin/sh", "-c", "cat /etc/resolv.conf; grep scratch "
                                "/proc/mounts | cut -d' ' -f3; hostname")
        self.assertEqual(attach.out, "nameserver 192.0.2.1\ntmpfs\napp\n", attach)
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            cap_bnd = [l for l in status if l.startswith("CapBnd")][0].split()[1]
        self.assertEqual(int(cap_bnd, 16) & (1 << 21), 0, "CAP_SYS_ADMIN must be dropped")
        # SIGSTOP/SIGCONT through the host pid, as nexcage's kill does for other signals
        os.kill(pid, signal.SIGSTOP)
        os.kill(pid, signal.SIGCONT)
        self.assertOk(self.root.pct("shutdown", nextid, "--timeout", "10"))
        self.assertEqual(self.root.pct("status", nextid).out, "status: stopped\n")
        with open(logfile, encoding="utf-8") as console:
            self.assertIn("started", console.read())
        self.assertOk(self.root.pct("destroy", nextid, "--purge", "1", "--force", "1"))
        self.assertFalse(os.path.exists(self.root.conf_path(nextid)))

    def test_pause_resume_keeps_running(self):
        self.root.add_template()
        self.assertOk(self.root.pct("create", "100", f"local:vztmpl/{TEMPLATE}", "--ostype",
                                    "unmanaged", "--rootfs", "local-lvm:1", "--entrypoint",
                                    f'/bin/sh -c "{LOOP}"', "--start", "1"))
        self.assertOk(self.root.tool("lxc-freeze", "-n", "100"))
        self.assertEqual(self.root.tool("lxc-info", "-n", "100", "-s", "-H").out, "FROZEN\n")
        self.assertEqual(self.root.pct("status", "100").out, "status: running\n")
        self.assertOk(self.root.tool("lxc-unfreeze", "-n", "100"))
        self.assertEqual(self.root.tool("lxc-info", "-n", "100", "-s", "-H").out, "RUNNING\n")
