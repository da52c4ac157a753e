# A private containerd: its own root, state and socket under $T/containerd, stopped by pid.
# The shim inherits containerd's environment, so NEXCAGE_CONFIG set here decides where
# nexcage routes every container of this instance.

CTR_NS=clients

containerd_start() {
  local dir=$1 nexcage_config=$2
  mkdir -p "$dir"
  cat >"$dir/config.toml" <<TOML
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = ""
[debug]
  address = ""
  level = "info"
[metrics]
  address = ""
TOML
  # setsid: containerd and its shims get their own session, so a CI runner's signals to our
  # process group do not reach them before we stop them ourselves.
  NEXCAGE_CONFIG=$nexcage_config setsid containerd --config "$dir/config.toml" \
    >>"$dir/containerd.log" 2>&1 </dev/null &
  echo $! >"$dir/containerd.pid"
  CTR_ADDRESS=$dir/containerd.sock
  local i
  for i in $(seq 100); do
    if ctr --address "$CTR_ADDRESS" version >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  say "containerd did not answer on $CTR_ADDRESS; its log:"
  tail -20 "$dir/containerd.log" >&2
  return 1
}

containerd_stop() {
  local dir=$1 pid
  [[ -f $dir/containerd.pid ]] || return 0
  pid=$(cat "$dir/containerd.pid")
  # Only kill what is still containerd: a recycled pid must not take an innocent process down.
  if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == containerd ]]; then
    kill "$pid"
    local i
    for i in $(seq 50); do
      [[ -d /proc/$pid ]] || break
      sleep 0.1
    done
    [[ -d /proc/$pid ]] && kill -9 "$pid"
  fi
  rm -f "$dir/containerd.pid"
}

CTR() { tmo ctr --address "$CTR_ADDRESS" -n "$CTR_NS" "$@"; }

# ctr_status ID: the STATUS column of `ctr task ls` for ID (empty when there is no task).
ctr_status() {
  CTR task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }'
}

ctr_status_is() { [[ $(ctr_status "$1") == "$2" ]]; }
