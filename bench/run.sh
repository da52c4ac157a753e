#!/usr/bin/env bash
# Measures, in one run, nexcage's overhead over the backend it drives, called the way callers
# call it, for runc and for crun:
#   - `run` of a busybox /bin/true bundle;
#   - containerd's sequence as separate commands: `create`, `start`, `delete` (and their sum);
#   - `state` of a running container.
# Each in two forms (NEXCAGE_BENCH_FORMS, default "root default"):
#   root     containerd's shim: `--root DIR --log FILE --log-format json` on every command, DIR on
#            a private tmpfs;
#   default  no --root: every runtime's default root (/run/nexcage, /run/runc, /run/crun) in a
#            private mount namespace whose /run is a fresh tmpfs, as /run is on Proxmox hosts;
#   disk     (not by default) `--root` on a directory of the disk under /var/tmp: what fsync
#            costs where the state root is not a tmpfs.
# Exports hyperfine's JSON and prints medians and ratios. Targets: run and create+start+delete
# <= 1.05x the backend's; state <= 0.5x the backend's.
#
# Needs root, hyperfine, runc, crun, busybox-static (scripts/install-deps.sh), and
# scripts/setup-test-host.sh on hybrid-cgroup hosts so that crun runs at all.
#
# Usage: bench/run.sh [path/to/nexcage] [runs]
#   Without a path, build/nexcage is used, built first (cmake) when missing.
#   Results go to $NEXCAGE_BENCH_OUT (default bench/results/<UTC time>/).
#   $NEXCAGE_BENCH_SETTLE: idle seconds before each timed command (default 0.1; see README).
#   $NEXCAGE_BENCH_ROUNDS: rounds the samples are split into (default 4; see README).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/common.sh
. "$repo/bench/common.sh"

[[ $(id -u) -eq 0 ]] || die "run as root (containers, tmpfs mounts)"
# Everything runs in a private mount namespace, so the default form's /run is a tmpfs of its own
# and the host's /run (its containers, containerd's and podman's state) is never touched.
if [[ ${NEXCAGE_BENCH_PRIVATE_MOUNTS:-} != 1 ]]; then
  NEXCAGE_BENCH_PRIVATE_MOUNTS=1 exec unshare --mount --propagation private -- "$0" "$@"
fi

runs=${2:-60}
[[ $runs =~ ^[0-9]+$ && $runs -ge 2 ]] || die "runs must be a number >= 2, got '$runs'"
forms=${NEXCAGE_BENCH_FORMS:-root default}
for form in $forms; do
  [[ $form == root || $form == default || $form == disk ]] ||
    die "NEXCAGE_BENCH_FORMS: unknown form '$form' (root, default, disk)"
done
settle=${NEXCAGE_BENCH_SETTLE:-0.1}
rounds=${NEXCAGE_BENCH_ROUNDS:-4}
[[ $rounds =~ ^[0-9]+$ && $rounds -ge 1 && $runs -ge $((2 * rounds)) ]] ||
  die "NEXCAGE_BENCH_ROUNDS must be a number >= 1 with at least 2 runs per round, got '$rounds'"
runc=/usr/sbin/runc
crun=/usr/bin/crun
need_tools hyperfine "$runc" "$crun" /bin/busybox unshare

nexcage=$(nexcage_binary "${1:-}")
built=$nexcage

out=${NEXCAGE_BENCH_OUT:-$repo/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(realpath "$out")

work=$(mktemp -d /tmp/nexcage-bench.XXXXXX)
tmpfs=$work/tmpfs
disk=$(mktemp -d /var/tmp/nexcage-bench.XXXXXX)
mkdir -p "$tmpfs"
mount -t tmpfs -o mode=0700 tmpfs "$tmpfs"
mount -t tmpfs -o mode=0755 tmpfs /run
# Measured as the package ships it: dh_strip moves the debug information to the -dbgsym package.
# An unstripped static nexcage took 1 ms longer per command here, in the kernel's exec.
nexcage=$work/nexcage
strip -o "$nexcage" "$built"

# The backends' paths only: the state root is the form's (flag or default).
cat >"$work/nexcage.json" <<JSON
{"backends": {"runc": {"path": "$runc"}, "crun": {"path": "$crun"}}, "default_backend": "runc"}
JSON

# The global arguments of runtime RT (runc, crun, nexcage) in form FORM, as words.
globals() {
  local rt=$1 form=$2 config=()
  [[ $rt == nexcage ]] && config=(--config "$work/nexcage.json")
  case $form in
    root) echo "${config[*]} --root $tmpfs/$rt --log $tmpfs/$rt.log --log-format json" ;;
    disk) echo "${config[*]} --root $disk/$rt --log $disk/$rt.log --log-format json" ;;
    default) echo "${config[*]}" ;;
  esac
}
binary() { case $1 in runc) echo "$runc" ;; crun) echo "$crun" ;; nexcage) echo "$nexcage" ;; esac; }

