# Rootless podman: an unprivileged test user runs podman with nexcage as its OCI runtime, as a
# user of a desktop or CI machine would. Debian 12 needs: the user with subordinate ids
# (useradd allocates them), uidmap, a runtime directory, vfs storage and no network.
# Expects: T, CMD_TIMEOUT (lib/assert.sh). Sets ROOTLESS_USER, ROOTLESS_XDG, ROOTLESS_NEXCAGE.

ROOTLESS_USER=nexcage-rl

# rootless_setup NEXCAGE: the user, its podman configuration and the busybox image.
rootless_setup() {
  local nexcage=$1 home uid
  command -v newuidmap >/dev/null || { fail "newuidmap is missing: run scripts/install-deps.sh (uidmap)"; return 1; }
  rootless_teardown || return 1
  useradd -m -s /bin/sh "$ROOTLESS_USER" || { fail "useradd $ROOTLESS_USER failed"; return 1; }
  touch /etc/subuid /etc/subgid
  grep -q "^$ROOTLESS_USER:" /etc/subuid || usermod --add-subuids 300000-365535 "$ROOTLESS_USER" ||
    { fail "no subordinate uids for $ROOTLESS_USER"; return 1; }
  grep -q "^$ROOTLESS_USER:" /etc/subgid || usermod --add-subgids 300000-365535 "$ROOTLESS_USER" ||
    { fail "no subordinate gids for $ROOTLESS_USER"; return 1; }
  uid=$(id -u "$ROOTLESS_USER")
  home=$(getent passwd "$ROOTLESS_USER" | cut -d: -f6)
  # No logind here: the runtime directory a login session would have.
  ROOTLESS_XDG=/run/user/$uid
  rm -rf "$ROOTLESS_XDG"  # a runtime directory of an earlier uid holder is not this user's
  install -d -m 0700 -o "$ROOTLESS_USER" -g "$ROOTLESS_USER" "$ROOTLESS_XDG"
  # The binary where the user can reach it ($T is private to root).
  chmod 0711 "$T"
  install -d -m 0755 "$T/rootless"
  install -m 0755 "$nexcage" "$T/rootless/nexcage"
  ROOTLESS_NEXCAGE=$T/rootless/nexcage
  install -d -m 0755 -o "$ROOTLESS_USER" -g "$ROOTLESS_USER" "$home/.config" "$home/.config/containers"
  printf '[storage]\ndriver = "vfs"\n' >"$home/.config/containers/storage.conf"
  cat >"$home/.config/containers/containers.conf" <<TOML
[containers]
netns = "none"
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "nexcage"
runtime_supports_json = ["crun", "runc", "nexcage"]

[engine.runtimes]
nexcage = ["$ROOTLESS_NEXCAGE"]
TOML
  chown "$ROOTLESS_USER:" "$home/.config/containers/"*.conf
  install -m 0644 "$T/rootfs.tar" "$T/rootless/rootfs.tar"
  PU import -q --change 'CMD ["/bin/sh"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$T/rootless/rootfs.tar" localhost/bb:latest >/dev/null || { fail "rootless podman import failed"; return 1; }
}

# as_user CMD...: CMD as the test user, with the environment a login session gives it.
as_user() {
  local home
  home=$(getent passwd "$ROOTLESS_USER" | cut -d: -f6)
  (cd / && tmo runuser -u "$ROOTLESS_USER" -- env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    HOME="$home" USER="$ROOTLESS_USER" LOGNAME="$ROOTLESS_USER" XDG_RUNTIME_DIR="$ROOTLESS_XDG" "$@")
}

# PU ARGS...: the test user's podman.
PU() { as_user podman "$@"; }

# rootless_teardown: the user, its processes (podman's pause process; the busybox containers run
# as the user's own uid, root inside), home and runtime directory. Fails when the user stays.
rootless_teardown() {
  id -u "$ROOTLESS_USER" >/dev/null 2>&1 || return 0
  local uid i
  uid=$(id -u "$ROOTLESS_USER")
  ROOTLESS_XDG=/run/user/$uid
  as_user podman rm -af -t 0 >/dev/null 2>&1
  for i in 1 2 3 4 5; do
    pkill -9 -U "$uid" 2>/dev/null || break
    sleep 0.2
  done
  userdel -f -r "$ROOTLESS_USER" >/dev/null 2>&1
  sed -i "/^$ROOTLESS_USER:/d" /etc/subuid /etc/subgid
  rm -rf "/run/user/$uid"
  if id -u "$ROOTLESS_USER" >/dev/null 2>&1; then
    fail "could not remove the test user $ROOTLESS_USER"
    return 1
  fi
}
