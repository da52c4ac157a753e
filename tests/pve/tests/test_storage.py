"""Volumes: what create, set and destroy allocate, keep and free."""

import os

from helpers import StandinTest


class Volumes(StandinTest):
    def storage_dir(self):
        return os.path.join(self.root.path, "var", "lib", "standin-storage", "local-lvm")

    def test_rootfs_pointed_at_a_host_dir_keeps_the_old_volume_as_unused(self):
        self.create("100")
        host_dir = os.path.join(self.root.tmp, "bundle-rootfs")
        self.assertOk(self.root.pct("set", "100", "--rootfs", host_dir))
        config = self.root.pct("config", "100").out
        self.assertIn(f"rootfs: {host_dir}\n", config)
        self.assertIn("unused0: local-lvm:vm-100-disk-0\n", config)
        self.assertOk(self.root.pct("destroy", "100"))
        self.assertEqual(os.listdir(self.storage_dir()), [])
        self.assertTrue(os.path.isdir(host_dir), "a bind rootfs is never removed")

    def test_deleting_a_mount_point_keeps_its_volume(self):
        self.create("100", "--mp0", "local-lvm:1,mp=/data")
        self.assertOk(self.root.pct("set", "100", "--delete", "mp0"))
        self.assertIn("unused0: local-lvm:vm-100-disk-1\n", self.root.pct("config", "100").out)
        self.assertEqual(sorted(os.listdir(self.storage_dir())),
                         ["vm-100-disk-0", "vm-100-disk-1"])

    def test_new_mount_point_on_a_stopped_ct(self):
        self.create("100")
        self.assertOk(self.root.pct("set", "100", "--mp0", "local-lvm:0.5,mp=/data"))
        self.assertIn("mp0: local-lvm:vm-100-disk-1,mp=/data,size=512M\n",
                      self.root.pct("config", "100").out)
        self.assertEqual(os.stat(os.path.join(self.storage_dir(), "vm-100-disk-1")).st_uid,
                         100000)

    def test_destroy_unreferenced_disks(self):
        self.create("100")
        os.makedirs(os.path.join(self.storage_dir(), "vm-100-disk-7"))
        os.makedirs(os.path.join(self.storage_dir(), "vm-101-disk-0"))
        self.assertOk(self.root.pct("destroy", "100"))
        self.assertEqual(sorted(os.listdir(self.storage_dir())), ["vm-100-disk-7",
                                                                  "vm-101-disk-0"])
        self.create("100")
        self.assertOk(self.root.pct("destroy", "100", "--destroy-unreferenced-disks", "1"))
        self.assertEqual(os.listdir(self.storage_dir()), ["vm-101-disk-0"])
