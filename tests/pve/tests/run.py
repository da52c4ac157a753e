#!/usr/bin/python3 -IB
"""Run the stand-in's own tests; the last line is `N passed, N failed[, N skipped]`.

Usage: run.py [-k PATTERN]... [test module names]
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def preflight():
    """What the tests need from the host, with the fix; None when all is there."""
    if os.geteuid() != 0:
        return "the stand-in's tests run containers and must run as root"
    for tool in ("/usr/bin/lxc-start", "/usr/bin/newuidmap", "/bin/busybox"):
        if not os.access(tool, os.X_OK):
            return f"{tool} is missing: run tests/pve/setup-host.sh"
    for name in ("/etc/subuid", "/etc/subgid"):
        try:
            with open(name, encoding="utf-8") as ids:
                if "root:100000:65536" in ids.read().split():
                    continue
        except OSError:
            pass
        return f"{name} lacks root:100000:65536: run tests/pve/setup-host.sh"
    return None


def main(argv):
    problem = preflight()
    if problem:
        print(f"tests/pve: {problem}")
        print("0 passed, 1 failed")
        return 1
    loader = unittest.TestLoader()
    patterns = [argv[i + 1] for i, a in enumerate(argv) if a == "-k" and i + 1 < len(argv)]
    names = [a for i, a in enumerate(argv) if a != "-k" and (i == 0 or argv[i - 1] != "-k")]
    if patterns:
        loader.testNamePatterns = [f"*{p}*" for p in patterns]
    if names:
        suite = loader.loadTestsFromNames(names)
    else:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    line = f"{passed} passed, {failed} failed"
    print(line + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed or result.testsRun == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
