# Rootless podman through nexcage, routed to runc and to crun (the org.nexcage.backend annotation).
# nexcage keeps the user's containers in $XDG_RUNTIME_DIR/nexcage, as runc keeps its own in
# $XDG_RUNTIME_DIR/runc. Expects: PU, as_user (lib/rootless.sh), BACKEND.

rootless_route() { echo --annotation "org.nexcage.backend=$BACKEND"; }
rootless_cleanup() { PU rm -f -t 0 "$1" >/dev/null 2>&1 || true; }
TERM_LOOP='trap "echo got-TERM; exit 0" TERM; while :; do sleep 0.2; done'

rootless_oneshot() {
  local out
  out=$(PU run $(rootless_route) --rm localhost/bb sh -c 'echo hello; id -u' </dev/null 2>&1) ||
    fail "podman run exited $?: $out" || return 1
  expect_contains "output" "$out" hello && expect_contains "uid inside" "$out" $'\n0'
}

# run -d, exec (with and without stdin), stop (TERM, exit 0), logs, rm; nexcage's record is in
# the user's runtime directory and names the pass's backend.
rootless_detach_exec_stop_rm() {
  local c=rl-$BACKEND full out
  trap 'rootless_cleanup '"$c" EXIT
  PU run -d $(rootless_route) --name "$c" localhost/bb sh -c "$TERM_LOOP" >/dev/null ||
    fail "podman run -d failed" || return 1
  full=$(PU inspect -f '{{.Id}}' "$c") || fail "inspect failed" || return 1
  out=$(as_user "$ROOTLESS_NEXCAGE" state "$full" 2>&1) || fail "nexcage state as the user: $out" || return 1
  expect_eq "backend recorded" "$(jq -r '.annotations["org.nexcage.backend"] // empty' <<<"$out")" "$BACKEND" || return 1
  [[ -f $ROOTLESS_XDG/nexcage/$full/state.json ]] || fail "no record under $ROOTLESS_XDG/nexcage" || return 1
  expect_eq "exec" "$(PU exec "$c" echo in-exec 2>&1)" in-exec || return 1
  expect_eq "exec -i" "$(echo y | PU exec -i "$c" cat 2>&1)" y || return 1
  PU stop -t 10 "$c" >/dev/null || fail "podman stop failed" || return 1
  expect_eq "status after stop" "$(PU inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$c")" "exited 0" || return 1
  expect_eq "logs" "$(PU logs "$c")" got-TERM || return 1
  PU rm "$c" >/dev/null || fail "podman rm failed" || return 1
  # The backend's delete replaced nexcage's: the container is gone for nexcage at once, and its
  # record goes with the first list (docs/architecture.md, "Handed over").
  out=$(as_user "$ROOTLESS_NEXCAGE" state "$full" 2>&1) && fail "nexcage state after podman rm: $out" && return 1
  expect_contains "nexcage state after podman rm" "$out" "container does not exist" || return 1
  out=$(as_user "$ROOTLESS_NEXCAGE" list -q 2>&1) || fail "nexcage list as the user: $out" || return 1
  [[ $out != *"$full"* ]] || fail "nexcage list shows the removed container" || return 1
  [[ ! -e $ROOTLESS_XDG/nexcage/$full ]] || fail "the record outlived podman rm and a list" || return 1
}

# The user may not reach root's containers or the pct backend; both say so.
rootless_refusals() {
  local out
  if out=$(as_user "$ROOTLESS_NEXCAGE" --root /run/nexcage list 2>&1); then
    fail "listing root's state root worked: $out"
    return 1
  fi
  if out=$(as_user env -u XDG_RUNTIME_DIR "$ROOTLESS_NEXCAGE" list 2>&1); then
    fail "a user without XDG_RUNTIME_DIR got a state root: $out"
    return 1
  fi
  expect_contains "no XDG_RUNTIME_DIR" "$out" "pass --root DIR"
}

rootless_scenarios() {
  scenario "rootless/$BACKEND/run --rm" rootless_oneshot
  scenario "rootless/$BACKEND/run -d, exec, stop, rm" rootless_detach_exec_stop_rm
}
