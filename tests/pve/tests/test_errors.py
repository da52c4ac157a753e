"""The errors of existing, missing, running and locked containers, and of templates/storage."""

import fcntl
import os
from subprocess import PIPE, Popen, run

import rootfs
from helpers import CREATE_USAGE, StandinTest

MISSING = "Configuration file 'nodes/pve/lxc/100.conf' does not exist\n"


class Errors(StandinTest):
    def test_missing_container(self):
        for verb in (["config", "100"], ["status", "100"], ["start", "100"], ["stop", "100"],
                     ["shutdown", "100"], ["destroy", "100"], ["set", "100", "--cores", "1"],
                     ["exec", "100", "--", "true"]):
            self.assertFails(self.root.pct(*verb), MISSING)

    def test_create_existing(self):
        self.create("100")
        self.assertFails(self.root.pct("create", "100", "local:vztmpl/bb.tar.zst"),
                         "CT 100 already exists on node 'pve'\n")

    def test_stop_and_shutdown_not_running(self):
        self.create("100")
        self.assertFails(self.root.pct("stop", "100"), "CT 100 not running\n")
        self.assertFails(self.root.pct("shutdown", "100"), "CT 100 not running\n")

    def test_exec_not_running(self):
        self.create("100")
        self.assertFails(self.root.pct("exec", "100", "--", "true"),
                         "container '100' not running!\n")

    def test_default_storage_lacks_rootdir(self):
        self.root.add_template()
        self.assertFails(self.root.pct("create", "100", "local:vztmpl/bb.tar.zst"),
                         self.param_error(CREATE_USAGE, "storage: storage 'local' does not "
                                                        "support container directories"))

    def test_unknown_storage(self):
        self.root.add_template()
        self.assertFails(self.root.pct("create", "100", "local:vztmpl/bb.tar.zst", "--rootfs",
                                       "nas:1"), "storage 'nas' does not exist\n")

    def test_template_not_a_volume_id(self):
        self.assertFails(self.root.pct("create", "100", "bb.tar"),
                         "unable to parse volume ID 'bb.tar'\n")

    def test_template_missing(self):
        result = self.root.pct("create", "100", "local:vztmpl/none.tar", "--rootfs",
                               "local-lvm:1")
        archive = os.path.join(self.root.template_dir(), "none.tar")
        self.assertFails(result, f"unable to create CT 100 - can't find file '{archive}'\n")
        self.assertFalse(os.path.exists(self.root.conf_path("100")), "config left behind")

    def test_template_wrong_content_type(self):
        self.assertFails(self.root.pct("create", "100", "local:iso/x.iso", "--rootfs",
                                       "local-lvm:1"),
                         "unable to create CT 100 - unable to use volume local:iso/x.iso - "
                         "content type needs to be 'vztmpl'\n")

    def test_template_compression_rejected(self):
        path = os.path.join(self.root.tmp, "t.tar.lz4")
        open(path, "w", encoding="utf-8").close()
        self.assertFails(self.root.pct("create", "100", path, "--rootfs", "local-lvm:1"),
                         "unable to create CT 100 - unrecognized compression format: .lz4\n")

    def test_failed_create_frees_its_volume(self):
        path = os.path.join(self.root.tmp, "broken.tar")
        with open(path, "w", encoding="utf-8") as broken:
            broken.write("not a tar archive")
        result = self.root.pct("create", "100", path, "--rootfs", "local-lvm:1")
        self.assertEqual(result.rc, 255, result)
        self.assertTrue(result.err.startswith("unable to create CT 100 - command "), result)
        storage = os.path.join(self.root.path, "var", "lib", "standin-storage", "local-lvm")
        self.assertEqual(os.listdir(storage), [])
        self.assertFalse(os.path.exists(self.root.conf_path("100")))

    def test_absolute_template_and_compressions(self):
        for vmid, name in (("100", "bb.tar"), ("101", "bb.tar.gz"), ("102", "bb.tar.xz")):
            archive = self.root.add_template(name)
            self.assertOk(self.root.pct("create", vmid, archive, "--rootfs", "local-lvm:1",
                                        "--ostype", "unmanaged"))

    def test_no_quorum(self):
        self.root.add_template()
        open(os.path.join(self.root.path, "etc", "pve", ".standin-no-quorum"), "w").close()
        self.assertFails(self.root.pct("create", "100", "local:vztmpl/bb.tar.zst", "--rootfs",
                                       "local-lvm:1"), "cluster not ready - no quorum?\n")

    def test_unprivileged_create_of_ids_beyond_the_map(self):
        tree = os.path.join(self.root.tmp, "tree")
        os.makedirs(os.path.join(tree, "etc"))
        with open(os.path.join(tree, "etc", "high"), "w", encoding="utf-8") as high:
            high.write("x\n")
        os.chown(os.path.join(tree, "etc", "high"), 70000, 70000)
        archive = rootfs.make_template(tree, os.path.join(self.root.template_dir(), "high.tar"))
        args = ["create", "100", archive, "--rootfs", "local-lvm:1", "--ostype", "unmanaged"]
        result = self.root.pct(*args)
        self.assertEqual(result.rc, 255, result)
        self.assertRegex(result.err, r"^unable to create CT 100 - command '/usr/bin/lxc-usernsexec "
                                     r"-m u:0:100000:65536 -m g:0:100000:65536 -- /usr/bin/tar "
                                     r"xpf - .*' failed: exit code 2\n$")
        self.assertOk(self.root.pct(*args, "--ignore-unpack-errors", "1"))

    def test_protection(self):
        self.create("100", "--protection", "1")
        self.assertFails(self.root.pct("destroy", "100"),
                         "can't remove CT 100 - protection mode enabled\n")

    def test_locked(self):
        self.create("100")
        self.assertOk(self.root.pct("set", "100", "--lock", "backup"))
        self.assertFails(self.root.pct("start", "100"), "CT is locked (backup)\n")
        self.assertFails(self.root.pct("destroy", "100"), "CT is locked (backup)\n")
        self.assertFails(self.root.pct("set", "100", "--cores", "1"), "CT is locked (backup)\n")
        self.assertOk(self.root.pct("unlock", "100"))
        self.assertNotIn("lock:", self.root.read_conf("100"))

    def test_lock_file_timeout(self):
        self.create("100")
        path = os.path.join(self.root.path, "run", "lock", "lxc", "pve-config-100.lock")
        with open(path, "a", encoding="utf-8") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            result = self.root.pct("set", "100", "--cores", "1",
                                   env={"PVE_STANDIN_LOCK_TIMEOUT": "0.3"})
        self.assertFails(result, f"can't lock file '{path}' - got timeout\n")

    def test_set_errors(self):
        self.create("100")
        self.assertFails(self.root.pct("set", "100"), "no options specified\n")
        self.assertFails(self.root.pct("set", "100", "--unprivileged", "0"),
                         "unable to modify read-only option: 'unprivileged'\n")
        self.assertFails(self.root.pct("set", "100", "--delete", "memory"),
                         "unable to delete required option 'memory'\n")
        self.assertFails(self.root.pct("set", "100", "--delete", "colour"), self.param_error(
            "pct set <vmid> [OPTIONS]", "delete: unknown option 'colour'"))
        self.assertFails(self.root.pct("set", "100", "--cores", "1", "--delete", "cores"),
                         self.param_error("pct set <vmid> [OPTIONS]", "delete: you can't use "
                                          "'-cores' and '-delete cores' at the same time"))
        self.assertFails(self.root.pct("set", "100", "--cores", "1", "--digest", "0" * 40),
                         "detected modified configuration - file changed by other user? "
                         "Try again.\n")

    def test_set_and_delete_on_a_stopped_ct(self):
        self.create("100", "--cores", "2")
        self.assertOk(self.root.pct("set", "100", "--memory", "128", "--delete", "cores",
                                    "--tags", "B,a"))
        out = self.root.pct("config", "100").out
        self.assertIn("memory: 128\n", out)
        self.assertIn("tags: a;b\n", out)
        self.assertNotIn("cores", out)
        self.assertNotIn("pve:pending", self.root.read_conf("100"))

    def test_no_root(self):
        # Called directly (not through <root>/bin) and without PVE_STANDIN_ROOT: refuse.
        pct = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin",
                           "pct")
        done = run([pct, "list"], capture_output=True, text=True, env={}, check=False)
        self.assertEqual(done.returncode, 255)
        self.assertIn("no root", done.stderr)


class Concurrency(StandinTest):
    def test_same_vmid_created_twice_at_once(self):
        self.root.add_template()
        argv = [os.path.join(self.root.bin, "pct"), "create", "100", "local:vztmpl/bb.tar.zst",
                "--rootfs", "local-lvm:1", "--ostype", "unmanaged"]
        procs = [Popen(argv, stdout=PIPE, stderr=PIPE, text=True, env={}) for _ in range(3)]
        results = [(p.wait(), p.stderr.read()) for p in procs]
        for proc in procs:
            proc.stdout.close()
            proc.stderr.close()
        self.assertEqual(sorted(rc for rc, _ in results), [0, 255, 255], results)
        for rc, err in results:
            if rc:
                self.assertEqual(err, "CT 100 already exists on node 'pve'\n")
        storage = os.path.join(self.root.path, "var", "lib", "standin-storage", "local-lvm")
        self.assertEqual(os.listdir(storage), ["vm-100-disk-0"])
