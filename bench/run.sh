#!/usr/bin/env bash
# Measures, in one run, nexcage's overhead over the backend it drives:
#   1. `run` of a busybox /bin/true bundle: nexcage (runc) vs runc, nexcage (crun) vs crun;
#   2. `state` of a running container: nexcage vs runc vs crun.
# Exports hyperfine's JSON and prints medians and ratios. Targets: run overhead <= 5% over the
# backend alone; nexcage state faster than runc state.
#
# Needs root, hyperfine, runc, crun, busybox-static (scripts/install-deps.sh), and
# scripts/setup-test-host.sh on hybrid-cgroup hosts so that crun runs at all.
#
# Usage: bench/run.sh [path/to/nexcage] [runs]
#   Without a path, build/nexcage is used, built first (cmake) when missing.
#   Results go to $NEXCAGE_BENCH_OUT (default bench/results/<UTC time>/).
#   $NEXCAGE_BENCH_SETTLE: idle seconds before each timed `run` (default 0.1; see README).
#   $NEXCAGE_BENCH_ROUNDS: rounds the `run` samples are split into (default 4; see README).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "run as root (containers, tmpfs mount)"
runs=${2:-60}
[[ $runs =~ ^[0-9]+$ && $runs -ge 2 ]] || die "runs must be a number >= 2, got '$runs'"
runc=/usr/sbin/runc
crun=/usr/bin/crun
for tool in hyperfine "$runc" "$crun" /bin/busybox; do
  command -v "$tool" >/dev/null || die "$tool is missing; run scripts/install-deps.sh"
done

