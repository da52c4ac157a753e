#!/usr/bin/env bash
# Prepares the host for running containers with both runc and crun (as root). Idempotent: a host
# already prepared, a pure cgroup v2 host and a pure cgroup v1 host are left as they are.
#
# crun 1.8.1 refuses a "hybrid" host, cgroup v1 controllers plus a cgroup2 mount that still holds
# a controller: "cgroups in hybrid mode not supported". On such hosts the cgroup2 mount at
# /sys/fs/cgroup/unified typically keeps hugetlb. The fix: stop delegating the controller in
# cgroup2 (cgroup.subtree_control), then bind it to a v1 hierarchy of its own at
# /sys/fs/cgroup/<controller>, which leaves cgroup2 without controllers; runc is content with
# that too. Not persistent: run again after a reboot.
set -euo pipefail

say() { echo "setup-test-host.sh: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  say "run as root"
  exit 1
fi

# LXC, subordinate ids and the rest the Proxmox stand-in (tests/pve) needs to run containers.
"$(dirname "$0")/../tests/pve/setup-host.sh"

cgroot=/sys/fs/cgroup
unified=$cgroot/unified
if [[ $(stat -f -c %T "$cgroot" 2>/dev/null) == cgroup2fs ]]; then
  say "pure cgroup v2 host ($cgroot is cgroup2): nothing to do"
  exit 0
fi
if [[ $(stat -f -c %T "$unified" 2>/dev/null) != cgroup2fs ]]; then
  say "cgroup v1 host without a cgroup2 mount at $unified: nothing to do"
  exit 0
fi

read -r -a controllers <"$unified/cgroup.controllers" || true
if [[ ${#controllers[@]} -eq 0 ]]; then
  say "hybrid host, but cgroup2 at $unified holds no controllers: nothing to do (crun can run)"
  exit 0
fi
say "hybrid host: cgroup2 at $unified holds ${controllers[*]}"

for controller in "${controllers[@]}"; do
  # A controller enabled for children cannot leave cgroup2; disable it deepest first, since a
  # parent cannot drop what a child still delegates.
  while IFS= read -r control; do
    if grep -qw -- "$controller" "$control"; then
      echo "-$controller" >"$control"
      say "disabled $controller in $control"
    fi
  done < <(find "$unified" -name cgroup.subtree_control 2>/dev/null | awk -F/ '{ print NF "\t" $0 }' |
    sort -rn | cut -f2-)

  target=$cgroot/$controller
  if mountpoint -q "$target"; then
    say "$target is already a mount point; leaving it"
    continue
  fi
  mkdir -p "$target"
  if mount -t cgroup -o "$controller" cgroup "$target"; then
    say "mounted $controller as a cgroup v1 hierarchy at $target"
  else
    say "could not mount $controller as cgroup v1 at $target"
  fi
done

read -r -a left <"$unified/cgroup.controllers" || true
if [[ ${#left[@]} -ne 0 ]]; then
  say "cgroup2 at $unified still holds: ${left[*]}; crun will refuse this host"
  exit 1
fi
say "done: cgroup2 at $unified holds no controllers; crun can run"
