#!/usr/bin/env bash
# Measures `nexcage create` through the pct backend for a 10 MB and a 200 MB rootfs:
#   first  - no template of this rootfs exists: digest, pack with tar, pct create, start the init;
#   cached - a container of the same rootfs exists, so its template is reused (no packing).
# Runs against the Proxmox stand-in (tests/pve/), which unpacks templates and starts the
# container with Debian's LXC as Proxmox would; on a real Proxmox host the pct/LXC part differs.
# Prints medians in milliseconds and the cached/first ratio; writes summary.txt and samples.tsv.
#
# Needs root, LXC and the stand-in's host setup (scripts/setup-test-host.sh), busybox-static.
# Usage: bench/pct-create.sh [path/to/nexcage] [runs]   (default build/nexcage, 5 runs)
#   Results go to $NEXCAGE_BENCH_OUT (default bench/results/pct-<UTC time>/).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "run as root (containers)"
nexcage=${1:-$repo/build/nexcage}
runs=${2:-5}
[[ -x $nexcage ]] || die "$nexcage is not built (cmake --build build)"
init=$(dirname "$nexcage")/nexcage-init
monitor=$(dirname "$nexcage")/nexcage-monitor
[[ -x $init ]] || die "$init is not built (it is built beside nexcage)"
[[ -x $monitor ]] || die "$monitor is not built (it is built beside nexcage)"
[[ $runs =~ ^[0-9]+$ && $runs -ge 1 ]] || die "runs must be a number >= 1, got '$runs'"
[[ -x /bin/busybox ]] || die "/bin/busybox is missing; run scripts/install-deps.sh"

out=${NEXCAGE_BENCH_OUT:-$repo/bench/results/pct-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
work=$(mktemp -d /tmp/nexcage-bench-pct.XXXXXX)
chmod 755 "$work"
pve=$work/pve
cleanup() {
  for id in $("$nexcage" --config "$work/config.json" --root "$work/state" list -q 2>/dev/null); do
    "$nexcage" --config "$work/config.json" --root "$work/state" delete --force "$id" >/dev/null 2>&1 || true
  done
  "$repo/tests/pve/bin/pve-standin-cleanup" "$pve" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"$repo/tests/pve/bin/pve-standin-init" "$pve" >/dev/null
cp "$init" "$work/nexcage-init"
cp "$monitor" "$work/nexcage-monitor"
cat > "$work/config.json" <<JSON
{"backends": {"pct": {
  "path": "$pve/bin/pct", "pvesh": "$pve/bin/pvesh", "lxc_info": "$pve/bin/lxc-info",
  "lxc_attach": "$pve/bin/lxc-attach", "lxc_freeze": "$pve/bin/lxc-freeze",
  "lxc_unfreeze": "$pve/bin/lxc-unfreeze", "init": "$work/nexcage-init", "monitor": "$work/nexcage-monitor",
  "config_dir": "$pve/etc/pve/lxc", "lock_dir": "$pve/run/lock/lxc", "dpkg_query": "$pve/bin/dpkg-query",
  "template_dir": "$pve/var/lib/vz/template/cache", "host_dir": "$work/pct-host",
  "network": {"enabled": false}}},
 "default_backend": "pct"}
JSON
nx() { "$nexcage" --config "$work/config.json" --root "$work/state" "$@"; }

# A busybox rootfs plus `mb` MiB of incompressible data, and a bundle running sleep on it.
make_bundle() {
  local mb=$1 dir=$work/bundle-$1
  mkdir -p "$dir/rootfs/bin" "$dir/rootfs/data"
  cp /bin/busybox "$dir/rootfs/bin/busybox"
  ln -s busybox "$dir/rootfs/bin/sh"; ln -s busybox "$dir/rootfs/bin/sleep"
  head -c "$((mb * 1024 * 1024))" /dev/urandom > "$dir/rootfs/data/filler"
  cat > "$dir/config.json" <<JSON
{"ociVersion": "1.0.2",
 "process": {"args": ["sleep", "600"], "env": ["PATH=/bin"], "cwd": "/"},
 "root": {"path": "rootfs"},
 "linux": {"resources": {"memory": {"limit": 134217728}},
           "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"},
                          {"type": "uts"}, {"type": "mount"}]}}
JSON
  echo "$dir"
}

now_us() { echo "${EPOCHREALTIME/./}"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

printf 'size\tkind\trun\tms\n' > "$out/samples.tsv"
summary="size     first_ms  cached_ms  cached/first"
for mb in 10 200; do
  bundle=$(make_bundle "$mb")
  for ((i = 1; i <= runs; i++)); do
    t0=$(now_us); nx create --bundle "$bundle" first >/dev/null; t1=$(now_us)
    nx create --bundle "$bundle" cached >/dev/null; t2=$(now_us)
    printf '%sMB\tfirst\t%d\t%d\n' "$mb" "$i" $(((t1 - t0) / 1000)) >> "$out/samples.tsv"
    printf '%sMB\tcached\t%d\t%d\n' "$mb" "$i" $(((t2 - t1) / 1000)) >> "$out/samples.tsv"
    nx delete first >/dev/null; nx delete cached >/dev/null
  done
  first=$(awk -v s="${mb}MB" '$1 == s && $2 == "first" {print $4}' "$out/samples.tsv" | median)
  cached=$(awk -v s="${mb}MB" '$1 == s && $2 == "cached" {print $4}' "$out/samples.tsv" | median)
  ratio=$(awk -v a="$cached" -v b="$first" 'BEGIN {printf "%.2f", a / b}')
  summary+=$'\n'$(printf '%-8s %-9s %-10s %s' "${mb}MB" "$first" "$cached" "$ratio")
done
echo "$summary" | tee "$out/summary.txt"
log "samples in $out/samples.tsv"
