# podman with a private configuration under $T/podman (storage, networks, events, locks).

podman_setup() {
  local dir=$1 nexcage=$2
  mkdir -p "$dir"/{root,runroot,tmp,networks,volumes}
  # No CAP_SYS_RESOURCE here: rlimits podman would raise above the hard limits fail in any
  # runtime, so pin them at the hard limits (see clients-offline.md §6.1).
  local nofile nproc
  nofile=$(ulimit -Hn)
  [[ $nofile == unlimited ]] && nofile=1048576
  nproc=$(ulimit -Hu)
  [[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
  cat >"$dir/containers.conf" <<TOML
[containers]
netns = "none"
log_driver = "k8s-file"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[network]
network_backend = "netavark"
network_config_dir = "$dir/networks"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
tmp_dir = "$dir/tmp"
volume_path = "$dir/volumes"
lock_type = "file"
runtime = "nexcage"
conmon_path = ["/usr/bin/conmon"]
runtime_supports_json = ["crun", "runc", "nexcage"]
runtime_supports_nocgroups = ["crun", "krun"]

[engine.runtimes]
nexcage = ["$nexcage"]
TOML
  cat >"$dir/storage.conf" <<TOML
[storage]
driver = "overlay"
runroot = "$dir/runroot"
graphroot = "$dir/root"
TOML
  printf 'unqualified-search-registries = []\nshort-name-mode = "disabled"\n' >"$dir/registries.conf"
  # As an array so tty scenarios can hand the same command line to script(1).
  PODMAN_CMD=(env "CONTAINERS_CONF=$dir/containers.conf" "CONTAINERS_STORAGE_CONF=$dir/storage.conf"
    "CONTAINERS_REGISTRIES_CONF=$dir/registries.conf"
    podman --root "$dir/root" --runroot "$dir/runroot" --tmpdir "$dir/tmp"
    --cgroup-manager cgroupfs --events-backend file --runtime "$nexcage")
}

# P ARGS...: podman with the private configuration and nexcage as the runtime.
P() { tmo "${PODMAN_CMD[@]}" "$@"; }

podman_status() { P inspect -f '{{.State.Status}}' "$1" 2>/dev/null; }
podman_status_is() { [[ $(podman_status "$1") == "$2" ]]; }
podman_top_has() { P top "$1" args 2>/dev/null | grep -qF -- "$2"; }
podman_logs_count_ge() { (($(P logs "$1" 2>/dev/null | grep -cF -- "$2") >= $3)); }
