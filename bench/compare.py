#!/usr/bin/env python3
"""Compares two nexcage builds on the path callers take, interleaved so drift hits both alike.

bench/run.sh measures one build against runc and crun; the ratios of two such runs differ by
several percent from run to run on a 2-core machine, more than a change is allowed to cost. This
runs `run` of a busybox /bin/true bundle (and `state` of a running container) with build A and
build B alternately, in the same state root on a tmpfs and with the same settle pause as run.sh,
and reports the medians and B/A with a bootstrap 95% interval.

Usage: bench/compare.py A_BINARY B_BINARY [iterations]   (root; runc, crun, busybox-static)
"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

RUNC = "/usr/sbin/runc"
CRUN = "/usr/bin/crun"
SETTLE = float(os.environ.get("NEXCAGE_BENCH_SETTLE", "0.1"))


def make_bundle(path, args):
    rootfs = os.path.join(path, "rootfs")
    for d in ("bin", "proc", "dev", "sys"):
        os.makedirs(os.path.join(rootfs, d), exist_ok=True)
    shutil.copy("/bin/busybox", os.path.join(rootfs, "bin", "busybox"))
    for name in ("true", "sleep"):
        os.symlink("busybox", os.path.join(rootfs, "bin", name))
    subprocess.run([RUNC, "spec"], cwd=path, check=True)
    with open(os.path.join(path, "config.json")) as f:
        spec = json.load(f)
    spec["process"]["terminal"] = False
    spec["process"]["args"] = args
    with open(os.path.join(path, "config.json"), "w") as f:
        json.dump(spec, f)


def timed(argv):
    start = time.perf_counter()
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f"compare: {' '.join(argv)} failed: {r.stderr.decode(errors='replace')}")
    return elapsed


def quiet(argv):
    subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def interval(a, b, rounds=2000):
    """Bootstrap 95% interval of median(b) / median(a)."""
    rng = random.Random(1)
    ratios = sorted(
        statistics.median(rng.choices(b, k=len(b))) / statistics.median(rng.choices(a, k=len(a)))
        for _ in range(rounds))
    return ratios[int(rounds * 0.025)], ratios[int(rounds * 0.975)]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    builds = {"A": os.path.realpath(sys.argv[1]), "B": os.path.realpath(sys.argv[2])}
    iterations = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    work = tempfile.mkdtemp(prefix="nexcage-compare.")
    state = os.path.join(work, "state")
    os.makedirs(state)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0700", "tmpfs", state], check=True)
    try:
        config = os.path.join(work, "nexcage.json")
        with open(config, "w") as f:
            json.dump({"backends": {"runc": {"path": RUNC}, "crun": {"path": CRUN}},
                       "default_backend": "runc", "root": os.path.join(state, "nx")}, f)
        true_bundle, sleep_bundle = os.path.join(work, "true"), os.path.join(work, "sleep")
        make_bundle(true_bundle, ["/bin/true"])
        make_bundle(sleep_bundle, ["/bin/sleep", "600"])
        # containerd passes --root on every command; so does this.
        root = ["--config", config, "--root", os.path.join(state, "nx")]
        samples = {}
        for backend in ("runc", "crun"):
            quiet([builds["A"], *root, "--backend", backend, "run", "-d", "-b", sleep_bundle,
                   "state-" + backend])
        for i in range(iterations):
            order = ["A", "B"] if i % 2 == 0 else ["B", "A"]
            for which in order:
                nx = builds[which]
                for backend in ("runc", "crun"):
                    cid = f"bench-{backend}"
                    quiet([nx, *root, "delete", "--force", cid])
                    time.sleep(SETTLE)
                    samples.setdefault((f"run ({backend})", which), []).append(
                        timed([nx, *root, "--backend", backend, "run", "-b", true_bundle, cid]))
                    samples.setdefault((f"state ({backend} container)", which), []).append(
                        timed([nx, *root, "state", "state-" + backend]))
        for backend in ("runc", "crun"):
            quiet([builds["A"], *root, "delete", "--force", "state-" + backend])
            quiet([builds["A"], *root, "delete", "--force", "bench-" + backend])
        print(f"A: {builds['A']}\nB: {builds['B']}\n{iterations} interleaved samples each")
        print(f"{'benchmark (median)':32} {'A ms':>8} {'B ms':>8} {'B/A':>6}  95% interval")
        for name in sorted({k[0] for k in samples}):
            a, b = samples[(name, "A")], samples[(name, "B")]
            low, high = interval(a, b)
            ma, mb = statistics.median(a), statistics.median(b)
            print(f"{name:32} {ma * 1000:8.2f} {mb * 1000:8.2f} {mb / ma:6.3f}  "
                  f"[{low:.3f}, {high:.3f}]")
    finally:
        subprocess.run(["umount", state])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
