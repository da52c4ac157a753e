#!/usr/bin/env bash
# Prepares the host for running containers with both runc and crun (as root). Idempotent.
#
# crun 1.8.1 refuses a "hybrid" host (cgroup v1 controllers plus a cgroup2 mount that still
# holds a controller): "cgroups in hybrid mode not supported". On such hosts the cgroup2 mount at
# /sys/fs/cgroup/unified keeps hugetlb; moving hugetlb to its own v1 hierarchy leaves cgroup2
# without controllers, which crun accepts. Pure v1 and pure v2 hosts need nothing.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-test-host.sh: run as root" >&2
  exit 1
fi

unified=/sys/fs/cgroup/unified
if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
  echo "setup-test-host.sh: pure cgroup v2 host, nothing to do" >&2
  exit 0
fi
if [[ ! -f $unified/cgroup.controllers ]]; then
  echo "setup-test-host.sh: cgroup v1 host without a cgroup2 mount, nothing to do" >&2
  exit 0
fi

for controller in $(cat "$unified/cgroup.controllers"); do
  if grep -qw "$controller" "$unified/cgroup.subtree_control"; then
    echo "-$controller" >"$unified/cgroup.subtree_control"
    echo "setup-test-host.sh: disabled $controller in $unified/cgroup.subtree_control" >&2
  fi
  target=/sys/fs/cgroup/$controller
  if mountpoint -q "$target"; then
    continue
  fi
  mkdir -p "$target"
  mount -t cgroup -o "$controller" cgroup "$target"
  echo "setup-test-host.sh: moved $controller from cgroup2 to a v1 hierarchy at $target" >&2
done

if [[ -n $(cat "$unified/cgroup.controllers") ]]; then
  echo "setup-test-host.sh: $unified still holds controllers: $(cat "$unified/cgroup.controllers")" >&2
  echo "setup-test-host.sh: crun will refuse this hybrid host" >&2
  exit 1
fi
echo "setup-test-host.sh: cgroup2 at $unified holds no controllers; crun can run" >&2
