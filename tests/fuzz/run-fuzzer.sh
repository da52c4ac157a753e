#!/usr/bin/env bash
# One short libFuzzer run, as the fuzz.* ctests run it (tests/fuzz/CMakeLists.txt):
#   run-fuzzer.sh FUZZER CORPUS SECONDS ARTIFACT_DIR [DICT]
# The seed corpus is copied to a temporary directory, so inputs the run finds never land in the
# source tree; a crash, leak, UB report (the build aborts on the first), timeout (10 s for one
# input) or out-of-memory leaves its input in ARTIFACT_DIR and fails the run.
set -euo pipefail

if [[ $# -lt 4 || $# -gt 5 ]]; then
  echo "usage: $0 FUZZER CORPUS SECONDS ARTIFACT_DIR [DICT]" >&2
  exit 2
fi
fuzzer=$1 corpus=$2 seconds=$3 artifacts=$4 dict=${5:-}
name=$(basename "$fuzzer")

work=$(mktemp -d "${TMPDIR:-/tmp}/${name}.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$corpus/." "$work/"
mkdir -p "$artifacts"

# Function names and lines in reports (llvm-16, scripts/install-deps.sh).
if [[ -z ${ASAN_SYMBOLIZER_PATH:-} && -x /usr/lib/llvm-16/bin/llvm-symbolizer ]]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-16/bin/llvm-symbolizer
fi
# Reports abort at the first finding; a leak counts (LeakSanitizer runs after every input).
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:halt_on_error=1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1

args=("-max_total_time=$seconds" -timeout=10 -rss_limit_mb=2048
  -print_final_stats=1 "-artifact_prefix=$artifacts/$name-")
[[ -n $dict ]] && args+=("-dict=$dict")
echo "$fuzzer ${args[*]} $corpus (copied to $work)"
set +e
"$fuzzer" "${args[@]}" "$work"
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
  echo "$name: failed (exit $rc); the input is in $artifacts (see tests/fuzz/README.md)" >&2
fi
exit "$rc"