if [[ $# -ge 1 && -n $1 ]]; then
  nexcage=$1
else
  nexcage=$repo/build/nexcage
  if [[ ! -x $nexcage ]]; then
    log "building $nexcage"
    cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=Release >&2
    cmake --build "$repo/build" --target nexcage -j"$(nproc)" >&2
  fi
fi
[[ -x $nexcage ]] || die "$nexcage is not an executable"
nexcage=$(realpath "$nexcage")

out=${NEXCAGE_BENCH_OUT:-$repo/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(realpath "$out")

work=$(mktemp -d /tmp/nexcage-bench.XXXXXX)
# State roots live on a tmpfs, as /run does on Debian and Proxmox hosts, for all three runtimes,
# so fsync costs are those of production rather than of whatever disk /tmp is on.
state=$work/state
mkdir -p "$state"
# The state root comes from the config file, not --root: that makes it nexcage's default root, as
# /run/nexcage is in production (a non-default root also writes a note into the default root).
nx=("$nexcage" --config "$work/nexcage.json")
cleanup() {
  for id in state-nx-runc state-nx-crun bench-nx-runc bench-nx-crun smoke-nx-runc smoke-nx-crun; do
    "${nx[@]}" delete --force "$id" >/dev/null 2>&1 || true
  done
  for id in state-runc bench-runc smoke-runc; do "$runc" --root "$state/runc" delete --force "$id" >/dev/null 2>&1 || true; done
  for id in state-crun bench-crun smoke-crun; do "$crun" --root "$state/crun" delete --force "$id" >/dev/null 2>&1 || true; done
  if mountpoint -q "$state"; then umount "$state" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mount -t tmpfs -o mode=0700 tmpfs "$state"

cat >"$work/nexcage.json" <<JSON
{"backends": {"runc": {"path": "$runc"}, "crun": {"path": "$crun"}}, "default_backend": "runc",
 "root": "$state/nx"}
JSON

# A busybox-static bundle running ARGS (a JSON list body), from runc's default spec.
make_bundle() {
  local dir=$1 args=$2
  mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/dev" "$dir/rootfs/sys"
  cp /bin/busybox "$dir/rootfs/bin/busybox"
  ln -sf busybox "$dir/rootfs/bin/true"
  ln -sf busybox "$dir/rootfs/bin/sleep"
  (cd "$dir" && "$runc" spec)
  sed -i -e 's/"terminal": true/"terminal": false/' -e "s|\"sh\"\$|$args|" "$dir/config.json"
  grep -q "$args" "$dir/config.json" || die "could not set process.args in $dir/config.json"
}
make_bundle "$work/true" '"/bin/true"'
make_bundle "$work/sleep" '"/bin/sleep", "600"'

# One run of each first, so a broken setup fails with the tool's own message rather than
# hyperfine's "command terminated with a non-zero exit code".
smoke() { "$@" </dev/null >/dev/null 2>"$work/smoke.err" || { cat "$work/smoke.err" >&2; return 1; }; }
smoke "$runc" --root "$state/runc" run -b "$work/true" smoke-runc || die "runc cannot run the bundle"
smoke "$crun" --root "$state/crun" run -b "$work/true" smoke-crun ||
  die "crun cannot run the bundle (hybrid cgroups? run scripts/setup-test-host.sh)"
smoke "${nx[@]}" --backend runc run -b "$work/true" smoke-nx-runc || die "nexcage --backend runc cannot run the bundle"
smoke "${nx[@]}" --backend crun run -b "$work/true" smoke-nx-crun || die "nexcage --backend crun cannot run the bundle"

log "nexcage: $nexcage ($("$nexcage" --version | head -1))"
log "results: $out"

# Each command runs with a fixed id. --prepare (not timed) force-deletes whatever a failed
# iteration may have left, then lets the host settle for $settle s: moving a process into a cgroup
# v1 hierarchy waits for an RCU grace period (~10-20 ms) unless another move happened moments
# before, so back-to-back runs would reward whichever command loops fastest rather than measure
# the command (see bench/README.md). -N: no shell between hyperfine and the command measured.
settle=${NEXCAGE_BENCH_SETTLE:-0.1}
rounds=${NEXCAGE_BENCH_ROUNDS:-4}
[[ $rounds =~ ^[0-9]+$ && $rounds -ge 1 && $runs -ge $((2 * rounds)) ]] ||
  die "NEXCAGE_BENCH_ROUNDS must be a number >= 1 with at least 2 runs per round, got '$rounds'"
prep() { echo "sh -c '$1 >/dev/null 2>&1; sleep $settle'"; }

# The four `run` commands as hyperfine arguments (--prepare, -n, command), one entry per command.
run_args=(
  "$(prep "$runc --root $state/runc delete --force bench-runc")|runc|$runc --root $state/runc run -b $work/true bench-runc"
  "$(prep "${nx[*]} delete --force bench-nx-runc")|nexcage-runc|${nx[*]} --backend runc run -b $work/true bench-nx-runc"
  "$(prep "$crun --root $state/crun delete --force bench-crun")|crun|$crun --root $state/crun run -b $work/true bench-crun"
  "$(prep "${nx[*]} delete --force bench-nx-crun")|nexcage-crun|${nx[*]} --backend crun run -b $work/true bench-nx-crun"
)
# hyperfine runs one command's samples back to back, so anything that drifts during a run (a
# kworker, page cache, CPU frequency) would land on whichever command came at that moment. The
# samples are taken in rounds instead, the command order reversed every other round, and the
# rounds pooled: each command is measured at the beginning, middle and end of the run.
per_round=$((runs / rounds))
log "run of /bin/true: $rounds rounds of $per_round runs per command, ${settle}s settle before each"
for ((round = 0; round < rounds; round++)); do
  order=(0 1 2 3)
  ((round % 2 == 1)) && order=(3 2 1 0)
  args=()
  for i in "${order[@]}"; do
    IFS='|' read -r prepare name command <<<"${run_args[$i]}"
    args+=(--prepare "$prepare" -n "$name" "$command")
  done
  hyperfine --style basic --runs "$per_round" --warmup 2 -N --export-json "$out/run-$round.json" \
    "${args[@]}" >&2
done

log "state of a running container, $((runs * 5)) runs each"
"$runc" --root "$state/runc" run -d -b "$work/sleep" state-runc >/dev/null </dev/null
"$crun" --root "$state/crun" run -d -b "$work/sleep" state-crun >/dev/null </dev/null
"${nx[@]}" --backend runc run -d -b "$work/sleep" state-nx-runc </dev/null
"${nx[@]}" --backend crun run -d -b "$work/sleep" state-nx-crun </dev/null
hyperfine --style basic --runs "$((runs * 5))" --warmup 5 -N --export-json "$out/state.json" \
  -n runc-state "$runc --root $state/runc state state-runc" \
  -n crun-state "$crun --root $state/crun state state-crun" \
  -n nexcage-state-runc "${nx[*]} state state-nx-runc" \
  -n nexcage-state-crun "${nx[*]} state state-nx-crun" >&2

# Median (seconds) of every sample of the result named NAME in hyperfine's JSON exports FILES...:
# each result object has a "command" line, then a "times" array with one sample per line.
median() {
  local name=$1
  shift
  awk -v name="$name" '
    /"command":/ { cur = $0; sub(/^[^:]*: *"/, "", cur); sub(/",? *$/, "", cur) }
    /"times": *\[/ { in_times = (cur == name); next }
    in_times && /\]/ { in_times = 0 }
    in_times { v = $0; gsub(/[ ,]/, "", v); if (v != "") print v }' "$@" |
    sort -g | awk '{ v[NR] = $1 } END {
      if (NR == 0) exit 1
      if (NR % 2) print v[(NR + 1) / 2]; else printf "%.9f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }' ||
    die "no samples for $name in $*"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v r="$1" -v op="$2" -v t="$3" 'BEGIN {
  ok = (op == "<=") ? (r <= t) : (r < t); print ok ? "meets target" : "MISSES target" }'; }
# row LABEL SECONDS [RATIO NOTE]
row() { awk -v l="$1" -v s="$2" -v r="${3:-}" -v n="${4:-}" 'BEGIN {
  printf "%-38s %8.2f ms", l, s * 1000; if (r != "") printf "   %6s  %s", r, n; printf "\n" }'; }

r_runc=$(median runc "$out"/run-*.json)
r_nx_runc=$(median nexcage-runc "$out"/run-*.json)
r_crun=$(median crun "$out"/run-*.json)
r_nx_crun=$(median nexcage-crun "$out"/run-*.json)
s_runc=$(median runc-state "$out/state.json")
s_crun=$(median crun-state "$out/state.json")
s_nx_runc=$(median nexcage-state-runc "$out/state.json")
s_nx_crun=$(median nexcage-state-crun "$out/state.json")
run_runc=$(ratio "$r_nx_runc" "$r_runc")
run_crun=$(ratio "$r_nx_crun" "$r_crun")
state_runc=$(ratio "$s_nx_runc" "$s_runc")
state_vs_crun=$(ratio "$s_nx_crun" "$s_crun")

{
  printf '%-38s %11s   %6s\n' "benchmark (median)" time ratio
  row "run /bin/true: runc" "$r_runc"
  row "run /bin/true: nexcage --backend runc" "$r_nx_runc" "$run_runc" "x runc; target <= 1.05: $(verdict "$run_runc" "<=" 1.05)"
  row "run /bin/true: crun" "$r_crun"
  row "run /bin/true: nexcage --backend crun" "$r_nx_crun" "$run_crun" "x crun; target <= 1.05: $(verdict "$run_crun" "<=" 1.05)"
  row "state: runc" "$s_runc"
  row "state: crun" "$s_crun"
  row "state: nexcage (runc container)" "$s_nx_runc" "$state_runc" "x runc state; target < 1: $(verdict "$state_runc" "<" 1)"
  row "state: nexcage (crun container)" "$s_nx_crun" "$state_vs_crun" "x crun state"
} | tee "$out/summary.txt"
log "JSON: $out/run-*.json $out/state.json; summary: $out/summary.txt"
