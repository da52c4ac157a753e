"""The config file format (reference §8): writer order, reader rules, round trips."""

import unittest

from helpers import StandinTest
from pvestandin import conffile

FULL = {
    "description": "first line: 100%\nsecond ü\n",
    "memory": "512",
    "arch": "amd64",
    "net0": "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=dhcp,type=veth",
    "env": "A=1\0B=two words",
    "lxc": [("lxc.init.cwd", "/srv"), ("lxc.cgroup2.pids.max", "64"), ("lxc.cap.drop", "")],
    "pending": {"memory": "1024", "delete": "swap,cores"},
    "snapshots": {"snap1": {"memory": "256"}},
}

FULL_TEXT = """#first line%3A 100%
#second %C3%BC
arch: amd64
memory: 512
net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=dhcp,type=veth
lxc.environment.runtime: A=1
lxc.environment.runtime: B=two words
lxc.init.cwd: /srv
lxc.cgroup2.pids.max: 64
lxc.cap.drop: 

[pve:pending]
delete: swap,cores
memory: 1024

[snap1]
memory: 256
"""


class ConfigFile(unittest.TestCase):
    def parse(self, text):
        warnings = []
        return conffile.parse(text, 100, warnings.append), warnings

    def test_writer_order(self):
        self.assertEqual(conffile.write(FULL), FULL_TEXT)

    def test_round_trip(self):
        conf, warnings = self.parse(conffile.write(FULL))
        self.assertEqual(warnings, [])
        self.assertEqual(conf, FULL)

    def test_encode_text_escapes_controls_colon_and_high_bytes(self):
        self.assertEqual(conffile.encode_text("a:b\tc é%"), "a%3Ab%09c %C3%A9%")
        self.assertEqual(conffile.decode_text("a%3Ab%09c %C3%A9"), "a:b\tc é")

    def test_newline_in_value_is_refused(self):
        with self.assertRaises(conffile.ConfigWriteError) as caught:
            conffile.write({"hostname": "a\nb"})
        self.assertEqual(str(caught.exception), "detected invalid newline inside property "
                                                 "'hostname'")

    def test_raw_keys_outside_the_whitelist_are_dropped(self):
        conf, warnings = self.parse("lxc.no_new_privs: 1\nlxc.proc.oom_score_adj = 5\n"
                                    "lxc.mount.entry = /a b none bind 0 0\n")
        self.assertEqual(conf, {"lxc": [("lxc.mount.entry", "/a b none bind 0 0")]})
        self.assertEqual(warnings, ["vm 100 - unable to parse config: lxc.no_new_privs: 1",
                                    "vm 100 - unable to parse config: lxc.proc.oom_score_adj = 5"])

    def test_raw_key_with_equals_sign_and_spaces(self):
        conf, _ = self.parse("lxc.init.cwd   =   /srv  \n")
        self.assertEqual(conf["lxc"], [("lxc.init.cwd", "/srv")])

    def test_unknown_key_is_kept_with_a_warning(self):
        conf, warnings = self.parse("colour: blue\n")
        self.assertEqual(conf, {"colour": "blue"})
        self.assertEqual(warnings, ["vm 100 - unable to parse value of 'colour' - "
                                    "unknown setting 'colour'"])

    def test_reader_is_stricter_than_the_cli(self):
        conf, warnings = self.parse("memory: +512\ncpulimit: 1e2\nonboot: maybe\n")
        self.assertEqual(conf["memory"], "+512")
        self.assertEqual(warnings, [
            "vm 100 - unable to parse value of 'memory' - type check ('integer') failed - got "
            "'+512'",
            "vm 100 - unable to parse value of 'cpulimit' - type check ('number') failed - got "
            "'1e2'",
            "vm 100 - unable to parse value of 'onboot' - type check ('boolean') failed - got "
            "'maybe'"])

    def test_ranges_are_not_checked_when_a_conf_is_read(self):
        # check_type: only the type (and a string's format); 8 < 16 is create's and set's concern.
        conf, warnings = self.parse("memory: 8\ncores: 0\narch: x86_64\nhostname: "
                                    + "a" * 300 + "\n")
        self.assertEqual(conf["memory"], "8")
        self.assertEqual(warnings, [])

    def test_formats_are_checked_when_a_conf_is_read(self):
        conf, warnings = self.parse("hostname: a_b\nnet0: bridge=vmbr0,speed=10\n")
        self.assertEqual(conf["hostname"], "a_b")
        self.assertEqual(warnings, [
            "vm 100 - unable to parse value of 'hostname' - value does not look like a valid DNS "
            "name",
            "vm 100 - unable to parse value of 'net0' - format error\n"
            "name: property is missing and it is not optional\n"
            "speed: property is not defined in schema and the schema does not allow additional "
            "properties"])

    def test_cgroup_v1_keys_are_kept_with_a_deprecation_warning(self):
        conf, warnings = self.parse("lxc.cgroup.memory.limit_in_bytes: 64M\n"
                                    "lxc.cgroup2.memory.max: 64M\n")
        self.assertEqual(conf["lxc"], [("lxc.cgroup.memory.limit_in_bytes", "64M"),
                                       ("lxc.cgroup2.memory.max", "64M")])
        self.assertEqual(warnings, [
            "vm 100 - lxc.cgroup.memory.limit_in_bytes: lxc.cgroup.* keys are deprecated and "
            "ignored on the unified cgroup v2 hierarchy, use lxc.cgroup2.*"])

    def test_delete_outside_pending_is_an_error(self):
        _, warnings = self.parse("delete: memory\n")
        self.assertEqual(warnings, ["vm 100 - unable to parse config: delete: memory"])

    def test_blank_lines_skipped_and_description_decoded(self):
        conf, _ = self.parse("\n#a%3Ab\n\nmemory: 64\n")
        self.assertEqual(conf, {"description": "a:b\n", "memory": "64"})


