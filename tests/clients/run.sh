#!/usr/bin/env bash
# containerd (ctr) and podman driving nexcage exactly as they drive runc, once with nexcage
# routing to runc and once to crun. Everything lives under a temp dir: a busybox image built
# offline, a private containerd (stopped by pid at the end) and a private podman store.
#
#   tests/clients/run.sh --nexcage /abs/path/nexcage [--backends "runc crun"] [--only REGEX] [--keep]
#
# Needs root, containerd, podman, umoci, jq, script(1) (scripts/install-deps.sh) and, for crun on a
# hybrid cgroup host and for pct (the Proxmox stand-in, tests/pve), scripts/setup-test-host.sh.
# The pct pass needs nexcage-init and nexcage-monitor next to the nexcage binary (the build dir). Prints PASS/FAIL per scenario and closes with
# "N passed, N failed"; exits 1 when anything failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
for lib in assert image containerd podman leftovers pct rootless; do source "$here/lib/$lib.sh"; done
# shellcheck source=/dev/null
source "$here/ctr_scenarios.sh"
# shellcheck source=/dev/null
source "$here/podman_scenarios.sh"
# shellcheck source=/dev/null
source "$here/rootless_scenarios.sh"

NEXCAGE=
BACKENDS="runc crun pct rootless"
ONLY=
KEEP=0
while (($#)); do
  case $1 in
  --nexcage) NEXCAGE=$2; shift 2 ;;
  --backends) BACKENDS=$2; shift 2 ;;
  --only) ONLY=$2; shift 2 ;;
  --keep) KEEP=1; shift ;;
  *) say "unknown argument $1 (see the header of $0)"; exit 2 ;;
  esac
done
if [[ $NEXCAGE != /* || ! -x $NEXCAGE ]]; then
  say "--nexcage must name the nexcage binary by absolute path (got '${NEXCAGE}')"
  exit 2
fi
[[ $(id -u) -eq 0 ]] || { say "run as root"; exit 2; }
for tool in containerd ctr podman conmon umoci jq script; do
  command -v "$tool" >/dev/null || { say "$tool is missing: run scripts/install-deps.sh"; exit 2; }
done

T=$(mktemp -d /tmp/nexcage-clients.XXXXXX)
IMG=localhost/bb:latest
IMG_PODMAN=localhost/bb:latest
suite_start=$(date +%s)

teardown() {
  if [[ -n ${PODMAN_CMD:-} ]]; then
    P rm -af -t 0 >/dev/null 2>&1
    P rmi -af >/dev/null 2>&1
  fi
  containerd_stop "$T/containerd-runc" 2>/dev/null
  containerd_stop "$T/containerd-crun" 2>/dev/null
  containerd_stop "$T/containerd-pct" 2>/dev/null
  pct_teardown "$T/pve"
  rootless_teardown
  # podman's overlay mounts live under $T; anything still mounted there is ours.
  local m
  while read -r m; do umount -l "$m" 2>/dev/null; done < <(awk -v t="$T" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r)
  remove_empty_cgroups
  if ((KEEP)); then say "kept $T"; else rm -rf "$T"; fi
}
trap teardown EXIT

say "building the busybox image under $T"
build_images "$T" >/dev/null || { say "building the image failed"; exit 1; }
podman_setup "$T/podman" "$NEXCAGE"
P import -q --change 'CMD ["/bin/sh"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  "$T/rootfs.tar" "$IMG_PODMAN" >/dev/null || { say "podman import failed"; exit 1; }

for BACKEND in $BACKENDS; do
  if [[ $BACKEND == rootless ]]; then
    say "== rootless podman (user $ROOTLESS_USER), routed to runc and crun"
    if rootless_setup "$NEXCAGE"; then
      for BACKEND in runc crun; do rootless_scenarios; done
      scenario "rootless/refusals" rootless_refusals
    else
      scenario "rootless/setup" false
    fi
    rootless_teardown
    continue
  fi
  say "== routed to $BACKEND"
  # One containerd per pass: its environment names the nexcage config that routes to $BACKEND.
  if [[ $BACKEND == pct ]]; then
    pct_setup "$T/pve" "$T/nexcage-$BACKEND.json" || { scenario "pct/setup" false; continue; }
  else
    printf '{"default_backend": "%s"}\n' "$BACKEND" >"$T/nexcage-$BACKEND.json"
  fi
  if containerd_start "$T/containerd-$BACKEND" "$T/nexcage-$BACKEND.json" &&
    CTR images import --base-name localhost/bb "$T/bb-oci.tar" >/dev/null; then
    if [[ $BACKEND == pct ]]; then ctr_core_scenarios; else ctr_scenarios; fi
  else
    scenario "ctr/$BACKEND/setup" false
  fi
  containerd_stop "$T/containerd-$BACKEND"
  if [[ $BACKEND == pct ]]; then
    # podman reaches the stand-in only through a runtime that carries the pct config itself.
    if pct_runtime=$(pct_podman_runtime "$T/nexcage-$BACKEND.json"); then
      podman_setup "$T/podman" "$pct_runtime"
      podman_core_scenarios
      scenario "podman/$BACKEND/no bind file copies left" pct_no_bind_file_copies
    else
      scenario "podman/$BACKEND/setup" false
    fi
    podman_setup "$T/podman" "$NEXCAGE"
  else
    podman_scenarios
  fi
done

# Every scenario removed its own containers; what podman still lists was leaked.
scenario "after the suite: podman lists no containers" \
  bash -c '[[ -z $('"$(printf '%q ' "${PODMAN_CMD[@]}")"' ps -aq) ]]'
# Asynchronous cleanups (shim delete --force, podman container cleanup) arrive up to a second late.
sleep 2
scenario "after the suite: no nexcage state, backend state, cgroups or processes" no_leftovers

say "wall time $(($(date +%s) - suite_start)) s"
summary
((FAILED == 0))
