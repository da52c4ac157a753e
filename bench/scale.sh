#!/usr/bin/env bash
# Whether nexcage's commands slow down as a state root fills: for runc and crun, with N = 1, 100
# and 1000 real running containers in the root, the median latency of `create`, `state`, `list`,
# `kill` and `delete`, and the peak RSS of each, beside the backend's own five at the same N (the
# backend's root filled the same way): the host's 2 x N containers slow the backend's own create
# too, which nexcage's create includes. Called as containerd calls: `--root` on a private tmpfs on
# every command.
#
# Targets (bench/README.md): every command but list within 10 % of its time at N = 1; list
# of 1000 under 50 ms and faster than the backend's list; peak RSS under 20 MB at 1000.
#
# Needs root, hyperfine, GNU time, runc, crun, busybox-static (scripts/install-deps.sh), and
# scripts/setup-test-host.sh on hybrid-cgroup hosts. 2 x 1000 containers per backend exist at the
# peak (a sleeping busybox each); filling takes a few minutes.
#
# Usage: bench/scale.sh [path/to/nexcage] [runs]
#   runs: samples per command and N (default 20).
#   $NEXCAGE_BENCH_SCALE: the Ns, ascending (default "1 100 1000").
#   $NEXCAGE_BENCH_BACKENDS: default "runc crun".
#   $NEXCAGE_BENCH_SETTLE: idle seconds before each create, kill and delete (default 0.1).
#   $NEXCAGE_BENCH_ROUNDS: hyperfine runs per N, `runs` split among them, each command beside the
#     backend's, the order reversed every other round (default 3).
#   Results go to $NEXCAGE_BENCH_OUT (default bench/results/scale-<UTC time>/).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/common.sh
. "$repo/bench/common.sh"

[[ $(id -u) -eq 0 ]] || die "run as root (containers, tmpfs mount)"
runs=${2:-20}
[[ $runs =~ ^[0-9]+$ && $runs -ge 2 ]] || die "runs must be a number >= 2, got '$runs'"
scale=${NEXCAGE_BENCH_SCALE:-1 100 1000}
backends=${NEXCAGE_BENCH_BACKENDS:-runc crun}
settle=${NEXCAGE_BENCH_SETTLE:-0.1}
rounds=${NEXCAGE_BENCH_ROUNDS:-3}
[[ $rounds =~ ^[0-9]+$ && $rounds -ge 1 ]] || die "NEXCAGE_BENCH_ROUNDS must be a number >= 1, got '$rounds'"
per_round=$(((runs + rounds - 1) / rounds))
((per_round >= 2)) || per_round=2
prev=0
for n in $scale; do
  [[ $n =~ ^[0-9]+$ && $n -gt $prev ]] || die "NEXCAGE_BENCH_SCALE must be ascending numbers >= 1, got '$scale'"
  prev=$n
done
runc=/usr/sbin/runc
crun=/usr/bin/crun
need_tools hyperfine /usr/bin/time "$runc" "$crun" /bin/busybox

nexcage=$(nexcage_binary "${1:-}")

