# containerd 1.6 (ctr, runc v2 shim) scenarios with nexcage as the shim's runc binary.
# Expects: CTR/ctr_status (lib/containerd.sh), NEXCAGE, BACKEND, T, IMG; ids end in -$BACKEND.

TERMLOOP='trap "echo got-TERM; exit 0" TERM; while :; do sleep 0.2; done'
USR1LOOP='trap "echo got-USR1; exit 42" USR1; while :; do sleep 0.2; done'

# The runtime root the shim passes as --root for our namespace.
ctr_runtime_root() { echo "/run/containerd/runc/$CTR_NS"; }

R() { echo --runc-binary "$NEXCAGE"; }
ctr_task_count_ge() { (($(CTR task ps "$1" 2>/dev/null | tail -n +2 | wc -l) >= $2)); }

# ctr_cleanup ID: whatever the scenario left, gone (used from EXIT traps; never fails).
ctr_cleanup() {
  CTR task kill -s SIGKILL "$1" >/dev/null 2>&1 || true
  local i
  for i in $(seq 50); do
    [[ $(ctr_status "$1") == RUNNING || $(ctr_status "$1") == PAUSED ]] || break
    sleep 0.1
  done
  CTR task rm -f "$1" >/dev/null 2>&1 || true
  CTR container rm "$1" >/dev/null 2>&1 || true
}

# expect_backend ID: nexcage recorded the backend this pass routes to.
expect_backend() {
  local listing
  listing=$("$NEXCAGE" --root "$(ctr_runtime_root)" list --format json)
  local got
  got=$(jq -r --arg id "$1" '.[] | select(.id == $id) | .backend' <<<"$listing")
  expect_eq "backend recorded for $1" "$got" "$BACKEND"
}

ctr_oneshot() {
  local id=c-oneshot-$BACKEND out
  trap 'ctr_cleanup '"$id" EXIT
  out=$(CTR run --rm $(R) "$IMG" "$id" sh -c 'echo hello; echo err >&2' </dev/null 2>&1) ||
    fail "ctr run exited $?: $out" || return 1
  expect_contains "output" "$out" hello && expect_contains "output" "$out" err
}

ctr_exitcode() {
  local id=c-exit-$BACKEND rc=0
  trap 'ctr_cleanup '"$id" EXIT
  CTR run --rm $(R) "$IMG" "$id" sh -c 'exit 7' </dev/null >/dev/null 2>&1 || rc=$?
  expect_eq "ctr exit code" "$rc" 7
}

ctr_stdin() {
  local id=c-stdin-$BACKEND out
  trap 'ctr_cleanup '"$id" EXIT
  out=$(echo x | CTR run --rm $(R) "$IMG" "$id" sh -c 'read l; echo got:$l' 2>&1) ||
    fail "ctr run exited $?: $out" || return 1
  expect_eq "output" "$out" "got:x"
}

ctr_detach_exec_stop() {
  local id=c-det-$BACKEND out
  trap 'ctr_cleanup '"$id" EXIT
  CTR run -d $(R) "$IMG" "$id" sh -c "$TERMLOOP" </dev/null >/dev/null || fail "ctr run -d failed" || return 1
  wait_until 20 "$id RUNNING" ctr_status_is "$id" RUNNING || return 1
  expect_backend "$id" || return 1
  out=$(CTR task exec --exec-id e1 "$id" sh -c 'echo in-exec; ps' </dev/null 2>&1) ||
    fail "exec e1 exited $?: $out" || return 1
  expect_contains "exec e1 output" "$out" in-exec || return 1
  expect_contains "ps inside the container" "$out" "sleep 0.2" || return 1
  out=$(echo y | CTR task exec --exec-id e2 "$id" cat 2>&1) || fail "exec e2 exited $?: $out" || return 1
  expect_eq "exec e2 output (stdin piped to cat)" "$out" y || return 1
  CTR task kill "$id" || fail "task kill failed" || return 1
  wait_until 20 "$id STOPPED" ctr_status_is "$id" STOPPED || return 1
  CTR task rm "$id" >/dev/null || fail "task rm failed" || return 1
  CTR container rm "$id" || fail "container rm failed" || return 1
  # The shim's delete and delete --force leave no nexcage state behind.
  wait_until 10 "nexcage state of $id gone" test ! -e "$(ctr_runtime_root)/$id"
}

ctr_kill_signal() {
  local id=c-sig-$BACKEND out
  trap 'ctr_cleanup '"$id" EXIT
  CTR run -d $(R) "$IMG" "$id" sh -c "$USR1LOOP" </dev/null >/dev/null || fail "ctr run -d failed" || return 1
  # Two processes (sh and its sleep) mean the trap is installed.
  wait_until 20 "two processes in $id" ctr_task_count_ge "$id" 2 || return 1
  CTR task kill -s SIGUSR1 "$id" || fail "task kill -s SIGUSR1 failed" || return 1
  wait_until 20 "$id STOPPED" ctr_status_is "$id" STOPPED || return 1
  out=$(CTR task rm "$id" 2>&1) || fail "task rm failed: $out" || return 1
  expect_contains "task rm output" "$out" "exit code 42"
}

