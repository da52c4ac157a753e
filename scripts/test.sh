#!/usr/bin/env bash
# The whole test suite, from a fresh clone on Debian 12, as root:
#   dependencies, host setup, release build with unit + end-to-end tests (real runc and crun; the
#   unit label includes the layering check, scripts/check-layers.sh, and the format check,
#   scripts/check-format.sh),
#   the unit tests again under AddressSanitizer/UBSan/LeakSanitizer, a short run of each libFuzzer
#   target (tests/fuzz, same clang sanitizer build), the Proxmox stand-in's own
#   tests (tests/pve), containerd and podman driving the built nexcage (tests/clients), and the
#   Debian package built, installed, used and purged (scripts/test-package.sh).
# Closes with ctest's summary line per suite and an overall "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
scripts/install-deps.sh
scripts/setup-test-host.sh

echo "== release build" >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

# One clang build serves the ASan unit tests and the fuzzers (libFuzzer is clang's); clang 16, as
# clang 14 cannot compile the tree (scripts/install-deps.sh says why). See tests/fuzz/README.md.
echo "== sanitizer build (clang: unit tests and fuzzers)" >&2
cmake -S . -B build-asan -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=Debug -DNEXCAGE_SANITIZE=ON \
  -DNEXCAGE_FUZZ=ON -DNEXCAGE_E2E=OFF >/dev/null
cmake --build build-asan -j"$jobs" --target nexcage_unit_tests nexcage_fuzzers

passed=0
failed=0
run_suite() {
  local name=$1 dir=$2
  shift 2
  local log
  log=$(mktemp)
  echo "== $name" >&2
  if (cd "$dir" && ctest --output-on-failure "$@") 2>&1 | tee "$log"; then :; fi
  local line
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1 || true)
  if [[ -z $line ]]; then
    echo "$name: ctest printed no summary" >&2
    failed=$((failed + 1))
  else
    local total fails
    fails=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
    passed=$((passed + total - fails))
    failed=$((failed + fails))
  fi
  rm -f "$log"
}

# A leak or UB report makes the test fail: sanitizers abort on the first report.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_suite "unit tests (ASan+UBSan+LSan)" build-asan -L unit
# Each target for 30 s from a copy of its seed corpus, one per core; a crash, leak, UB report or
# hang fails it.
run_suite "fuzzers (libFuzzer under ASan+UBSan, 30 s each)" build-asan -L fuzz -j"$jobs"
unset ASAN_OPTIONS UBSAN_OPTIONS
run_suite "unit tests" build -L unit
run_suite "end-to-end tests (real runc and crun)" build -L e2e
run_suite "packaging tests (man pages, bash/zsh/fish completions)" build -L packaging

# A suite run by its own script, which closes with "N passed, N failed".
run_script_suite() {
  local name=$1
  shift
  local log line fails
  log=$(mktemp)
  echo "== $name" >&2
  "$@" 2>&1 | tee "$log" || true
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)
  if [[ -z $line ]]; then
    echo "$name: printed no summary" >&2
    failed=$((failed + 1))
  else
    passed=$((passed + ${line%% passed*}))
    fails=${line#*, }
    failed=$((failed + ${fails%% failed}))
  fi
  rm -f "$log"
}

run_script_suite "Proxmox stand-in tests (pct, pvesh over real LXC)" tests/pve/run-tests.sh
run_script_suite "client tests (containerd and podman through nexcage)" \
  tests/clients/run.sh --nexcage "$PWD/build/nexcage"
run_script_suite "Debian package (build, lintian, install, run, upgrade, purge)" scripts/test-package.sh

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
