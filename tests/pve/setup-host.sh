#!/usr/bin/env bash
# Prepares this host for the pve stand-in (tests/pve): Debian's LXC, busybox-static for test
# root filesystems, and the subordinate ids an unprivileged CT maps its root to. Idempotent.
#
# Why each step:
# - lxc, uidmap: the stand-in runs containers with lxc-start/lxc-attach; as root, LXC writes
#   the id map of an unprivileged CT through newuidmap/newgidmap when they are installed.
# - /etc/subuid and /etc/subgid `root:100000:65536`: Proxmox hosts ship this line; without it
#   newuidmap refuses `u 0 100000 65536` and an unprivileged CT fails to start
#   ("newuidmap: uid range [0-65536) -> [100000-165536) not allowed").
# - busybox-static: the stand-in's own tests build their rootfs from /bin/busybox.
# Nothing is needed for cgroups: LXC 5 runs on this hybrid host as it is (limits for
# controllers mounted as v1 are written as lxc.cgroup.* by the stand-in).
set -euo pipefail

say() { echo "tests/pve/setup-host.sh: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  say "run as root"
  exit 1
fi

missing=()
for package in lxc uidmap busybox-static tar zstd xz-utils; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -ne 0 ]]; then
  say "installing ${missing[*]}"
  apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
fi

for file in /etc/subuid /etc/subgid; do
  touch "$file"
  if ! grep -qx 'root:100000:65536' "$file"; then
    # keep an unterminated last line from swallowing ours
    if [[ -s $file && -n $(tail -c1 "$file") ]]; then echo >>"$file"; fi
    echo 'root:100000:65536' >>"$file"
    say "added root:100000:65536 to $file"
  fi
done

for tool in /usr/bin/lxc-start /usr/bin/lxc-attach /usr/bin/newuidmap /bin/busybox; do
  if [[ ! -x $tool ]]; then
    say "$tool is still missing"
    exit 1
  fi
done
say "done: LXC, busybox-static and subordinate ids for root are in place"
