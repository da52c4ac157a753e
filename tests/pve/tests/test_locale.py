"""pct decodes its argv with the caller's locale (pvestandin/argv_locale.py): a non-ASCII
argument survives under C.UTF-8, which nexcage uses, and becomes U+FFFD under C."""

import os
import time
import unittest

from helpers import StandinTest
from pvestandin import argv_locale

CAFE = "caf\u00e9"
MANGLED = "caf\ufffd\ufffd"  # what perl's decode('locale') makes of "café" under LANG=C
PATH = "/usr/sbin:/usr/bin:/sbin:/bin"


class Decoding(unittest.TestCase):
    def test_c_locale_replaces_every_byte_above_0x7f(self):
        self.assertEqual(argv_locale.decoder({"LANG": "C"})(CAFE), MANGLED)
        self.assertEqual(argv_locale.decoder({})(CAFE), MANGLED)

    def test_utf8_locale_keeps_the_text(self):
        self.assertEqual(argv_locale.decoder({"LANG": "C.UTF-8"})(CAFE), CAFE)

    def test_lc_all_wins_over_lang(self):
        self.assertEqual(argv_locale.decoder({"LANG": "C.UTF-8", "LC_ALL": "C"})(CAFE), MANGLED)
        self.assertEqual(argv_locale.decoder({"LANG": "C", "LC_CTYPE": "C.UTF-8"})(CAFE), CAFE)

    def test_a_locale_the_host_lacks_is_c(self):
        # perl: "Setting locale failed ... Falling back to the standard locale ("C")".
        self.assertEqual(argv_locale.decoder({"LANG": "xx_NOPE.UTF-8"})(CAFE), MANGLED)

    def test_lists_are_decoded_too(self):
        params = argv_locale.decode_params({"a": CAFE, "b": [CAFE, "x"], "c": 1},
                                           {"LANG": "C"})
        self.assertEqual(params, {"a": MANGLED, "b": [MANGLED, "x"], "c": 1})


class ThroughPct(StandinTest):
    def create_with(self, lang):
        self.root.add_template()
        return self.root.pct("create", "100", "local:vztmpl/bb.tar.zst", "--ostype", "unmanaged",
                             "--rootfs", "local-lvm:1", "--description", CAFE, "--env",
                             f"G={CAFE}", "--entrypoint", "/bin/sh -c 'while true; do sleep 1; done'",
                             env={"PATH": PATH, "LANG": lang})

    def test_non_ascii_survives_under_c_utf8_into_the_running_container(self):
        self.assertOk(self.create_with("C.UTF-8"))
        text = self.root.read_conf("100")
        self.assertIn("#caf%C3%A9\n", text)
        self.assertIn(f"lxc.environment.runtime: G={CAFE}\n", text)
        config = self.assertOk(self.root.pct("config", "100")).out
        self.assertIn("description: caf%C3%A9%0A\n", config)
        self.assertOk(self.root.pct("start", "100"))
        pid = int(self.assertOk(self.root.tool("lxc-info", "-n", "100", "-p", "-H")).out)
        with open(f"/proc/{pid}/environ", "rb") as environ:
            self.assertIn(f"G={CAFE}".encode(), environ.read().split(b"\0"))
        self.assertOk(self.root.pct("stop", "100"))

    def test_non_ascii_is_mangled_under_c(self):
        self.assertOk(self.create_with("C"))
        text = self.root.read_conf("100")
        self.assertIn("#caf%EF%BF%BD%EF%BF%BD\n", text)
        self.assertIn(f"lxc.environment.runtime: G={MANGLED}\n", text)


if __name__ == "__main__":
    unittest.main()
