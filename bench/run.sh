#!/usr/bin/env bash
# Measures, in one run, nexcage's overhead over the backend it drives:
#   1. `run` of a busybox /bin/true bundle: nexcage (runc) vs runc, nexcage (crun) vs crun;
#   2. `state` of a running container: nexcage vs runc vs crun.
# Prints medians and ratios. Targets: run overhead <= 5% over the backend alone; nexcage state
# faster than runc state. Needs root, hyperfine, runc, crun, busybox-static
# (scripts/install-deps.sh) and scripts/setup-test-host.sh for crun.
#
# Usage: bench/run.sh [path/to/nexcage] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."

nexcage=${1:-build/nexcage}
runs=${2:-40}
[[ -x $nexcage ]] || { echo "bench: $nexcage not found; build first (cmake --build build)" >&2; exit 1; }
nexcage=$(realpath "$nexcage")
runc=/usr/sbin/runc
crun=/usr/bin/crun

work=$(mktemp -d /tmp/nexcage-bench.XXXXXX)
# State roots live on a tmpfs, as /run does on Debian and Proxmox hosts, for all three runtimes.
state=$work/state
mkdir -p "$state"
mount -t tmpfs -o mode=0700 tmpfs "$state"
cleanup() {
  for id in state-nx-runc state-nx-crun; do "$nexcage" --root "$state/nx" delete -f "$id" >/dev/null 2>&1 || true; done
  "$runc" --root "$state/runc" delete -f state-runc >/dev/null 2>&1 || true
  "$crun" --root "$state/crun" delete -f state-crun >/dev/null 2>&1 || true
  umount "$state" || true
  rm -rf "$work"
}
trap cleanup EXIT

# A busybox bundle; `args` replaced per benchmark.
make_bundle() {
  local dir=$1 args=$2
  mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/dev" "$dir/rootfs/sys"
  cp /bin/busybox "$dir/rootfs/bin/busybox"
  ln -sf busybox "$dir/rootfs/bin/true"
  ln -sf busybox "$dir/rootfs/bin/sleep"
  "$nexcage" spec --bundle "$dir"
  sed -i -e 's/"terminal": true/"terminal": false/' -e "s|\"sh\"\$|$args|" "$dir/config.json"
}
make_bundle "$work/true" '"/bin/true"'
make_bundle "$work/sleep" '"/bin/sleep", "600"'

export_csv() { hyperfine --style basic --runs "$runs" --warmup 3 --export-csv "$1" "${@:2}" >&2; }

echo "== run of /bin/true ($runs runs each)" >&2
export_csv "$work/run.csv" \
  -n runc "$runc --root $state/runc run -b $work/true bench-runc" \
  -n nexcage-runc "$nexcage --root $state/nx --backend runc run -b $work/true bench-nx-runc" \
  -n crun "$crun --root $state/crun run -b $work/true bench-crun" \
  -n nexcage-crun "$nexcage --root $state/nx --backend crun run -b $work/true bench-nx-crun"

echo "== state of a running container" >&2
"$runc" --root "$state/runc" run -d -b "$work/sleep" state-runc >/dev/null
"$crun" --root "$state/crun" run -d -b "$work/sleep" state-crun >/dev/null
"$nexcage" --root "$state/nx" --backend runc run -d -b "$work/sleep" state-nx-runc
"$nexcage" --root "$state/nx" --backend crun run -d -b "$work/sleep" state-nx-crun
export_csv "$work/state.csv" \
  -n runc-state "$runc --root $state/runc state state-runc" \
  -n crun-state "$crun --root $state/crun state state-crun" \
  -n nexcage-state-runc "$nexcage --root $state/nx state state-nx-runc" \
  -n nexcage-state-crun "$nexcage --root $state/nx state state-nx-crun"

# command,mean,stddev,median,user,system,min,max (seconds)
median() { awk -F, -v name="$2" '$1 == name { print $4 }' "$1"; }
ms() { awk -v s="$1" 'BEGIN { printf "%.2f ms", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

r_runc=$(median "$work/run.csv" runc)
r_nx_runc=$(median "$work/run.csv" nexcage-runc)
r_crun=$(median "$work/run.csv" crun)
r_nx_crun=$(median "$work/run.csv" nexcage-crun)
s_runc=$(median "$work/state.csv" runc-state)
s_crun=$(median "$work/state.csv" crun-state)
s_nx_runc=$(median "$work/state.csv" nexcage-state-runc)
s_nx_crun=$(median "$work/state.csv" nexcage-state-crun)

cat <<REPORT
benchmark                         median      ratio
run /bin/true: runc              $(ms "$r_runc")
run /bin/true: nexcage (runc)    $(ms "$r_nx_runc")   $(ratio "$r_nx_runc" "$r_runc") x runc    (target <= 1.050)
run /bin/true: crun              $(ms "$r_crun")
run /bin/true: nexcage (crun)    $(ms "$r_nx_crun")   $(ratio "$r_nx_crun" "$r_crun") x crun    (target <= 1.050)
state: runc                      $(ms "$s_runc")
state: crun                      $(ms "$s_crun")
state: nexcage (runc container)  $(ms "$s_nx_runc")   $(ratio "$s_nx_runc" "$s_runc") x runc state (target < 1)
state: nexcage (crun container)  $(ms "$s_nx_crun")   $(ratio "$s_nx_crun" "$s_crun") x crun state
REPORT
