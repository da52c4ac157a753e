# Scenario bookkeeping and assertions for the client suite.
# A scenario is a shell function that returns non-zero (after saying why with `fail`) when the
# user-visible outcome differs from what runc gives. Every client command goes through `tmo`, so a
# hung client fails its scenario instead of the whole run.

PASSED=0
FAILED=0
FAILED_NAMES=()
CMD_TIMEOUT=${CMD_TIMEOUT:-60}

say() { echo "clients: $*" >&2; }

# fail MSG: record why the current scenario failed (shown under its FAIL line).
fail() {
  echo "    $*" >&2
  return 1
}

# tmo CMD...: the command with a deadline; SIGKILL 5 s after the TERM.
tmo() { timeout --kill-after=5 "$CMD_TIMEOUT" "$@"; }

# scenario NAME FN [ARGS...]: run FN in a subshell so `set -e` and cd do not leak between scenarios.
scenario() {
  local name=$1
  shift
  if [[ -n ${ONLY:-} && ! $name =~ $ONLY ]]; then
    return 0
  fi
  local start end rc
  start=$(date +%s%N)
  ( "$@" )
  rc=$?
  end=$(date +%s%N)
  local ms=$(((end - start) / 1000000))
  local took=$((ms / 1000)).$((ms % 1000 / 100))
  if [[ $rc -eq 0 ]]; then
    PASSED=$((PASSED + 1))
    echo "PASS $name (${took}s)"
  else
    FAILED=$((FAILED + 1))
    FAILED_NAMES+=("$name")
    echo "FAIL $name (${took}s, rc $rc)"
  fi
}

# expect_contains WHAT HAYSTACK NEEDLE
expect_contains() {
  if [[ $2 != *"$3"* ]]; then
    fail "$1: expected to contain [$3], got [$2]"
    return 1
  fi
}

# expect_not_contains WHAT HAYSTACK NEEDLE
expect_not_contains() {
  if [[ $2 == *"$3"* ]]; then
    fail "$1: expected not to contain [$3], got [$2]"
    return 1
  fi
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
  if [[ $2 != "$3" ]]; then
    fail "$1: expected [$3], got [$2]"
    return 1
  fi
}

# expect_match WHAT ACTUAL REGEX
expect_match() {
  if [[ ! $2 =~ $3 ]]; then
    fail "$1: expected to match /$3/, got [$2]"
    return 1
  fi
}

# wait_until SECONDS WHAT CMD...: poll CMD every 0.1 s until it succeeds.
wait_until() {
  local timeout_s=$1
  local deadline=$(($(date +%s) + timeout_s))
  local what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    if (($(date +%s) >= deadline)); then
      fail "timed out after ${timeout_s}s waiting for: $what"
      return 1
    fi
    sleep 0.1
  done
}

summary() {
  if ((FAILED > 0)); then
    echo "failed scenarios: ${FAILED_NAMES[*]}"
  fi
  echo "$PASSED passed, $FAILED failed"
}
