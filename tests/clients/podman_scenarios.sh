# podman 4.3 (conmon) scenarios with nexcage as the OCI runtime.
# Expects: P/podman_status (lib/podman.sh), NEXCAGE, BACKEND, IMG_PODMAN. Routing to the pass's
# backend goes through the org.nexcage.backend annotation, as a user would do it.

PODMAN_RUN=(--network none)
route() { echo --annotation "org.nexcage.backend=$BACKEND"; }

podman_cleanup() { P rm -f -t 0 "$1" >/dev/null 2>&1 || true; }

# Podman calls nexcage without --root: the default root holds the record.
podman_expect_backend() {
  local full got
  full=$(P inspect -f '{{.Id}}' "$1") || fail "inspect $1 failed" || return 1
  got=$("$NEXCAGE" list --format json | jq -r --arg id "$full" '.[] | select(.id == $id) | .backend')
  expect_eq "backend recorded for $1" "$got" "$BACKEND"
}

podman_oneshot() {
  local out
  out=$(P run "${PODMAN_RUN[@]}" $(route) --rm "$IMG_PODMAN" sh -c 'echo hello; echo err >&2' </dev/null 2>&1) ||
    fail "podman run exited $?: $out" || return 1
  expect_contains "output" "$out" hello && expect_contains "output" "$out" err
}

podman_exitcode() {
  local rc=0
  P run "${PODMAN_RUN[@]}" $(route) --rm "$IMG_PODMAN" sh -c 'exit 7' </dev/null >/dev/null 2>&1 || rc=$?
  expect_eq "podman exit code" "$rc" 7
}

podman_stdin() {
  local out
  out=$(echo x | P run "${PODMAN_RUN[@]}" $(route) -i --rm "$IMG_PODMAN" sh -c 'read l; echo got:$l' 2>&1) ||
    fail "podman run -i exited $?: $out" || return 1
  expect_eq "output" "$out" "got:x"
}

# podman binds /etc/hostname, /etc/hosts and /run/.containerenv from its private (0700) storage;
# the container must see them (pct: from copies its root can reach, docs/backends/pct.md).
podman_etc_files() {
  local out
  out=$(P run "${PODMAN_RUN[@]}" $(route) --rm --hostname "files-$BACKEND" "$IMG_PODMAN" \
    sh -c 'cat /etc/hostname; echo; grep -c "files-" /etc/hosts; test -f /run/.containerenv && echo env-ok' \
    </dev/null 2>&1) || fail "podman run exited $?: $out" || return 1
  expect_eq "hostname, hosts entries, .containerenv" "$out" "files-$BACKEND"$'\n'1$'\n'env-ok
}

podman_detach_exec_stop() {
  local name=p-det-$BACKEND out
  trap 'podman_cleanup '"$name" EXIT
  P run -d "${PODMAN_RUN[@]}" $(route) --name "$name" "$IMG_PODMAN" sh -c "$TERMLOOP" </dev/null >/dev/null ||
    fail "podman run -d failed" || return 1
  podman_expect_backend "$name" || return 1
  out=$(P exec "$name" sh -c 'echo in-exec; ps' </dev/null 2>&1) || fail "exec exited $?: $out" || return 1
  expect_contains "exec output" "$out" in-exec || return 1
  out=$(echo y | P exec -i "$name" cat 2>&1) || fail "exec -i exited $?: $out" || return 1
  expect_eq "exec -i output" "$out" y || return 1
  P stop -t 10 "$name" >/dev/null || fail "podman stop failed" || return 1
  out=$(P ps -a --filter "name=$name" --format '{{.Status}}')
  expect_match "status after stop" "$out" '^Exited \(0\)' || return 1
  P logs "$name" | grep -q got-TERM || fail "the TERM trap did not run (logs: $(P logs "$name"))" || return 1
  P rm "$name" >/dev/null || fail "podman rm failed" || return 1
  out=$(P ps -a --filter "name=$name" --format '{{.Names}}')
  expect_eq "containers named $name after rm" "$out" ""
}

podman_stop_escalate() {
  local name=p-esc-$BACKEND out
  trap 'podman_cleanup '"$name" EXIT
  P run -d "${PODMAN_RUN[@]}" $(route) --name "$name" "$IMG_PODMAN" sleep 1000 </dev/null >/dev/null ||
    fail "podman run -d failed" || return 1
  P stop -t 1 "$name" >/dev/null 2>&1 || fail "podman stop failed" || return 1
  out=$(P ps -a --filter "name=$name" --format '{{.Status}}')
  expect_match "status after stop -t 1 of a TERM-ignoring init" "$out" '^Exited \(137\)'
}

