#!/usr/bin/env bash
# What the operation records and metrics cost (docs/observability.md): `run` of a busybox
# /bin/true bundle and `state` of a running container, each with them off (metrics.enabled false,
# the caller's --log at its default level, which writes nothing on success) and on (a record per
# command in the log file at info level, a count in <root>/.metrics), called as containerd calls:
# --root on a tmpfs and --log FILE --log-format json on every command. Samples interleaved in
# rounds (the order reversed every other round) so drift lands on both alike; medians and on/off
# ratios printed.
#
# Usage: bench/observability.sh [path/to/nexcage] [runs]   (default build/nexcage, 60 runs; state
# gets five times as many). As root; hyperfine, crun, busybox-static (scripts/install-deps.sh).
# Results go to $NEXCAGE_BENCH_OUT (default bench/results/observability-<UTC time>/).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/common.sh
. "$repo/bench/common.sh"

[[ $(id -u) -eq 0 ]] || die "run as root (containers, tmpfs mount)"
runs=${2:-60}
[[ $runs =~ ^[0-9]+$ && $runs -ge 4 ]] || die "runs must be a number >= 4, got '$runs'"
crun=/usr/bin/crun
need_tools hyperfine "$crun" /bin/busybox
nexcage=$(realpath "${1:-$repo/build/nexcage}")
[[ -x $nexcage ]] || die "$nexcage is not an executable (build it: cmake --build build --target nexcage)"

out=${NEXCAGE_BENCH_OUT:-$repo/bench/results/observability-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(realpath "$out")
work=$(mktemp -d /tmp/nexcage-bench.XXXXXX)
state=$work/state
mkdir -p "$state"
cleanup() {
  for mode in off on; do
    for id in bench state; do
      "$nexcage" --config "$work/$mode.json" --root "$state/$mode" delete --force "$id-$mode" \
        >/dev/null 2>&1 || true
    done
  done
  if mountpoint -q "$state"; then umount "$state" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# /run is a tmpfs on Proxmox and Debian hosts: the journal appends and record writes cost there
# what they cost in production.
mount -t tmpfs -o mode=0700 tmpfs "$state"

cat >"$work/off.json" <<JSON
{"backends": {"crun": {"path": "$crun"}}, "default_backend": "crun", "metrics": {"enabled": false}}
JSON
cat >"$work/on.json" <<JSON
{"backends": {"crun": {"path": "$crun"}}, "default_backend": "crun", "metrics": {"enabled": true},
 "log": {"level": "info"}}
JSON

mkdir -p "$work/true/rootfs/bin" "$work/sleep/rootfs/bin"
for b in true sleep; do
  cp /bin/busybox "$work/$b/rootfs/bin/busybox"
  ln -sf busybox "$work/$b/rootfs/bin/$b"
  (cd "$work/$b" && "$nexcage" spec)
  sed -i -e 's/"terminal": true/"terminal": false/' "$work/$b/config.json"
done
sed -i 's|"sh"$|"/bin/true"|' "$work/true/config.json"
sed -i 's|"sh"$|"/bin/sleep", "600"|' "$work/sleep/config.json"

# nexcage as containerd's shim calls it, with the settings of MODE.
nx() {
  local mode=$1
  shift
  echo "$nexcage --config $work/$mode.json --root $state/$mode --log $work/$mode.log --log-format json $*"
}
for mode in off on; do
  $(nx "$mode" run -b "$work/true" "smoke-$mode") </dev/null >/dev/null ||
    die "nexcage cannot run the bundle with crun (hybrid cgroups? run scripts/setup-test-host.sh)"
done

settle=${NEXCAGE_BENCH_SETTLE:-0.1}
rounds=4
per_round=$((runs / rounds))
log "run of /bin/true: $rounds rounds of $per_round runs, ${settle}s settle before each"
for ((round = 0; round < rounds; round++)); do
  order=(off on)
  ((round % 2 == 1)) && order=(on off)
  args=()
  for mode in "${order[@]}"; do
    args+=(--prepare "sh -c '$(nx "$mode" delete --force "bench-$mode") >/dev/null 2>&1; sleep $settle'"
      -n "run-$mode" "$(nx "$mode" run -b "$work/true" "bench-$mode")")
  done
  hyperfine --style basic --runs "$per_round" --warmup 2 -N --export-json "$out/run-$round.json" \
    "${args[@]}" >&2
done

log "state of a running container: $rounds rounds of $((runs * 5 / rounds)) runs"
for mode in off on; do $(nx "$mode" run -d -b "$work/sleep" "state-$mode") </dev/null; done
for ((round = 0; round < rounds; round++)); do
  order=(off on)
  ((round % 2 == 1)) && order=(on off)
  args=()
  for mode in "${order[@]}"; do args+=(-n "state-$mode" "$(nx "$mode" state "state-$mode")"); done
  hyperfine --style basic --runs "$((runs * 5 / rounds))" --warmup 5 -N \
    --export-json "$out/state-$round.json" "${args[@]}" >&2
done

row() { awk -v l="$1" -v s="$2" -v r="${3:-}" 'BEGIN {
  printf "%-44s %8.3f ms", l, s * 1000; if (r != "") printf "   x%.3f of off", r; printf "\n" }'; }

run_off=$(median run-off "$out"/run-*.json)
run_on=$(median run-on "$out"/run-*.json)
state_off=$(median state-off "$out"/state-*.json)
state_on=$(median state-on "$out"/state-*.json)
records=$(grep -c '"op":' "$work/on.log" || true)
{
  printf '%-44s %11s\n' "benchmark (median, crun, --root on tmpfs)" time
  row "run /bin/true: records and metrics off" "$run_off"
  row "run /bin/true: records and metrics on" "$run_on" "$(ratio "$run_on" "$run_off")"
  row "state: records and metrics off" "$state_off"
  row "state: records and metrics on" "$state_on" "$(ratio "$state_on" "$state_off")"
  echo "with them on: $records records in the log, $(cat "$state/on/.metrics/journal" | wc -l) samples in the journal"
} | tee "$out/summary.txt"
