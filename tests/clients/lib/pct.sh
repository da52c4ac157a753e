# The Proxmox stand-in (tests/pve/) for the clients' pct pass: a stand-in root under $T, and a
# nexcage config that routes everything to pct through it. The stand-in runs the containers
# with Debian's LXC and rejects what real pct rejects.

# pct_setup DIR CONFIG: makes the stand-in root DIR and writes the nexcage config CONFIG.
pct_setup() {
  local dir=$1 config=$2 here build
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  build=$(dirname "$NEXCAGE")
  # The container's root (uid 100000) walks down to its rootfs, nexcage-init and the stdio socket.
  chmod 0755 "$T"
  "$here/pve/bin/pve-standin-init" "$dir" >/dev/null || return 1
  install -m 0755 "$build/nexcage-init" "$build/nexcage-monitor" "$T/" || return 1
  # containerd's bundles have no user namespace (Proxmox makes the container unprivileged
  # anyway) and set noNewPrivileges, which Proxmox cannot (docs/backends/pct.md, rule 2);
  # podman's carry its seccomp profile, which nexcage does not convert yet (Proxmox's default
  # filter applies instead, also rule 2).
  jq -n --arg d "$dir" --arg t "$T" '{
    default_backend: "pct",
    backends: {pct: {
      path: ($d + "/bin/pct"), pvesh: ($d + "/bin/pvesh"), lxc_info: ($d + "/bin/lxc-info"),
      lxc_attach: ($d + "/bin/lxc-attach"), lxc_freeze: ($d + "/bin/lxc-freeze"),
      lxc_unfreeze: ($d + "/bin/lxc-unfreeze"), init: ($t + "/nexcage-init"),
      monitor: ($t + "/nexcage-monitor"), config_dir: ($d + "/etc/pve/lxc"),
      lock_dir: ($d + "/run/lock/lxc"), dpkg_query: ($d + "/bin/dpkg-query"), template_dir: ($d + "/var/lib/vz/template/cache"),
      host_dir: ($t + "/pct-host"),
      always_unprivileged: true, allow_weaker_isolation: ["no_new_privileges", "seccomp"],
      network: {enabled: false}}}}' >"$config"
}

# pct_teardown DIR: stops whatever the stand-in still runs and removes its root.
pct_teardown() {
  local dir=$1 here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  [[ -e $dir/.pve-standin ]] && "$here/pve/bin/pve-standin-cleanup" "$dir" >/dev/null 2>&1
  true
}

# pct_podman_runtime CONFIG: prints the path of an executable named nexcage that runs $NEXCAGE
# with NEXCAGE_CONFIG=CONFIG. podman runs kill, delete and state with an environment of its own
# (XDG_RUNTIME_DIR only), so an exported NEXCAGE_CONFIG never reaches them; on a Proxmox host
# /etc/nexcage/config.json plays this part (docs/integration.md). Named nexcage so that
# runtime_supports_json (by basename) still lists it.
pct_podman_runtime() {
  local config=$1 dir=$T/pct-podman-runtime
  mkdir -p "$dir" || return 1
  printf '#!/bin/sh\nNEXCAGE_CONFIG=%q\nexport NEXCAGE_CONFIG\nexec %q "$@"\n' "$config" "$NEXCAGE" \
    >"$dir/nexcage" && chmod 0755 "$dir/nexcage" && echo "$dir/nexcage"
}

# pct_no_bind_file_copies: delete removed the copies of podman's files (docs/backends/pct.md,
# "File binds from private directories").
pct_no_bind_file_copies() {
  local left
  left=$(find "$T/pct-host/files" -mindepth 1 2>/dev/null)
  [[ -z $left ]] || fail "copies left behind:"$'\n'"$left"
}