podman_kill_signal() {
  local name=p-sig-$BACKEND out
  trap 'podman_cleanup '"$name" EXIT
  P run -d "${PODMAN_RUN[@]}" $(route) --name "$name" "$IMG_PODMAN" sh -c "$USR1LOOP" </dev/null >/dev/null ||
    fail "podman run -d failed" || return 1
  # The trap is installed once the loop's first sleep runs.
  wait_until 20 "sleep running in $name" podman_top_has "$name" "sleep 0.2" || return 1
  P kill -s USR1 "$name" >/dev/null || fail "podman kill -s USR1 failed" || return 1
  out=$(P wait "$name") || fail "podman wait failed" || return 1
  expect_eq "exit code from podman wait" "$out" 42 || return 1
  out=$(P logs "$name")
  expect_contains "logs" "$out" got-USR1
}

podman_rm_force() {
  local name=p-rmf-$BACKEND out full
  trap 'podman_cleanup '"$name" EXIT
  P run -d "${PODMAN_RUN[@]}" $(route) --name "$name" "$IMG_PODMAN" sleep 1000 </dev/null >/dev/null ||
    fail "podman run -d failed" || return 1
  full=$(P inspect -f '{{.Id}}' "$name")
  P rm -f -t 0 "$name" >/dev/null || fail "podman rm -f failed" || return 1
  out=$(P ps -a --filter "name=$name" --format '{{.Names}}')
  expect_eq "containers named $name" "$out" "" || return 1
  # nexcage's delete ends in the backend's own (docs/architecture.md, "Handed over"): the
  # container no longer exists for nexcage at once, and the first list drops its record.
  out=$("$NEXCAGE" state "$full" 2>&1) && fail "nexcage state after podman rm -f: $out" && return 1
  expect_contains "nexcage state after podman rm -f" "$out" "container does not exist" || return 1
  out=$("$NEXCAGE" list -q) || fail "nexcage list failed" || return 1
  [[ $out != *"$full"* ]] || fail "nexcage list shows the removed container" || return 1
  wait_until 10 "nexcage record of $name gone" test ! -e "/run/nexcage/$full"
}

podman_tty() {
  local out cmd
  cmd=$(printf '%q ' "${PODMAN_CMD[@]}" run "${PODMAN_RUN[@]}" $(route) -t --rm "$IMG_PODMAN" sh -c tty)
  out=$(tmo script -qec "$cmd" /dev/null </dev/null 2>&1) || fail "podman run -t exited $?: $out" || return 1
  expect_contains "output" "$out" /dev/pts/
}

podman_exec_tty() {
  local name=p-etty-$BACKEND out cmd
  trap 'podman_cleanup '"$name" EXIT
  P run -d "${PODMAN_RUN[@]}" $(route) --name "$name" "$IMG_PODMAN" sleep 1000 </dev/null >/dev/null ||
    fail "podman run -d failed" || return 1
  cmd=$(printf '%q ' "${PODMAN_CMD[@]}" exec -t "$name" sh -c tty)
  out=$(tmo script -qec "$cmd" /dev/null </dev/null 2>&1) || fail "exec -t exited $?: $out" || return 1
  expect_contains "output" "$out" /dev/pts/ || return 1
  P exec -d "$name" sleep 30 </dev/null >/dev/null || fail "exec -d failed" || return 1
  out=$(P top "$name" args)
  expect_contains "top after exec -d" "$out" "sleep 30"
}

podman_ps_top() {
  local name=p-top-$BACKEND out
  trap 'podman_cleanup '"$name" EXIT
  P run -d "${PODMAN_RUN[@]}" $(route) --name "$name" "$IMG_PODMAN" sleep 1000 </dev/null >/dev/null ||
    fail "podman run -d failed" || return 1
  out=$(P ps --filter "name=$name" --format '{{.Names}} {{.Status}}')
  expect_match "podman ps" "$out" "^$name Up" || return 1
  out=$(P top "$name")
  expect_contains "podman top" "$out" "sleep 1000" || return 1
  out=$(P top "$name" pid user args)
  expect_contains "podman top pid user args" "$out" "sleep 1000" || return 1
  # Only the container's processes, as its own pid namespace numbers them: none of the host's.
  out=$(P top "$name" pid args | tail -n +2 | head -n 3 | tr -s ' ')
  expect_match "podman top pid args (the container's processes only)" "$out" '^1 sleep 1000 ?$' || return 1
  out=$(P ps -a --sync --filter "name=$name" --format '{{.Names}} {{.Status}}')
  expect_match "podman ps --sync" "$out" "^$name Up"
}

podman_pause() {
  local name=p-pause-$BACKEND
  trap 'podman_cleanup '"$name" EXIT
  P run -d "${PODMAN_RUN[@]}" $(route) --name "$name" "$IMG_PODMAN" sleep 1000 </dev/null >/dev/null ||
    fail "podman run -d failed" || return 1
  P pause "$name" >/dev/null || fail "podman pause failed" || return 1
  expect_eq "status after pause" "$(podman_status "$name")" paused || return 1
  P unpause "$name" >/dev/null || fail "podman unpause failed" || return 1
  expect_eq "status after unpause" "$(podman_status "$name")" running
}

