"""devN needs the device on the host: create and set refuse a missing one with Proxmox's
message (real pct: "Device /dev/sdb does not exist"), before anything is made."""

import os

from helpers import SET_USAGE, StandinTest  # noqa: F401

MISSING = "/dev/nexcage-standin-no-such-device"


class Devices(StandinTest):
    def test_create_with_a_missing_device_fails_and_leaves_nothing(self):
        self.root.add_template()
        result = self.root.pct("create", "100", "local:vztmpl/bb.tar.zst", "--ostype",
                               "unmanaged", "--rootfs", "local-lvm:1", "--dev0", "/dev/null",
                               "--dev1", f"{MISSING},mode=0660")
        self.assertEqual(result.rc, 255, result)
        self.assertEqual(result.err, f"unable to create CT 100 - Device {MISSING} does not exist\n")
        self.assertFalse(os.path.exists(self.root.conf_path("100")))

    def test_create_with_an_existing_device(self):
        self.create("100", "--dev0", "/dev/null,mode=0666")
        self.assertIn("dev0: /dev/null,mode=0666\n", self.root.read_conf("100"))

    def test_set_with_a_missing_device_fails_and_changes_nothing(self):
        self.create("100")
        before = self.root.read_conf("100")
        self.assertFails(self.root.pct("set", "100", "--dev0", MISSING),
                         f"Device {MISSING} does not exist\n")
        self.assertEqual(self.root.read_conf("100"), before)
        self.assertOk(self.root.pct("set", "100", "--dev0", "/dev/zero"))
        self.assertIn("dev0: /dev/zero\n", self.root.read_conf("100"))

    def test_set_without_a_path(self):
        self.create("100")
        self.assertFails(self.root.pct("set", "100", "--dev0", "mode=0660"),
                         "Path is not defined for passthrough device dev0\n")
