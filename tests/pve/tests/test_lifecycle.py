"""Real containers through Debian's LXC: what nexcage's tests will observe (needs root and
tests/pve/setup-host.sh)."""

import os
import signal
import subprocess
import time

from helpers import TEMPLATE, StandinRoot, StandinTest
from pvestandin import mountpoints

LOOP = "while true; do sleep 0.1; done"


def cgroup_file(pid, controller, v1_file, v2_file):
    """A cgroup file of pid's cgroup for controller, where the host has it (v1 or v2)."""
    with open(f"/proc/{pid}/cgroup", encoding="utf-8") as cgroups:
        lines = cgroups.read().splitlines()
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            with open(f"/sys/fs/cgroup/{controller}{path}/{v1_file}", encoding="utf-8") as f:
                return f.read().strip()
    for line in lines:
        if line.startswith("0::"):
            with open(f"/sys/fs/cgroup{line[3:]}/{v2_file}", encoding="utf-8") as f:
                return f.read().strip()
    raise AssertionError(f"no {controller} cgroup for {pid}: {lines}")


def memory_limit(pid):
    return int(cgroup_file(pid, "memory", "memory.limit_in_bytes", "memory.max"))


class Lifecycle(StandinTest):
    def wait_status(self, vmid, want, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.root.pct("status", vmid).out == f"status: {want}\n":
                return
            time.sleep(0.1)
        self.fail(f"CT {vmid} not {want} after {timeout}s")

    def pid(self, vmid):
        out = self.assertOk(self.root.tool("lxc-info", "-n", vmid, "-p", "-H")).out
        return int(out)

    def exec_(self, vmid, *command):
        return self.root.pct("exec", vmid, "--keep-env", "0", "--", *command)

    def assert_nothing_left(self, vmid):
        self.assertFalse(os.path.exists(self.root.conf_path(vmid)))
        lxc = os.path.join(self.root.path, "var", "lib", "lxc")
        self.assertEqual(os.listdir(lxc), [])
        storage = os.path.join(self.root.path, "var", "lib", "standin-storage", "local-lvm")
        self.assertEqual(os.listdir(storage), [])
        self.assertEqual(os.listdir(os.path.join(self.root.path, "run", "pve")), [])
        self.assertEqual(self.root.tool("lxc-ls").out.strip(), "")

    def test_unprivileged_lifecycle(self):
        trap = f"trap 'echo got > /tmp/usr1' USR1; {LOOP}"
        self.create("100", "--hostname", "web", "--memory", "64", "--swap", "0", "--env",
                    "FOO=bar baz", "--entrypoint", f'/bin/sh -c "{trap}"', "--net0",
                    "name=eth0,bridge=vmbr0,ip=dhcp,host-managed=1")
        start = self.assertOk(self.root.pct("start", "100"))
        self.assertEqual((start.out, start.err), ("", ""))
        self.assertEqual(self.root.pct("status", "100").out, "status: running\n")
        pid = self.pid("100")
        self.assertIn(f"pid: {pid}\n", self.root.pct("status", "100", "--verbose", "1").out)
        self.assertEqual(self.exec_("100", "hostname").out, "web\n")
        with open(f"/proc/{pid}/environ", "rb") as environ:
            self.assertIn(b"FOO=bar baz", environ.read().split(b"\0"))
        self.assertIn("FOO=bar baz\n", self.exec_("100", "env").out)
        with open(f"/proc/{pid}/uid_map", encoding="utf-8") as uid_map:
            self.assertEqual(uid_map.read().split(), ["0", "100000", "65536"])
        self.assertEqual(memory_limit(pid), 64 * 1024 * 1024)
        owner = self.exec_("100", "stat", "-c", "%u:%g", "/etc/owned-by-1000").out
        self.assertEqual(owner, "1000:1000\n")
        self.assertIn("eth0", self.exec_("100", "cat", "/proc/net/dev").out)
        # Signals reach the init (it traps USR1).
        os.kill(pid, signal.SIGUSR1)
        deadline = time.monotonic() + 5
        while self.exec_("100", "cat", "/tmp/usr1").out != "got\n":
            self.assertLess(time.monotonic(), deadline, "USR1 not seen by the init")
            time.sleep(0.1)
        # Frozen is still "running" for pct.
        self.assertOk(self.root.tool("lxc-freeze", "-n", "100"))
        self.assertEqual(self.root.tool("lxc-info", "-n", "100", "-s", "-H").out, "FROZEN\n")
        self.assertEqual(self.root.pct("status", "100").out, "status: running\n")
        self.assertOk(self.root.tool("lxc-unfreeze", "-n", "100"))
        self.assertFails(self.root.pct("start", "100"), "CT 100 already running\n")
        self.assertFails(self.root.pct("destroy", "100"),
                         "unable to destroy CT 100 - container is running\n")
        self.assertOk(self.root.pct("stop", "100"))
        self.assertEqual(self.root.pct("status", "100").out, "status: stopped\n")
        self.assertFalse(os.path.exists(f"/proc/{pid}"), "the init outlived pct stop")
        self.assertOk(self.root.pct("destroy", "100", "--purge", "1"))
        self.assert_nothing_left("100")

    def test_destroy_force_stops_first(self):
        self.create("100", "--entrypoint", f'/bin/sh -c "{LOOP}"', "--start", "1")
        self.assertEqual(self.root.pct("status", "100").out, "status: running\n")
        self.assertOk(self.root.pct("destroy", "100", "--force", "1", "--purge", "1"))
        self.assert_nothing_left("100")

    def test_sigkill_to_the_init_stops_the_ct(self):
        self.create("100", "--entrypoint", f'/bin/sh -c "{LOOP}"', "--start", "1")
        os.kill(self.pid("100"), signal.SIGKILL)
        self.wait_status("100", "stopped")
        self.assertOk(self.root.pct("destroy", "100", "--purge", "1"))
        self.assert_nothing_left("100")

    def test_same_vmid_in_two_roots_at_once(self):
        other = StandinRoot()
        self.addCleanup(other.cleanup)
        for root, name in ((self.root, "first"), (other, "second")):
            root.add_template()
            self.assertOk(root.pct("create", "100", f"local:vztmpl/{TEMPLATE}", "--rootfs",
                                   "local-lvm:1", "--ostype", "unmanaged", "--hostname", name,
                                   "--entrypoint", f'/bin/sh -c "{LOOP}"', "--start", "1"))
        self.assertEqual(self.exec_("100", "hostname").out, "first\n")
        second = other.pct("exec", "100", "--", "hostname")
        self.assertEqual(second.out, "second\n")
        self.assertOk(other.pct("destroy", "100", "--force", "1"))
        self.assertEqual(self.root.pct("status", "100").out, "status: running\n")

    def test_mount_points(self):
        host_dir = os.path.join(self.root.tmp, "shared")
        os.makedirs(host_dir)
        os.chmod(host_dir, 0o755)
        with open(os.path.join(host_dir, "hello"), "w", encoding="utf-8") as hello:
            hello.write("from the host\n")
        self.create("100", "--entrypoint", f'/bin/sh -c "{LOOP}"', "--mp0",
                    f"{host_dir},mp=/srv/shared,ro=1", "--mp1", "local-lvm:1,mp=/data")
        config = self.root.pct("config", "100").out
        self.assertIn(f"mp0: {host_dir},mp=/srv/shared,ro=1\n", config)
        self.assertIn("mp1: local-lvm:vm-100-disk-1,mp=/data,size=1G\n", config)
        self.assertOk(self.root.pct("start", "100"))
        self.assertEqual(self.exec_("100", "cat", "/srv/shared/hello").out, "from the host\n")
        self.assertNotEqual(self.exec_("100", "touch", "/srv/shared/x").rc, 0)
        self.assertOk(self.exec_("100", "touch", "/data/written"))
        self.assertOk(self.root.pct("destroy", "100", "--force", "1"))
        # A bind mount's source is never touched; the CT's own volumes are gone.
        self.assertTrue(os.path.exists(os.path.join(host_dir, "hello")))
        self.assert_nothing_left("100")

    def test_bind_mount_point_from_a_private_directory(self):
        # Proxmox's pre-start hook mounts mpN as host root, so a source under a 0700 directory
        # mounts in an unprivileged CT; a raw lxc.mount.entry from there does not.
        private = os.path.join(self.root.tmp, "private")
        shared = os.path.join(private, "shared")
        os.makedirs(shared)
        os.chmod(private, 0o700)
        os.chmod(shared, 0o1777)
        with open(os.path.join(private, "file"), "w", encoding="utf-8") as out:
            out.write("x\n")
        with open(os.path.join(shared, "hello"), "w", encoding="utf-8") as hello:
            hello.write("from the host\n")
        self.create("100", "--unprivileged", "1", "--entrypoint", f'/bin/sh -c "{LOOP}"',
                    "--mp0", f"{shared},mp=/srv/shared")
        self.assertOk(self.root.pct("start", "100"))
        self.assertEqual(self.exec_("100", "cat", "/srv/shared/hello").out, "from the host\n")
        self.assertOk(self.exec_("100", "touch", "/srv/shared/written"))
        self.assertTrue(os.path.exists(os.path.join(shared, "written")))
        staged = os.path.join(self.root.path, "run", "pve", "ct-100.mp")
        self.assertEqual(mountpoints.mounts_under(staged), [os.path.join(staged, "mp0")])
        self.assertOk(self.root.pct("stop", "100"))
        self.assertEqual(mountpoints.mounts_under(staged), [])
        self.assertFalse(os.path.exists(staged))
        self.root.write_conf("100", self.root.read_conf("100") + "lxc.mount.entry: "
                             f"{private}/file srv/file none bind,create=file 0 0\n")
        self.assertNotEqual(self.root.pct("start", "100").rc, 0)
        with open(os.path.join(self.root.path, "run", "pve", "ct-100.stderr"),
                  encoding="utf-8") as err:
            self.assertIn("Permission denied", err.read())
        self.assertEqual(mountpoints.mounts_under(staged), [])
        self.assertOk(self.root.pct("destroy", "100"))
        self.assertTrue(os.path.exists(os.path.join(shared, "hello")))
        self.assert_nothing_left("100")

    def test_raw_lines_env_and_cwd(self):
        self.create("100", "--entrypoint", f'/bin/sh -c "{LOOP}"')
        self.root.write_conf("100", self.root.read_conf("100") +
                             "lxc.environment.runtime: A=1\nlxc.environment.runtime: B=two\n"
                             "lxc.init.cwd: /tmp\n")
        self.assertOk(self.root.pct("start", "100"))
        pid = self.pid("100")
        with open(f"/proc/{pid}/environ", "rb") as environ:
            variables = environ.read().split(b"\0")
        self.assertIn(b"A=1", variables)
        self.assertIn(b"B=two", variables)
        self.assertTrue(os.readlink(f"/proc/{pid}/cwd").endswith("/tmp"))

    def test_cpu_options(self):
        self.create("100", "--cores", "1", "--cpulimit", "0.5", "--entrypoint",
                    f'/bin/sh -c "{LOOP}"', "--start", "1")
        pid = self.pid("100")
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            allowed = [l.split()[1] for l in status if l.startswith("Cpus_allowed_list")]
        self.assertEqual(allowed, ["0"])
        quota = cgroup_file(pid, "cpu", "cpu.cfs_quota_us", "cpu.max")
        self.assertIn(quota, ("50000", "50000 100000"))

    def test_raw_cgroup2_limits_take_effect(self):
        # nexcage writes limits as raw lxc.cgroup2.* lines; they must bite on this host too.
        self.create("100", "--entrypoint", f'/bin/sh -c "{LOOP}"')
        self.root.write_conf("100", self.root.read_conf("100") +
                             "lxc.cgroup2.pids.max: 42\nlxc.cgroup2.cpu.max: 50000 100000\n")
        self.assertOk(self.root.pct("start", "100"))
        pid = self.pid("100")
        self.assertEqual(cgroup_file(pid, "pids", "pids.max", "pids.max"), "42")
        quota = cgroup_file(pid, "cpu", "cpu.cfs_quota_us", "cpu.max")
        self.assertIn(quota, ("50000", "50000 100000"))

    def test_privileged_keeps_numeric_owners(self):
        self.create("100", "--unprivileged", "0", "--entrypoint", f'/bin/sh -c "{LOOP}"')
        volume = os.path.join(self.root.path, "var", "lib", "standin-storage", "local-lvm",
                              "vm-100-disk-0")
        self.assertEqual(os.stat(os.path.join(volume, "etc", "owned-by-1000")).st_uid, 1000)
        self.assertOk(self.root.pct("start", "100"))
        with open(f"/proc/{self.pid('100')}/uid_map", encoding="utf-8") as uid_map:
            self.assertEqual(uid_map.read().split(), ["0", "0", "4294967295"])

    def test_unprivileged_shifts_owners_on_the_host(self):
        self.create("100")
        volume = os.path.join(self.root.path, "var", "lib", "standin-storage", "local-lvm",
                              "vm-100-disk-0")
        self.assertEqual(os.stat(os.path.join(volume, "etc", "owned-by-1000")).st_uid, 101000)
        self.assertEqual(os.stat(os.path.join(volume, "bin", "busybox")).st_uid, 100000)

    def test_init_exit_stops_the_container(self):
        self.create("100", "--entrypoint", '/bin/sh -c "sleep 0.5; exit 3"')
        self.assertOk(self.root.pct("start", "100"))
        self.wait_status("100", "stopped")
        # and it can start again
        self.assertOk(self.root.pct("start", "100"))
        self.wait_status("100", "stopped")

    def test_start_failure(self):
        self.create("100", "--entrypoint", "/no/such/init")
        result = self.root.pct("start", "100")
        self.assertEqual(result.rc, 255, result)
        self.assertEqual(result.err, "startup for container '100' failed\n")
        self.assertEqual(self.root.pct("status", "100").out, "status: stopped\n")

    def test_shutdown_sends_the_halt_signal(self):
        self.create("100", "--entrypoint", f"/bin/sh -c \"trap 'exit 0' TERM; {LOOP}\"")
        self.root.write_conf("100", self.root.read_conf("100") + "lxc.signal.halt: SIGTERM\n")
        self.assertOk(self.root.pct("start", "100"))
        self.assertOk(self.root.pct("shutdown", "100", "--timeout", "10"))
        self.assertEqual(self.root.pct("status", "100").out, "status: stopped\n")

    def test_reboot(self):
        self.create("100", "--entrypoint", f'/bin/sh -c "{LOOP}"', "--start", "1")
        first = self.pid("100")
        self.assertOk(self.root.pct("reboot", "100", "--timeout", "1"))
        self.assertNotEqual(self.pid("100"), first)
        self.assertOk(self.root.pct("stop", "100"))
        self.assertFails(self.root.pct("reboot", "100"), "CT 100 not running\n")

    def test_shutdown_timeout_and_force_stop(self):
        # The default halt signal (SIGPWR) is ignored by a shell as pid 1.
        self.create("100", "--entrypoint", f'/bin/sh -c "{LOOP}"')
        self.assertOk(self.root.pct("start", "100"))
        self.assertFails(self.root.pct("shutdown", "100", "--timeout", "1"),
                         "container did not stop\n")
        self.assertEqual(self.root.pct("status", "100").out, "status: running\n")
        self.assertOk(self.root.pct("shutdown", "100", "--timeout", "1", "--forceStop", "1"))
        self.assertEqual(self.root.pct("status", "100").out, "status: stopped\n")

    def test_shutdown_uses_the_configured_halt_signal_not_sigpwr(self):
        # The init traps only USR1: the default SIGPWR would not stop it.
        self.create("100", "--entrypoint", f"/bin/sh -c \"trap 'exit 0' USR1; {LOOP}\"")
        self.root.write_conf("100", self.root.read_conf("100") + "lxc.signal.halt: SIGUSR1\n")
        self.assertOk(self.root.pct("start", "100"))
        self.assertOk(self.root.pct("shutdown", "100", "--timeout", "10"))
        self.assertEqual(self.root.pct("status", "100").out, "status: stopped\n")

    def test_shutdown_with_sigterm_does_not_stop_a_sleep_as_pid_1(self):
        # What real LXC does: the kernel delivers to a namespace's init only the signals it has a
        # handler for, even from the host (pid_namespaces(7)); SIGKILL and SIGSTOP excepted.
        # busybox sleep installs none, so `lxc.signal.halt: SIGTERM` cannot stop it: the
        # shutdown waits for its timeout, and only --forceStop 1 ends it.
        self.create("100", "--entrypoint", "/bin/sleep 1000")
        self.root.write_conf("100", self.root.read_conf("100") + "lxc.signal.halt: SIGTERM\n")
        self.assertOk(self.root.pct("start", "100"))
        started = time.monotonic()
        self.assertFails(self.root.pct("shutdown", "100", "--timeout", "2"),
                         "container did not stop\n")
        self.assertGreaterEqual(time.monotonic() - started, 2)
        self.assertEqual(self.root.pct("status", "100").out, "status: running\n")
        self.assertOk(self.root.pct("shutdown", "100", "--timeout", "1", "--forceStop", "1"))
        self.assertEqual(self.root.pct("status", "100").out, "status: stopped\n")

    def test_exec_passes_the_exit_status_through(self):
        self.create("100", "--entrypoint", f'/bin/sh -c "{LOOP}"', "--start", "1")
        self.assertEqual(self.exec_("100", "/bin/sh", "-c", "exit 7").rc, 7)
        self.assertEqual(self.exec_("100", "/bin/sh", "-c", "kill -9 $$").rc, 128 + 9)
        self.assertFails(self.root.pct("exec", "100"), "missing command\n")

    def test_entrypoint_quoting_as_lxc_6(self):
        script = "for a in \"$@\"; do echo \"[$a]\"; done > /tmp/args; " + LOOP
        self.create("100", "--entrypoint", f"/bin/sh -c '{script}' argv0 'a b' \"it's\" ''")
        self.assertOk(self.root.pct("start", "100"))
        deadline = time.monotonic() + 5
        while self.exec_("100", "cat", "/tmp/args").rc != 0:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.1)
        self.assertEqual(self.exec_("100", "cat", "/tmp/args").out, "[a b]\n[it's]\n[]\n")

    def test_set_on_a_running_ct(self):
        self.create("100", "--memory", "64", "--swap", "0", "--entrypoint",
                    f'/bin/sh -c "{LOOP}"', "--start", "1")
        pid = self.pid("100")
        # memory is hot-plugged, hostname applied at once, entrypoint left pending
        self.assertOk(self.root.pct("set", "100", "--memory", "96", "--hostname", "renamed",
                                    "--entrypoint", "/bin/sh -c 'sleep 1000'"))
        self.assertEqual(memory_limit(pid), 96 * 1024 * 1024)
        text = self.root.read_conf("100")
        self.assertIn("\n[pve:pending]\nentrypoint: /bin/sh -c 'sleep 1000'\n", text)
        self.assertIn("hostname: renamed\n", text.split("[pve:pending]")[0])
        self.assertIn("entrypoint: /bin/sh -c 'sleep 1000'\n", self.root.pct("config", "100").out)
        self.assertIn(f"entrypoint: /bin/sh -c \"{LOOP}\"\n",
                      self.root.pct("config", "100", "--current", "1").out)
        self.assertOk(self.root.pct("stop", "100"))
        self.assertOk(self.root.pct("start", "100"))
        self.assertNotIn("pve:pending", self.root.read_conf("100"))
        with open(f"/proc/{self.pid('100')}/cmdline", "rb") as cmdline:
            self.assertEqual(cmdline.read(), b"sleep\x001000\x00")

    def test_network_and_disk_added_to_a_running_ct_wait_for_the_restart(self):
        self.create("100", "--entrypoint", f'/bin/sh -c "{LOOP}"', "--start", "1")
        self.assertOk(self.root.pct("set", "100", "--net1", "name=eth1,bridge=vmbr0",
                                    "--mp0", "local-lvm:1,mp=/data"))
        pending = self.root.read_conf("100").split("[pve:pending]")[1]
        self.assertRegex(pending, r"net1: name=eth1,bridge=vmbr0,hwaddr=BC:24:11:[0-9A-F:]{8},"
                                  r"type=veth\n")
        self.assertIn("mp0: local-lvm:1,mp=/data\n", pending)
        self.assertNotIn("eth1", self.exec_("100", "cat", "/proc/net/dev").out)
        self.assertOk(self.root.pct("stop", "100"))
        self.assertOk(self.root.pct("start", "100"))
        self.assertIn("eth1", self.exec_("100", "cat", "/proc/net/dev").out)
        self.assertIn("mp0: local-lvm:vm-100-disk-1,mp=/data,size=1G\n",
                      self.root.read_conf("100"))
        self.assertOk(self.exec_("100", "touch", "/data/x"))

    def test_cleanup_tool_stops_everything_and_removes_the_root(self):
        self.create("100", "--entrypoint", f'/bin/sh -c "{LOOP}"', "--start", "1")
        pid = self.pid("100")
        tool = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin",
                            "pve-standin-cleanup")
        refused = subprocess.run([tool, self.root.tmp], capture_output=True, text=True,
                                 check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("is not a pve stand-in root", refused.stderr)
        done = subprocess.run([tool, self.root.path], capture_output=True, text=True,
                              check=False)
        self.assertEqual((done.returncode, done.stdout), (0, "stopped CT 100\n"), done.stderr)
        self.assertFalse(os.path.exists(self.root.path))
        self.assertFalse(os.path.exists(f"/proc/{pid}"))

    def test_lxc_wrappers_point_at_the_standin(self):
        self.create("100", "--entrypoint", f'/bin/sh -c "{LOOP}"', "--start", "1")
        self.assertEqual(self.root.tool("lxc-info", "-n", "100", "-s", "-H").out, "RUNNING\n")
        attach = self.root.tool("lxc-attach", "-n", "100", "--clear-env", "-v", "K=V", "--",
                                "/bin/sh", "-c", "echo $K")
        self.assertEqual(attach.out, "V\n")
        missing = self.root.tool("lxc-info", "-n", "999", "-s", "-H")
        self.assertNotEqual(missing.rc, 0)
        # The host's own /var/lib/lxc knows nothing of it.
        done = subprocess.run(["/usr/bin/lxc-info", "-n", "100", "-s", "-H"],
                              capture_output=True, text=True, check=False)
        self.assertNotEqual(done.stdout, "RUNNING\n")