podman_create_start_restart() {
  local name=p-csr-$BACKEND out n
  trap 'podman_cleanup '"$name" EXIT
  P create "${PODMAN_RUN[@]}" $(route) --name "$name" "$IMG_PODMAN" \
    sh -c 'echo run-$(date +%s%N); sleep 1000' </dev/null >/dev/null || fail "podman create failed" || return 1
  P init "$name" >/dev/null || fail "podman init failed" || return 1
  expect_eq "status after init" "$(podman_status "$name")" initialized || return 1
  P start "$name" >/dev/null || fail "podman start failed" || return 1
  expect_eq "status after start" "$(podman_status "$name")" running || return 1
  wait_until 10 "first run- line" podman_logs_count_ge "$name" run- 1 || return 1
  P restart -t 1 "$name" >/dev/null || fail "podman restart failed" || return 1
  expect_eq "status after restart" "$(podman_status "$name")" running || return 1
  wait_until 10 "second run- line" podman_logs_count_ge "$name" run- 2
}

# podman update reaches nexcage as `update --resources=<file> <ID>`.
podman_update() {
  local name=p-upd-$BACKEND out pid rel limit
  trap 'podman_cleanup '"$name" EXIT
  P run -d "${PODMAN_RUN[@]}" $(route) --name "$name" "$IMG_PODMAN" sleep 1000 </dev/null >/dev/null ||
    fail "podman run -d failed" || return 1
  out=$(P update --memory 64m "$name" 2>&1) || fail "podman update failed: $out" || return 1
  pid=$(P inspect -f '{{.State.Pid}}' "$name")
  # The memory cgroup of the init, as the kernel reports it (v1 memory hierarchy or v2).
  rel=$(awk -F: '$2 == "memory" || $2 == "" { print $3; exit }' "/proc/$pid/cgroup")
  if [[ -f /sys/fs/cgroup/memory$rel/memory.limit_in_bytes ]]; then
    limit=$(cat "/sys/fs/cgroup/memory$rel/memory.limit_in_bytes")
  else
    limit=$(cat "/sys/fs/cgroup$rel/memory.max")
  fi
  expect_eq "memory limit of the container's cgroup" "$limit" 67108864
}

podman_info_version() {
  local out
  out=$(P info --format '{{.Host.OCIRuntime.Path}} {{.Host.OCIRuntime.Version}}' </dev/null 2>&1) ||
    fail "podman info failed: $out" || return 1
  expect_contains "podman info" "$out" "$NEXCAGE nexcage version "
}

# A config.json nexcage refuses: podman shows nexcage's own message.
podman_rejected_config() {
  local out rc=0
  out=$(P run "${PODMAN_RUN[@]}" --rm --annotation org.nexcage.backend=no-such-backend "$IMG_PODMAN" true </dev/null 2>&1) || rc=$?
  [[ $rc -ne 0 ]] || fail "podman run succeeded with an unknown backend" || return 1
  expect_contains "podman's error" "$out" "Error: OCI runtime error: $NEXCAGE: " || return 1
  expect_contains "podman's error" "$out" 'no-such-backend'
}

# What a conmon-driven runtime needs; the pct pass runs only these. Left to the runc and crun
# passes: -t and exec -t (the pct backend refuses --console-socket); update, which reads the
# cgroup of .State.Pid, nexcage-monitor for pct, not the container (docs/backends/pct.md);
# info_version and rejected_config (the pct pass's runtime is a wrapper, lib/pct.sh).
podman_core_scenarios() {
  scenario "podman/$BACKEND/oneshot" podman_oneshot
  scenario "podman/$BACKEND/exitcode" podman_exitcode
  scenario "podman/$BACKEND/stdin" podman_stdin
  scenario "podman/$BACKEND/etc_files" podman_etc_files
  scenario "podman/$BACKEND/detach_exec_stop" podman_detach_exec_stop
  scenario "podman/$BACKEND/stop_escalate" podman_stop_escalate
  scenario "podman/$BACKEND/kill_signal" podman_kill_signal
  scenario "podman/$BACKEND/rm_force" podman_rm_force
  scenario "podman/$BACKEND/ps_top" podman_ps_top
  scenario "podman/$BACKEND/pause" podman_pause
  scenario "podman/$BACKEND/create_start_restart" podman_create_start_restart
}

podman_scenarios() {
  podman_core_scenarios
  scenario "podman/$BACKEND/tty" podman_tty
  scenario "podman/$BACKEND/exec_tty" podman_exec_tty
  scenario "podman/$BACKEND/update" podman_update
  scenario "podman/$BACKEND/info_version" podman_info_version
  scenario "podman/$BACKEND/rejected_config" podman_rejected_config
}