ids=()
cleanup() {
  local form rt id
  for form in $forms; do
    for rt in runc crun nexcage; do
      for id in "${ids[@]}"; do
        # shellcheck disable=SC2046 # globals() prints words on purpose
        "$(binary "$rt")" $(globals "$rt" "$form") delete --force "$id" >/dev/null 2>&1 || true
      done
    done
  done
  umount "$tmpfs" 2>/dev/null || true
  rm -rf "$work" "$disk"
}
trap cleanup EXIT

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

# The command lines of one runtime in one form: RT is runc or crun, nexcage-runc or nexcage-crun
# (nexcage driving that backend), or exec-runc or exec-crun: the backend behind one exec of a
# static binary (busybox-static's env), the least any wrapper can cost (bench/README.md).
# Sets cmd_run, cmd_create, cmd_start, cmd_delete, cmd_force, cmd_state for container id ID.
commands_for() {
  local rt=$1 form=$2 id=$3 base g
  case $rt in
    nexcage-*) base="$nexcage $(globals nexcage "$form")" ;;
    exec-*) base="/bin/busybox env $(binary "${rt#exec-}") $(globals "${rt#exec-}" "$form")" ;;
    *) base="$(binary "$rt") $(globals "$rt" "$form")" ;;
  esac
  g=""
  [[ $rt == nexcage-* ]] && g="--backend ${rt#nexcage-} "
  cmd_run="$base ${g}run -b $work/true $id"
  cmd_create="$base ${g}create --bundle $work/true --pid-file $work/$id.pid $id"
  cmd_start="$base start $id"
  cmd_delete="$base delete $id"
  cmd_force="$base delete --force $id"
  cmd_state="$base state $id"
  cmd_run_detached="$base ${g}run -d -b $work/sleep $id"
}

# One run of each first, so a broken setup fails with the tool's own message rather than
# hyperfine's "command terminated with a non-zero exit code".
smoke() {
  # shellcheck disable=SC2086 # command lines are words on purpose
  $1 </dev/null >/dev/null 2>"$work/smoke.err" || { cat "$work/smoke.err" >&2; die "$2"; }
}
runtimes=(runc exec-runc nexcage-runc crun exec-crun nexcage-crun)
for form in $forms; do
  for rt in "${runtimes[@]}"; do
    commands_for "$rt" "$form" "smoke-$rt"
    ids+=("smoke-$rt")
    smoke "$cmd_run" "$rt cannot run the bundle ($form form; hybrid cgroups? run scripts/setup-test-host.sh)"
  done
done

log "nexcage: $built, stripped ($("$nexcage" --version | head -1))"
log "results: $out; forms: $forms"

# prep SHELL-COMMANDS: a --prepare that runs them quietly, then lets the host settle. Moving a
# process into a cgroup v1 hierarchy waits for an RCU grace period (~10-20 ms) unless another
# move happened moments before, so back-to-back runs would reward whichever command loops
# fastest rather than measure the command (see bench/README.md).
prep() { echo "sh -c '{ $1; } >/dev/null 2>&1; sleep $settle'"; }

