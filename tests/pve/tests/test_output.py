"""Output formats of pct list / status / config and pvesh get /cluster/nextid (§9, §10)."""

import os

from helpers import StandinTest


class Output(StandinTest):
    def test_list_without_containers_prints_nothing(self):
        result = self.assertOk(self.root.pct("list"))
        self.assertEqual((result.out, result.err), ("", ""))

    def test_list_rows(self):
        self.create("101", "--hostname", "web")
        self.create("100")
        self.assertOk(self.root.pct("set", "100", "--lock", "backup"))
        self.assertEqual(self.root.pct("list").out,
                         "VMID       Status     Lock         Name                \n"
                         "100        stopped    backup       CT100               \n"
                         "101        stopped                 web                 \n")

    def test_status(self):
        self.create("100")
        self.assertEqual(self.assertOk(self.root.pct("status", "100")).out, "status: stopped\n")

    def test_status_verbose_stopped(self):
        self.create("100", "--hostname", "web", "--memory", "64", "--swap", "32", "--cores", "1")
        self.assertEqual(self.assertOk(self.root.pct("status", "100", "--verbose", "1")).out,
                         "cpus: 1\ndisk: 0\ndiskread: 0\ndiskwrite: 0\nmaxdisk: 1073741824\n"
                         "maxmem: 67108864\nmaxswap: 33554432\nmem: 0\nname: web\nnetin: 0\n"
                         "netout: 0\nstatus: stopped\nswap: 0\ntype: lxc\nuptime: 0\n"
                         "vmid: 100\n")

    def test_config_sorted_with_defaults(self):
        self.create("100", "--arch", "amd64", "--hostname", "web", "--net0",
                    "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:AA:BB:CC,ip=dhcp",
                    "--entrypoint", "/app/run -x")
        self.assertEqual(self.assertOk(self.root.pct("config", "100")).out,
                         "arch: amd64\nentrypoint: /app/run -x\nhostname: web\nmemory: 512\n"
                         "net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:AA:BB:CC,ip=dhcp,"
                         "type=veth\nostype: unmanaged\n"
                         "rootfs: local-lvm:vm-100-disk-0,size=1G\nswap: 512\n"
                         "unprivileged: 1\n")

    def test_config_generates_hwaddr(self):
        self.create("100", "--net0", "name=eth0,bridge=vmbr0")
        net = [l for l in self.root.pct("config", "100").out.splitlines() if l.startswith("net0")]
        self.assertRegex(net[0], r"^net0: name=eth0,bridge=vmbr0,"
                                 r"hwaddr=BC:24:11(:[0-9A-F]{2}){3},type=veth$")

    def test_config_description_tags_and_pending(self):
        self.create("100", "--description", "a: 1\nb", "--tags", "Zeta;alpha,beta alpha")
        out = self.root.pct("config", "100").out
        self.assertIn("description: a%3A 1%0Ab%0A\n", out)
        self.assertIn("tags: alpha;beta;zeta\n", out)

    def test_config_current_and_pending(self):
        self.create("100")
        text = self.root.read_conf("100") + "\n[pve:pending]\nmemory: 64\ndelete: swap\n"
        self.root.write_conf("100", text)
        merged = self.root.pct("config", "100").out
        self.assertIn("memory: 64\n", merged)
        self.assertNotIn("swap:", merged)
        current = self.root.pct("config", "100", "--current", "1").out
        self.assertIn("memory: 512\n", current)
        self.assertIn("swap: 512\n", current)

    def test_bare_number_rootfs_uses_storage(self):
        self.root.add_template()
        self.assertOk(self.root.pct("create", "100", "local:vztmpl/bb.tar.zst", "--storage",
                                    "local-lvm", "--rootfs", "2", "--ostype", "unmanaged"))
        self.assertIn("rootfs: local-lvm:vm-100-disk-0,size=2G\n",
                      self.root.pct("config", "100").out)

    def test_dir_storage_subvol_naming(self):
        with open(os.path.join(self.root.path, "etc", "pve", "storage.cfg"), "a",
                  encoding="utf-8") as cfg:
            cfg.write(f"\ndir: data\n\tpath {self.root.tmp}/data\n\tcontent rootdir\n")
        self.root.add_template()
        self.assertOk(self.root.pct("create", "100", "local:vztmpl/bb.tar.zst", "--rootfs",
                                    "data:0", "--ostype", "unmanaged"))
        self.assertIn("rootfs: data:100/subvol-100-disk-0.subvol,size=0T\n",
                      self.root.pct("config", "100").out)

    def test_nextid(self):
        self.assertEqual(self.assertOk(self.root.tool("pvesh", "get", "/cluster/nextid")).out,
                         "100\n")
        self.create("100")
        self.create("102")
        self.assertEqual(self.root.tool("pvesh", "get", "/cluster/nextid").out, "101\n")
        self.assertEqual(self.root.tool("pvesh", "get", "cluster/nextid", "--output-format",
                                        "json").out, "101\n")

    def test_nextid_with_vmid(self):
        self.create("100")
        self.assertEqual(self.root.tool("pvesh", "get", "/cluster/nextid", "--vmid", "105").out,
                         "105\n")
        self.assertFails(self.root.tool("pvesh", "get", "/cluster/nextid", "--vmid", "100"),
                         "400 Parameter verification failed.\nvmid: VM 100 already exists\n"
                         "pvesh get <api_path> [OPTIONS]\n")

    def test_nextid_range_from_datacenter_cfg(self):
        with open(os.path.join(self.root.path, "etc", "pve", "datacenter.cfg"), "w",
                  encoding="utf-8") as cfg:
            cfg.write("keyboard: en-us\nnext-id: lower=100,upper=101\n")
        self.assertEqual(self.root.tool("pvesh", "get", "/cluster/nextid").out, "100\n")
        self.create("100")
        self.assertFails(self.root.tool("pvesh", "get", "/cluster/nextid"),
                         "unable to get any free VMID in range [100, 101]\n")

    def test_nextid_race_answers_a_stale_vmid_once(self):
        self.create("100")
        race = os.path.join(self.root.path, "etc", "pve", ".standin-nextid-race")
        with open(race, "w", encoding="utf-8") as out:
            out.write("100\n")
        self.assertEqual(self.root.tool("pvesh", "get", "/cluster/nextid").out, "100\n")
        self.assertFalse(os.path.exists(race))
        self.assertEqual(self.root.tool("pvesh", "get", "/cluster/nextid").out, "101\n")

    def test_nextid_counts_vms_of_other_nodes(self):
        other = os.path.join(self.root.path, "etc", "pve", "nodes", "pve2", "qemu-server")
        os.makedirs(other)
        open(os.path.join(other, "100.conf"), "w", encoding="utf-8").close()
        self.assertEqual(self.root.tool("pvesh", "get", "/cluster/nextid").out, "101\n")
        self.root.add_template()
        self.assertFails(self.root.pct("create", "100", "local:vztmpl/bb.tar.zst"),
                         "VM 100 already exists on node 'pve2'\n")
