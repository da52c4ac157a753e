# Sourced by the bench scripts: messages, the nexcage binary measured, and medians of hyperfine's
# JSON exports. Needs `repo` (the checkout) set by the caller.

log() { echo "bench: $*" >&2; }
die() {
  log "$*"
  exit 1
}

# The nexcage binary named by ARG, or build/nexcage (configured and built first when missing).
# Prints its absolute path.
nexcage_binary() {
  local nexcage=${1:-}
  if [[ -z $nexcage ]]; then
    nexcage=$repo/build/nexcage
    if [[ ! -x $nexcage ]]; then
      log "building $nexcage"
      cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=Release >&2
      cmake --build "$repo/build" --target nexcage -j"$(nproc)" >&2
    fi
  fi
  [[ -x $nexcage ]] || die "$nexcage is not an executable"
  realpath "$nexcage"
}

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

# Dies naming the first of TOOLS... that is not installed.
need_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is missing; run scripts/install-deps.sh"
  done
}

# A over B with three decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
