"""dpkg-query as nexcage asks it for pve-container's version, answered like the real one."""

from helpers import StandinTest

FORMAT = "${db:Status-Status} ${Version}\n"


class DpkgQuery(StandinTest):
    def status(self, text):
        with open(self.root.path + "/var/lib/dpkg/status", "w", encoding="utf-8") as out:
            out.write(text)

    def test_the_modelled_pve_container_is_installed(self):
        result = self.assertOk(self.root.tool("dpkg-query", "-W", "-f", FORMAT, "--", "pve-container"))
        self.assertEqual(result.out, "installed 6.1.10\n")

    def test_an_unknown_package_exits_1(self):
        self.assertFails(self.root.tool("dpkg-query", "-W", "-f", FORMAT, "--", "pve-manager"),
                         "dpkg-query: no packages found matching pve-manager\n", exit_code=1)

    def test_a_removed_package_reports_its_status(self):
        self.status("Package: pve-container\nStatus: deinstall ok config-files\nVersion: 6.1.0\n")
        result = self.assertOk(self.root.tool("dpkg-query", "-W", "-f", "${db:Status-Status} ${Version}\\n",
                                              "pve-container"))
        self.assertEqual(result.out, "config-files 6.1.0\n")

    def test_what_is_not_modelled_is_refused(self):
        self.assertEqual(self.root.tool("dpkg-query", "-l", "pve-container").rc, 2)
        self.assertEqual(self.root.tool("dpkg-query", "-W", "-f", "${Maintainer}", "pve-container").rc, 2)