# measure FILE-PREFIX ENTRY...: each ENTRY is "NAME|PREPARE|COMMAND". hyperfine takes one
# command's samples back to back, so anything that drifts during a run (a kworker, the page cache)
# would land on whichever command came at that moment: the samples are taken in rounds instead,
# the order reversed every other round, and pooled. -N: no shell around the command measured.
measure() {
  local prefix=$1 round i n per_round=$((runs / rounds))
  shift
  local entries=("$@")
  n=${#entries[@]}
  for ((round = 0; round < rounds; round++)); do
    local args=()
    for ((i = 0; i < n; i++)); do
      local k=$i
      ((round % 2 == 1)) && k=$((n - 1 - i))
      IFS='|' read -r name prepare command <<<"${entries[$k]}"
      args+=(--prepare "$prepare" -n "$name" "$command")
    done
    hyperfine --style basic --runs "$per_round" --warmup 2 -N --export-json "$out/$prefix-$round.json" \
      "${args[@]}" >&2
  done
}

for form in $forms; do
  log "form $form: run, create, start, delete: $rounds rounds of $((runs / rounds)) runs per command"
  run_set=() create_set=() start_set=() delete_set=() state_set=()
  for rt in "${runtimes[@]}"; do
    id="bench-$rt"
    ids+=("$id" "state-$rt")
    commands_for "$rt" "$form" "$id"
    run_set+=("$rt|$(prep "$cmd_force")|$cmd_run")
    create_set+=("$rt|$(prep "$cmd_force")|$cmd_create")
    start_set+=("$rt|$(prep "$cmd_force; $cmd_create")|$cmd_start")
    # /bin/true has exited by the end of the settle pause: delete finds a stopped container.
    delete_set+=("$rt|$(prep "$cmd_force; $cmd_create; $cmd_start")|$cmd_delete")
  done
  measure "$form-run" "${run_set[@]}"
  measure "$form-create" "${create_set[@]}"
  measure "$form-start" "${start_set[@]}"
  measure "$form-delete" "${delete_set[@]}"

  log "form $form: state of a running container, $((runs * 5)) runs each"
  for rt in "${runtimes[@]}"; do
    commands_for "$rt" "$form" "state-$rt"
    # shellcheck disable=SC2086
    $cmd_run_detached </dev/null >/dev/null
    state_set+=("$rt|true|$cmd_state")
  done
  args=()
  for entry in "${state_set[@]}"; do
    IFS='|' read -r name _ command <<<"$entry"
    args+=(-n "$name" "$command")
  done
  hyperfine --style basic --runs "$((runs * 5))" --warmup 5 -N --export-json "$out/$form-state.json" \
    "${args[@]}" >&2
  for rt in "${runtimes[@]}"; do
    commands_for "$rt" "$form" "state-$rt"
    # shellcheck disable=SC2086
    $cmd_force >/dev/null 2>&1 || true
  done
done

sum() { awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { printf "%.9f", a + b + c }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "meets target" : "MISSES target" }'; }
# row LABEL BACKEND-SECONDS EXEC-SECONDS NEXCAGE-SECONDS TARGET
row() {
  local r
  r=$(ratio "$4" "$2")
  awk -v l="$1" -v b="$2" -v e="$3" -v n="$4" -v re="$(ratio "$3" "$2")" -v r="$r" -v t="$5" \
    -v v="$(verdict "$r" "$5")" 'BEGIN {
    printf "%-24s %9.2f ms %9.2f ms %6s %9.2f ms %6s   <= %-4s %s\n", l, b * 1000, e * 1000, re, n * 1000, r, t, v }'
}

{
  for form in $forms; do
    case $form in
      root) echo "--root on a tmpfs, --log FILE --log-format json on every command (containerd's form)" ;;
      default) echo "default state roots, /run a tmpfs (an admin's form on Proxmox)" ;;
      disk) echo "--root on the disk (/var/tmp), --log FILE --log-format json" ;;
    esac
    for backend in runc crun; do
      printf '%-24s %12s %12s %6s %12s %6s   %s\n' "  $backend (median)" "$backend" "one exec" ratio \
        nexcage ratio target
      declare -A b=() e=() n=()
      for what in run create start delete; do
        b[$what]=$(median "$backend" "$out/$form-$what"-*.json)
        e[$what]=$(median "exec-$backend" "$out/$form-$what"-*.json)
        n[$what]=$(median "nexcage-$backend" "$out/$form-$what"-*.json)
      done
      b[state]=$(median "$backend" "$out/$form-state.json")
      e[state]=$(median "exec-$backend" "$out/$form-state.json")
      n[state]=$(median "nexcage-$backend" "$out/$form-state.json")
      for what in run create start delete; do
        row "  $what" "${b[$what]}" "${e[$what]}" "${n[$what]}" 1.05
      done
      row "  create+start+delete" "$(sum "${b[create]}" "${b[start]}" "${b[delete]}")" \
        "$(sum "${e[create]}" "${e[start]}" "${e[delete]}")" \
        "$(sum "${n[create]}" "${n[start]}" "${n[delete]}")" 1.05
      row "  state" "${b[state]}" "${e[state]}" "${n[state]}" 0.5
    done
  done
} | tee "$out/summary.txt"
log "JSON: $out/*.json; summary: $out/summary.txt"
