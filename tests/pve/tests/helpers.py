"""Shared fixtures: a throw-away stand-in root, and running its tools as a caller would."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PVE_DIR = os.path.dirname(HERE)
BIN = os.path.join(PVE_DIR, "bin")
sys.path.insert(0, PVE_DIR)
sys.path.insert(0, HERE)

import rootfs  # noqa: E402
from pvestandin import init_root, mountpoints  # noqa: E402

TEMPLATE = "bb.tar.zst"


_CACHE = {}


def _built_template(name):
    if "dir" not in _CACHE:
        _CACHE["dir"] = tempfile.mkdtemp(prefix="pve-standin-templates-")
        import atexit

        atexit.register(shutil.rmtree, _CACHE["dir"], True)
        rootfs.make_rootfs(os.path.join(_CACHE["dir"], "tree"))
    archive = os.path.join(_CACHE["dir"], name)
    if not os.path.exists(archive):
        rootfs.make_template(os.path.join(_CACHE["dir"], "tree"), archive)
    return archive


class Result:
    def __init__(self, done):
        self.rc = done.returncode
        self.out = done.stdout
        self.err = done.stderr

    def __repr__(self):
        return f"rc={self.rc}\nstdout:\n{self.out}\nstderr:\n{self.err}"


class StandinRoot:
    """A stand-in root in a fresh temp dir (mode 0755, as an unprivileged CT needs)."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="pve-standin-test-")
        os.chmod(self.tmp, 0o755)
        self.path = os.path.join(self.tmp, "root")
        init_root.init(self.path)
        self.bin = os.path.join(self.path, "bin")

    def tool(self, name, *args, env=None, timeout=60):
        """Run <root>/bin/<name> with an empty environment, as nexcage's runner may."""
        done = subprocess.run([os.path.join(self.bin, name), *args], capture_output=True,
                              text=True, env=env or {}, timeout=timeout, check=False)
        return Result(done)

    def pct(self, *args, **kwargs):
        return self.tool("pct", *args, **kwargs)

    def conf_path(self, vmid):
        return os.path.join(self.path, "etc", "pve", "nodes", "pve", "lxc", f"{vmid}.conf")

    def read_conf(self, vmid):
        with open(self.conf_path(vmid), encoding="utf-8") as conf:
            return conf.read()

    def write_conf(self, vmid, text):
        with open(self.conf_path(vmid), "w", encoding="utf-8") as conf:
            conf.write(text)

    def template_dir(self):
        path = os.path.join(self.path, "var", "lib", "vz", "template", "cache")
        os.makedirs(path, exist_ok=True)
        return path

    def add_template(self, name=TEMPLATE):
        """A busybox template in the `local` storage (built once per test run, then copied)."""
        target = os.path.join(self.template_dir(), name)
        shutil.copyfile(_built_template(name), target)
        return target

    def cleanup(self):
        # Stop whatever a failed test left running before removing its files.
        lxc_path = os.path.join(self.path, "var", "lib", "lxc")
        for name in os.listdir(lxc_path) if os.path.isdir(lxc_path) else []:
            subprocess.run(["/usr/bin/lxc-stop", "-P", lxc_path, "-n", name, "--kill"],
                           capture_output=True, check=False, timeout=30)
        # Never remove files through a mount point the stand-in staged (mountpoints.py).
        mountpoints.release_path(self.tmp)
        shutil.rmtree(self.tmp, ignore_errors=True)


class StandinTest(unittest.TestCase):
    """A test case with its own root (self.root), removed afterwards."""

    def setUp(self):
        self.root = StandinRoot()
        self.addCleanup(self.root.cleanup)

    def assertFails(self, result, stderr, exit_code=255):
        """The call failed with exit_code and exactly this stderr."""
        self.assertEqual(result.rc, exit_code, result)
        self.assertEqual(result.err, stderr, result)

    def assertOk(self, result):
        self.assertEqual(result.rc, 0, result)
        return result

    def param_error(self, verb_usage, *lines):
        return "400 Parameter verification failed.\n" + "".join(l + "\n" for l in lines) + \
            verb_usage + "\n"

    def create(self, vmid="100", *options):
        if not os.path.exists(os.path.join(self.root.template_dir(), TEMPLATE)):
            self.root.add_template()
        return self.assertOk(self.root.pct("create", vmid, f"local:vztmpl/{TEMPLATE}",
                                           "--ostype", "unmanaged", "--rootfs", "local-lvm:1",
                                           *options))


SET_USAGE = "pct set <vmid> [OPTIONS]"
CREATE_USAGE = "pct create <vmid> <ostemplate> [OPTIONS]"
