"""Option parsing as Getopt::Long does it for pct (reference §1)."""

import unittest

from helpers import CREATE_USAGE, SET_USAGE, StandinTest
from pvestandin import getopt
from pvestandin.errors import ParamError

KINDS = {"memory": getopt.STRING, "mp0": getopt.STRING, "mp1": getopt.STRING,
         "mp10": getopt.STRING, "force": getopt.BOOL, "purge": getopt.BOOL,
         "tags": getopt.LIST, "forceStop": getopt.BOOL, "net0": getopt.STRING,
         "net1": getopt.STRING}


class GetoptUnit(unittest.TestCase):
    def parse(self, *argv):
        return getopt.parse(list(argv), KINDS)

    def warnings(self, *argv):
        with self.assertRaises(ParamError) as caught:
            self.parse(*argv)
        self.assertEqual(caught.exception.message, "unable to parse option")
        return caught.exception.warnings

    def test_spellings(self):
        for argv in (["--memory", "64"], ["-memory", "64"], ["--memory=64"], ["-memory=64"]):
            self.assertEqual(self.parse(*argv), ({"memory": "64"}, []), argv)

    def test_case_insensitive(self):
        self.assertEqual(self.parse("--MEMORY", "64")[0], {"memory": "64"})
        self.assertEqual(self.parse("--forcestop")[0], {"forceStop": 1})

    def test_unique_prefix(self):
        self.assertEqual(self.parse("--mem", "64")[0], {"memory": "64"})

    def test_exact_name_beats_longer_names(self):
        self.assertEqual(self.parse("--mp1", "x")[0], {"mp1": "x"})

    def test_ambiguous_prefix(self):
        self.assertEqual(self.warnings("--net", "x"), ["Option net is ambiguous (net0, net1)"])

    def test_unknown_option(self):
        self.assertEqual(self.warnings("--memroy", "64"), ["Unknown option: memroy"])

    def test_every_problem_is_reported(self):
        self.assertEqual(self.warnings("--x", "--y"), ["Unknown option: x", "Unknown option: y"])

    def test_missing_value(self):
        self.assertEqual(self.warnings("--memory"), ["Option memory requires an argument"])
        self.assertEqual(self.warnings("--memory="), ["Option memory requires an argument"])

    def test_mandatory_value_takes_anything(self):
        self.assertEqual(self.parse("--memory", "--force")[0], {"memory": "--force"})

    def test_last_value_wins(self):
        self.assertEqual(self.parse("--memory", "64", "--mem", "128")[0], {"memory": "128"})

    def test_list_options_accumulate(self):
        self.assertEqual(self.parse("--tags", "a", "--tags", "b")[0], {"tags": "a,b"})

    def test_positionals_among_options(self):
        self.assertEqual(self.parse("100", "--memory", "64", "x"), ({"memory": "64"},
                                                                    ["100", "x"]))

    def test_double_dash_ends_options(self):
        self.assertEqual(self.parse("100", "--", "--memory", "1"), ({}, ["100", "--memory",
                                                                       "1"]))

    def test_boolean_values(self):
        for word, value in (("1", 1), ("on", 1), ("YES", 1), ("True", 1), ("0", 0), ("off", 0),
                            ("No", 0), ("FALSE", 0)):
            self.assertEqual(self.parse("--force", word)[0], {"force": value}, word)
            self.assertEqual(self.parse(f"--force={word}")[0], {"force": value}, word)

    def test_bare_boolean_is_true(self):
        self.assertEqual(self.parse("--force")[0], {"force": 1})
        self.assertEqual(self.parse("--force=")[0], {"force": 1})
        self.assertEqual(self.parse("--force", "--purge")[0], {"force": 1, "purge": 1})

    def test_bare_boolean_swallows_a_positional(self):
        with self.assertRaises(ParamError) as caught:
            self.parse("--force", "100")
        self.assertEqual(caught.exception.message, "unable to parse boolean option")


class CommandLine(StandinTest):
    def test_unknown_option_output(self):
        self.assertFails(self.root.pct("set", "100", "--memroy", "64"),
                         "Unknown option: memroy\n400 unable to parse option\n" + SET_USAGE + "\n")

    def test_missing_value_output(self):
        self.assertFails(self.root.pct("set", "100", "--memory"),
                         "Option memory requires an argument\n400 unable to parse option\n"
                         + SET_USAGE + "\n")

    def test_ambiguous_output(self):
        result = self.root.pct("set", "100", "--cpu", "1")
        self.assertFails(result, "Option cpu is ambiguous (cpulimit, cpuunits)\n"
                                 "400 unable to parse option\n" + SET_USAGE + "\n")

    def test_destroy_force_before_vmid_fails(self):
        self.assertFails(self.root.pct("destroy", "--force", "100"),
                         "400 unable to parse boolean option\npct destroy <vmid> [OPTIONS]\n")

    def test_not_enough_arguments(self):
        self.assertFails(self.root.pct("create", "100"),
                         "400 not enough arguments\n" + CREATE_USAGE + "\n")

    def test_too_many_arguments(self):
        self.assertFails(self.root.pct("status", "100", "101"),
                         "400 too many arguments\npct status <vmid> [OPTIONS]\n")

    def test_unknown_verb(self):
        result = self.root.pct("frobnicate", "100")
        self.assertEqual(result.rc, 255)
        self.assertTrue(result.err.startswith("ERROR: unknown command 'pct frobnicate'\n"
                                              "USAGE: pct <COMMAND> [ARGS] [OPTIONS]\n"), result)

    def test_ambiguous_verb_is_unknown(self):
        result = self.root.pct("st", "100")
        self.assertTrue(result.err.startswith("ERROR: unknown command 'pct st'\n"), result)

    def test_verb_abbreviation(self):
        # `li` could be list or listsnapshot; `conf` and `stat` are unique.
        self.assertTrue(self.root.pct("li").err.startswith("ERROR: unknown command 'pct li'\n"))
        self.assertFails(self.root.pct("conf", "100"),
                         "Configuration file 'nodes/pve/lxc/100.conf' does not exist\n")
        self.assertFails(self.root.pct("stat", "100"),
                         "Configuration file 'nodes/pve/lxc/100.conf' does not exist\n")

    def test_verbs_the_standin_lacks_say_so(self):
        self.assertFails(self.root.pct("push", "100", "/etc/hosts", "/etc/hosts"),
                         "pct push: not implemented by the pve stand-in (tests/pve)\n")

    def test_no_command(self):
        result = self.root.pct()
        self.assertEqual(result.rc, 255)
        self.assertTrue(result.err.startswith("ERROR: no command specified\nUSAGE: pct "), result)

    def test_options_abbreviated_case_insensitive_last_wins(self):
        self.create("100", "-MEM", "64", "--memory=96", "--Hostn", "web", "--swap", "0")
        config = self.root.pct("config", "100").out
        self.assertIn("memory: 96\n", config)
        self.assertIn("hostname: web\n", config)

    def test_positionals_after_options(self):
        self.root.add_template()
        self.assertOk(self.root.pct("create", "--rootfs", "local-lvm:1", "100",
                                    "--ostype=unmanaged", "local:vztmpl/bb.tar.zst"))
        self.assertOk(self.root.pct("status", "--verbose", "1", "100"))


if __name__ == "__main__":
    unittest.main()
