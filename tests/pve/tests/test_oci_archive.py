"""OCI image archives as templates (PVE 9.1, reference §12): layers with whiteouts, and the
image config mapped onto the CT."""

import os
import unittest

import rootfs
from helpers import StandinTest
from pvestandin import ocimapping

LOOP = 'trap "exit 0" TERM; while true; do sleep 0.1; done'


class ShellQuote(unittest.TestCase):
    def test_shellquote(self):
        self.assertEqual(ocimapping.shellquote("/bin/sh"), "/bin/sh")
        self.assertEqual(ocimapping.shellquote("a b"), "'a b'")
        self.assertEqual(ocimapping.shellquote("it's"), "'it'\\''s'")
        self.assertEqual(ocimapping.shellquote(""), "''")


class OciArchive(StandinTest):
    def make_image(self, config):
        work = os.path.join(self.root.tmp, "oci")
        base = rootfs.make_rootfs(os.path.join(work, "base"))
        with open(os.path.join(base, "etc", "passwd"), "a", encoding="utf-8") as passwd:
            passwd.write("app:x:1000:1000::/app:/bin/sh\n")
        with open(os.path.join(base, "etc", "group"), "a", encoding="utf-8") as group:
            group.write("app:x:1000:\nstaff:x:50:\n")
        os.makedirs(os.path.join(base, "opt", "olddir"))
        for name in ("etc/old", "opt/olddir/gone"):
            open(os.path.join(base, name), "w", encoding="utf-8").close()
        top = os.path.join(work, "top")
        for directory in ("etc", "opt/olddir", "app"):
            os.makedirs(os.path.join(top, directory))
        for name in ("etc/.wh.old", "opt/olddir/.wh..wh..opq", "opt/olddir/new", "app/run"):
            open(os.path.join(top, name), "w", encoding="utf-8").close()
        archive = os.path.join(self.root.template_dir(), "app_latest.tar")
        return rootfs.make_oci_archive([base, top], config, archive, work)

    def test_image_becomes_the_ct(self):
        self.make_image({"Entrypoint": ["/bin/sh", "-c"], "Cmd": [LOOP],
                         "Env": ["PATH=/bin", "MODE=oci image"], "User": "app:staff",
                         "WorkingDir": "/app", "Volumes": {"/data": {}, "/var/lib/db": {}}})
        create = self.assertOk(self.root.pct(
            "create", "100", "local:vztmpl/app_latest.tar", "--rootfs", "local-lvm:1",
            "--net0", "name=eth0,bridge=vmbr0,ip=dhcp", "--entrypoint", "/ignored",
            "--env", "IGNORED=1"))
        self.assertIn("Detected OCI archive\n", create.out)
        config = self.root.pct("config", "100").out
        self.assertIn(f"entrypoint: /bin/sh -c '{LOOP}'\n", config)
        self.assertIn("cmode: console\n", config)
        self.assertIn("env: PATH=/bin\0MODE=oci image\n", config)
        self.assertIn("ostype: unmanaged\n", config)
        self.assertRegex(config, r"net0: name=eth0,bridge=vmbr0,host-managed=1,hwaddr=")
        self.assertTrue(config.endswith("lxc.init.uid: 1000\nlxc.init.gid: 50\n"
                                        "lxc.init.cwd: /app\nlxc.signal.halt: SIGTERM\n"),
                        config)
        volume = os.path.join(self.root.path, "var", "lib", "standin-storage", "local-lvm",
                              "vm-100-disk-0")
        self.assertFalse(os.path.lexists(os.path.join(volume, "etc", "old")))
        self.assertEqual(os.listdir(os.path.join(volume, "opt", "olddir")), ["new"])
        self.assertFalse(os.path.lexists(os.path.join(volume, "etc", ".wh.old")))
        self.assertTrue(os.path.isdir(os.path.join(volume, "data")))
        self.assertEqual(os.stat(os.path.join(volume, "var", "lib", "db")).st_uid, 100000)
        self.assertEqual(os.stat(os.path.join(volume, "var")).st_uid, 100000)
        self.assertEqual(os.stat(os.path.join(volume, "bin", "busybox")).st_uid, 100000)

        self.assertOk(self.root.pct("start", "100"))
        pid = int(self.root.tool("lxc-info", "-n", "100", "-p", "-H").out)
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            fields = dict(line.split(":", 1) for line in status)
        self.assertEqual(fields["Uid"].split()[0], "101000")
        self.assertEqual(fields["Gid"].split()[0], "100050")
        self.assertTrue(os.readlink(f"/proc/{pid}/cwd").endswith("/app"))
        with open(f"/proc/{pid}/environ", "rb") as environ:
            self.assertIn(b"MODE=oci image", environ.read().split(b"\0"))
        self.assertOk(self.root.pct("shutdown", "100", "--timeout", "10"))

    def test_sbin_init_image_keeps_the_default_init(self):
        self.make_image({"Cmd": ["/sbin/init"]})
        self.assertOk(self.root.pct("create", "100", "local:vztmpl/app_latest.tar",
                                    "--rootfs", "local-lvm:1"))
        config = self.root.pct("config", "100").out
        self.assertNotIn("entrypoint", config)
        self.assertNotIn("cmode", config)

    def test_unknown_user_fails_the_create(self):
        self.make_image({"Cmd": ["/bin/true"], "User": "nobody-here"})
        self.assertFails(self.root.pct("create", "100", "local:vztmpl/app_latest.tar",
                                       "--rootfs", "local-lvm:1"),
                         "unable to create CT 100 - unable to find user 'nobody-here' in the "
                         "image's /etc/passwd\n")
        self.assertFalse(os.path.exists(self.root.conf_path("100")))