out=${NEXCAGE_BENCH_OUT:-$repo/bench/results/scale-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(realpath "$out")

work=$(mktemp -d /tmp/nexcage-scale.XXXXXX)
state=$work/state
mkdir -p "$state"
mount -t tmpfs -o mode=0700 tmpfs "$state"
# Measured as the package ships it (dh_strip), as bench/run.sh does.
built=$nexcage
nexcage=$work/nexcage
strip -o "$nexcage" "$built"
cat >"$work/nexcage.json" <<JSON
{"backends": {"runc": {"path": "$runc"}, "crun": {"path": "$crun"}}, "default_backend": "runc"}
JSON

mkdir -p "$work/sleep/rootfs/bin" "$work/sleep/rootfs/proc" "$work/sleep/rootfs/dev" "$work/sleep/rootfs/sys"
cp /bin/busybox "$work/sleep/rootfs/bin/busybox"
ln -sf busybox "$work/sleep/rootfs/bin/sleep"
(cd "$work/sleep" && "$runc" spec)
sed -i -e 's/"terminal": true/"terminal": false/' -e 's|"sh"$|"/bin/sleep", "3600"|' "$work/sleep/config.json"
grep -q '"/bin/sleep", "3600"' "$work/sleep/config.json" || die "could not set process.args"

# Command prefixes (words) of nexcage with backend B, and of the backend alone.
nx_of() { echo "$nexcage --config $work/nexcage.json --root $state/nx-$1 --log $state/nx.log --log-format json"; }
be_of() { echo "$(if [[ $1 == runc ]]; then echo "$runc"; else echo "$crun"; fi) --root $state/$1 --log $state/$1.log --log-format json"; }

# Deleting 2 x 1000 containers one by one takes minutes; on any exit, the cgroups and processes
# of whatever is left must go too.
filled=0
cleanup() {
  local b i
  for b in $backends; do
    for ((i = 1; i <= filled; i++)); do
      # shellcheck disable=SC2046 # command prefixes are words on purpose
      $(nx_of "$b") delete --force "c$i" >/dev/null 2>&1 || true
      # shellcheck disable=SC2046
      $(be_of "$b") delete --force "c$i" >/dev/null 2>&1 || true
    done
    for id in probe peak; do
      # shellcheck disable=SC2046
      $(nx_of "$b") delete --force "$id" >/dev/null 2>&1 || true
      # shellcheck disable=SC2046
      $(be_of "$b") delete --force "$id" >/dev/null 2>&1 || true
    done
  done
  umount "$state" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

log "nexcage: $built, stripped ($("$nexcage" --version | head -1)); results: $out"
prep() { echo "sh -c '{ $1; } >/dev/null 2>&1; sleep $settle'"; }
# Peak RSS in KiB of one run of a command line (words).
peak_rss() {
  # shellcheck disable=SC2086
  /usr/bin/time -f %M -o "$work/rss" $1 >/dev/null 2>&1 </dev/null || true
  tail -1 "$work/rss"
}

: >"$out/rss.tsv"
for b in $backends; do
  nx=$(nx_of "$b")
  be=$(be_of "$b")
  filled=0
  for n in $scale; do
    log "$b: filling both roots to $n running containers"
    for ((i = filled + 1; i <= n; i++)); do
      # shellcheck disable=SC2086
      $nx --backend "$b" run -d -b "$work/sleep" "c$i" </dev/null >/dev/null ||
        die "nexcage could not run container c$i"
      filled=$i
      # shellcheck disable=SC2086
      $be run -d -b "$work/sleep" "c$i" </dev/null >/dev/null || die "$b could not run container c$i"
      ((i % 100 == 0)) && log "$b: $i"
    done
    log "$b, N = $n: timing"
    # probe: a container beside the N, created, started, killed and deleted by the timed commands.
    # Each of nexcage's commands beside the backend's same command, the order reversed every other
    # round: whatever drifts after filling the host (the kernel freeing, a kworker) lands on both.
    timed=(
      --prepare "$(prep "$nx delete --force probe")" -n create "$nx --backend $b create --bundle $work/sleep probe"
      --prepare "$(prep "$be delete --force probe")" -n "$b-create" "$be create --bundle $work/sleep probe"
      --prepare true -n state "$nx state c1"
      --prepare true -n "$b-state" "$be state c1"
      --prepare true -n list "$nx list"
      --prepare true -n "$b-list" "$be list"
      --prepare "$(prep "$nx delete --force probe; $nx --backend $b run -d -b $work/sleep probe")" -n kill "$nx kill probe KILL"
      --prepare "$(prep "$be delete --force probe; $be run -d -b $work/sleep probe")" -n "$b-kill" "$be kill probe KILL"
      --prepare "$(prep "$nx delete --force probe; $nx --backend $b run -d -b $work/sleep probe; $nx kill probe KILL")" -n delete "$nx delete probe"
      --prepare "$(prep "$be delete --force probe; $be run -d -b $work/sleep probe; $be kill probe KILL")" -n "$b-delete" "$be delete probe"
    )
    reversed=()
    for ((i = ${#timed[@]} - 5; i >= 0; i -= 5)); do reversed+=("${timed[@]:i:5}"); done
    for ((round = 0; round < rounds; round++)); do
      if ((round % 2 == 0)); then order=("${timed[@]}"); else order=("${reversed[@]}"); fi
      hyperfine --style basic --runs "$per_round" --warmup 1 -N \
        --export-json "$out/$b-$n-$round.json" "${order[@]}" >&2
    done
    # shellcheck disable=SC2086
    $nx delete --force probe >/dev/null 2>&1 || true
    # shellcheck disable=SC2086
    $be delete --force probe >/dev/null 2>&1 || true

    # Peak RSS: one run of each, in the same situations.
    # shellcheck disable=SC2086
    $nx delete --force peak >/dev/null 2>&1 || true
    rss_create=$(peak_rss "$nx --backend $b create --bundle $work/sleep peak")
    rss_state=$(peak_rss "$nx state c1")
    rss_list=$(peak_rss "$nx list")
    # shellcheck disable=SC2086
    $nx start peak >/dev/null 2>&1
    rss_kill=$(peak_rss "$nx kill peak KILL")
    sleep 0.2
    rss_delete=$(peak_rss "$nx delete peak")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$n" "$rss_create" "$rss_state" "$rss_list" "$rss_kill" "$rss_delete" >>"$out/rss.tsv"
  done
  log "$b: deleting the containers"
  for ((i = 1; i <= filled; i++)); do
    # shellcheck disable=SC2086
    $nx delete --force "c$i" >/dev/null 2>&1 || true
    # shellcheck disable=SC2086
    $be delete --force "c$i" >/dev/null 2>&1 || true
  done
  filled=0
done

ms() { awk "BEGIN { printf \"%.2f\", ($1) * 1000 }"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

{
  printf '%-5s %5s | %-44s | %-44s | %s\n' backend N "nexcage: create state list kill delete" \
    "the backend's own: create state list kill delete" "nexcage's peak RSS MB (the same five)"
  for b in $backends; do
    first=""
    for n in $scale; do
      f=("$out/$b-$n-"*.json)
      read -r _ _ r_create r_state r_list r_kill r_delete < <(grep -P "^$b\t$n\t" "$out/rss.tsv")
      printf '%-5s %5s | %8s %8s %8s %8s %8s | %8s %8s %8s %8s %8s | %s %s %s %s %s\n' "$b" "$n" \
        "$(ms "$(median create "${f[@]}")")" "$(ms "$(median state "${f[@]}")")" "$(ms "$(median list "${f[@]}")")" \
        "$(ms "$(median kill "${f[@]}")")" "$(ms "$(median delete "${f[@]}")")" \
        "$(ms "$(median "$b-create" "${f[@]}")")" "$(ms "$(median "$b-state" "${f[@]}")")" \
        "$(ms "$(median "$b-list" "${f[@]}")")" "$(ms "$(median "$b-kill" "${f[@]}")")" \
        "$(ms "$(median "$b-delete" "${f[@]}")")" \
        "$(mb "$r_create")" "$(mb "$r_state")" "$(mb "$r_list")" "$(mb "$r_kill")" "$(mb "$r_delete")"
      [[ -z $first ]] && first=$n
    done
    last=${scale##* }
    if [[ $last != "$first" ]]; then
      line="$b: at N = $last over N = $first:"
      over=""
      for cmd in create state kill delete; do
        r=$(ratio "$(median "$cmd" "$out/$b-$last-"*.json)" "$(median "$cmd" "$out/$b-$first-"*.json)")
        own=$(ratio "$(median "$b-$cmd" "$out/$b-$last-"*.json)" "$(median "$b-$cmd" "$out/$b-$first-"*.json)")
        line+=" $cmd x$r ($b's own x$own)"
        # What nexcage adds to the backend's command, at the first N and the last.
        over+=" $cmd $(ms "$(median "$cmd" "$out/$b-$first-"*.json) - $(median "$b-$cmd" "$out/$b-$first-"*.json)")"
        over+=" -> $(ms "$(median "$cmd" "$out/$b-$last-"*.json) - $(median "$b-$cmd" "$out/$b-$last-"*.json)")"
      done
      echo "$line (target <= 1.10 each)"
      echo "$b: nexcage's time over $b's own, ms, at N = $first -> N = $last:$over"
    fi
  done
} | tee "$out/summary.txt"
log "JSON: $out/*.json; RSS: $out/rss.tsv; summary: $out/summary.txt"