ctr_kill_all() {
  local id=c-kall-$BACKEND out
  trap 'ctr_cleanup '"$id" EXIT
  CTR run -d $(R) "$IMG" "$id" sleep 1000 </dev/null >/dev/null || fail "ctr run -d failed" || return 1
  wait_until 20 "$id RUNNING" ctr_status_is "$id" RUNNING || return 1
  CTR task exec -d --exec-id bg "$id" sleep 1000 </dev/null >/dev/null 2>&1 || fail "exec -d failed" || return 1
  out=$(CTR task ps "$id") || fail "task ps failed" || return 1
  local n
  n=$(tail -n +2 <<<"$out" | wc -l)
  expect_eq "processes listed by task ps" "$n" 2 || return 1
  CTR task kill -a -s SIGKILL "$id" || fail "task kill -a failed" || return 1
  wait_until 20 "$id STOPPED" ctr_status_is "$id" STOPPED || return 1
  # containerd sends kill --all 9 again to the stopped task: it must succeed.
  CTR task rm -f "$id" >/dev/null || fail "task rm -f failed" || return 1
  CTR container rm "$id" || fail "container rm failed"
}

ctr_tty() {
  local id=c-tty-$BACKEND out cmd
  trap 'ctr_cleanup '"$id" EXIT
  cmd=$(printf '%q ' ctr --address "$CTR_ADDRESS" -n "$CTR_NS" run -t --rm $(R) "$IMG" "$id" \
    sh -c '[ -t 0 ] && echo is-tty; tty')
  out=$(tmo script -qec "$cmd" /dev/null </dev/null 2>&1) || fail "ctr run -t exited $?: $out" || return 1
  expect_contains "output" "$out" is-tty && expect_contains "output" "$out" /dev/pts/
}

ctr_exec_tty() {
  local id=c-etty-$BACKEND out cmd
  trap 'ctr_cleanup '"$id" EXIT
  CTR run -d $(R) "$IMG" "$id" sleep 1000 </dev/null >/dev/null || fail "ctr run -d failed" || return 1
  wait_until 20 "$id RUNNING" ctr_status_is "$id" RUNNING || return 1
  cmd=$(printf '%q ' ctr --address "$CTR_ADDRESS" -n "$CTR_NS" task exec -t --exec-id et "$id" sh -c tty)
  out=$(tmo script -qec "$cmd" /dev/null </dev/null 2>&1) || fail "exec -t exited $?: $out" || return 1
  expect_contains "output" "$out" /dev/pts/
}

ctr_pause_ps_metrics() {
  local id=c-pause-$BACKEND out pid
  trap 'ctr_cleanup '"$id" EXIT
  CTR run -d $(R) "$IMG" "$id" sleep 1000 </dev/null >/dev/null || fail "ctr run -d failed" || return 1
  wait_until 20 "$id RUNNING" ctr_status_is "$id" RUNNING || return 1
  pid=$(CTR task ls | awk -v id="$id" '$1 == id { print $2 }')
  out=$(CTR task ps "$id") || fail "task ps failed" || return 1
  expect_contains "task ps" "$out" "$pid" || return 1
  out=$(CTR task metrics "$id" 2>&1) || fail "task metrics failed: $out" || return 1
  CTR task pause "$id" || fail "task pause failed" || return 1
  wait_until 10 "$id PAUSED" ctr_status_is "$id" PAUSED || return 1
  expect_eq "state.status after pause" \
    "$("$NEXCAGE" --root "$(ctr_runtime_root)" state "$id" | jq -r .status)" paused || return 1
  CTR task resume "$id" || fail "task resume failed" || return 1
  wait_until 10 "$id RUNNING" ctr_status_is "$id" RUNNING
}

ctr_rootfs_dir() {
  local id=c-rootfs-$BACKEND out
  trap 'ctr_cleanup '"$id" EXIT
  out=$(CTR run --rm $(R) --rootfs "$T/rootfs" "$id" /bin/sh -c 'echo hi' </dev/null 2>&1) ||
    fail "ctr run --rootfs exited $?: $out" || return 1
  expect_eq "output" "$out" hi
}

# A config.json nexcage refuses: ctr shows nexcage's own validation message.
ctr_rejected_config() {
  local id=c-reject-$BACKEND out rc=0
  trap 'ctr_cleanup '"$id" EXIT
  out=$(CTR run --rm $(R) --cap-add CAP_NOT_A_CAPABILITY "$IMG" "$id" true </dev/null 2>&1) || rc=$?
  [[ $rc -ne 0 ]] || fail "ctr run succeeded with an unknown capability" || return 1
  expect_contains "ctr's error" "$out" "OCI runtime create failed" || return 1
  expect_contains "ctr's error" "$out" 'unknown capability "CAP_NOT_A_CAPABILITY"' || return 1
  # The failed create left nothing behind in nexcage or the backend.
  [[ ! -e $(ctr_runtime_root)/$id ]] || fail "nexcage state left for $id"
}

# What a shim needs of any runtime; the pct pass runs only these (Proxmox's supervisor runs the
# init; nexcage-monitor is the pid the shim reaps). tty, pause/metrics (cgroup v1 stats of LXC's
# layout) and --rootfs are left to the runc and crun passes.
ctr_core_scenarios() {
  scenario "ctr/$BACKEND/oneshot" ctr_oneshot
  scenario "ctr/$BACKEND/exitcode" ctr_exitcode
  scenario "ctr/$BACKEND/stdin" ctr_stdin
  scenario "ctr/$BACKEND/detach_exec_stop" ctr_detach_exec_stop
  scenario "ctr/$BACKEND/kill_signal" ctr_kill_signal
  scenario "ctr/$BACKEND/kill_all" ctr_kill_all
}

ctr_scenarios() {
  ctr_core_scenarios
  scenario "ctr/$BACKEND/tty" ctr_tty
  scenario "ctr/$BACKEND/exec_tty" ctr_exec_tty
  scenario "ctr/$BACKEND/pause_ps_metrics" ctr_pause_ps_metrics
  scenario "ctr/$BACKEND/rootfs_dir" ctr_rootfs_dir
  scenario "ctr/$BACKEND/rejected_config" ctr_rejected_config
}