class ConfigThroughPct(StandinTest):
    def test_pct_reads_raw_lines_written_under_the_lock(self):
        self.create("100", "--hostname", "web", "--swap", "0")
        text = self.root.read_conf("100")
        self.root.write_conf("100", text + "lxc.environment.runtime: A=1\n"
                                           "lxc.environment.runtime: B=2\nlxc.init.cwd: /tmp\n")
        out = self.assertOk(self.root.pct("config", "100")).out
        self.assertTrue(out.endswith("lxc.init.cwd: /tmp\n"), out)
        self.assertIn("env: A=1\0B=2\n", out)

    def test_pct_config_keeps_a_small_memory_line_silently(self):
        self.create("100", "--swap", "0")
        text = self.root.read_conf("100").replace("memory: 512\n", "memory: 8\n")
        self.root.write_conf("100", text)
        result = self.assertOk(self.root.pct("config", "100"))
        self.assertIn("memory: 8\n", result.out)
        self.assertEqual(result.err, "")

    def test_pct_config_warns_about_cgroup_v1_keys(self):
        self.create("100", "--swap", "0")
        self.root.write_conf("100", self.root.read_conf("100") + "lxc.cgroup.pids.max: 10\n")
        result = self.assertOk(self.root.pct("config", "100"))
        self.assertTrue(result.out.endswith("lxc.cgroup.pids.max: 10\n"), result)
        self.assertEqual(result.err, "vm 100 - lxc.cgroup.pids.max: lxc.cgroup.* keys are "
                                     "deprecated and ignored on the unified cgroup v2 hierarchy, "
                                     "use lxc.cgroup2.*\n")

    def test_set_rewrites_in_proxmox_order(self):
        self.create("100", "--hostname", "web", "--swap", "0", "--description", "x:y")
        self.root.write_conf("100", self.root.read_conf("100") + "lxc.init.cwd: /tmp\n")
        self.assertOk(self.root.pct("set", "100", "--cores", "2", "--env", "K=V"))
        text = self.root.read_conf("100")
        lines = text.splitlines()
        self.assertEqual(lines[0], "#x%3Ay")
        keys = [line.split(":")[0] for line in lines[1:] if not line.startswith("lxc.")]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual(lines[-2:], ["lxc.environment.runtime: K=V", "lxc.init.cwd: /tmp"])


if __name__ == "__main__":
    unittest.main()
