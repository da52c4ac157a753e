#!/usr/bin/env bash
# Measures the admin form's create with runc from three sources of the same busybox image:
#   bundle - `create --image DIR` of a bundle directory (config.json + rootfs): no unpacking;
#   cached - `create --image HOST/REPO:TAG` of a registry image already in the image store: no
#            request (--pull missing), umoci unpacks the layer, nexcage writes config.json;
#   always - the same with --pull always: one manifest request to the registry first;
#   pull   - the same with an empty store: skopeo also fetches every blob (local registry).
# The registry is Debian's docker-registry on 127.0.0.1, so network cost is loopback only.
# Each sample is one create; the delete (and, for `pull`, emptying the store) is hyperfine's
# untimed --prepare. Prints medians in ms and their ratios to `bundle`; writes summary.txt and
# hyperfine's JSON.
#
# Needs root, hyperfine, runc, umoci, skopeo, docker-registry, busybox-static
# (scripts/install-deps.sh).
# Usage: bench/image-create.sh [path/to/nexcage] [runs]   (default build/nexcage, 20 runs)
#   Results go to $NEXCAGE_BENCH_OUT (default bench/results/image-<UTC time>/).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "run as root (containers)"
nexcage=${1:-$repo/build/nexcage}
runs=${2:-20}
[[ -x $nexcage ]] || die "$nexcage is not built (cmake --build build)"
[[ $runs =~ ^[0-9]+$ && $runs -ge 2 ]] || die "runs must be a number >= 2, got '$runs'"
for tool in hyperfine /usr/sbin/runc /usr/bin/umoci /usr/bin/skopeo /usr/bin/docker-registry /bin/busybox; do
  command -v "$tool" >/dev/null || die "$tool is missing; run scripts/install-deps.sh"
done
nexcage=$(realpath "$nexcage")

out=${NEXCAGE_BENCH_OUT:-$repo/bench/results/image-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(realpath "$out")
work=$(mktemp -d /tmp/nexcage-bench-image.XXXXXX)
registry_pid=
cleanup() {
  "$nexcage" --config "$work/config.json" delete --force bench-image >/dev/null 2>&1 || true
  [[ -n $registry_pid ]] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null
  umount "$work/state" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The state root on a tmpfs, as /run is on Proxmox hosts; the image store on the disk, as
# /var/lib is.
mkdir -p "$work/state"
mount -t tmpfs -o mode=0700 tmpfs "$work/state"

# The image: busybox-static with a shell, as a layout and as a bundle.
umoci init --layout "$work/layout" >&2
umoci new --image "$work/layout:bb" >&2
umoci unpack --image "$work/layout:bb" "$work/unpacked" >&2
mkdir -p "$work/unpacked/rootfs/bin"
cp /bin/busybox "$work/unpacked/rootfs/bin/busybox"
ln -s busybox "$work/unpacked/rootfs/bin/sh"
ln -s busybox "$work/unpacked/rootfs/bin/sleep"
umoci repack --image "$work/layout:bb" "$work/unpacked" >&2
umoci config --image "$work/layout:bb" --config.cmd /bin/sleep --config.cmd 300 >&2
mkdir -p "$work/bundle"
umoci unpack --image "$work/layout:bb" "$work/bundle" >&2

# A port nothing listens on.
for _ in $(seq 50); do
  port=$((20000 + RANDOM % 20000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
cat >"$work/registry.yml" <<YAML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$port, secret: bench-only}
YAML
/usr/bin/docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
skopeo copy -q --dest-tls-verify=false "oci:$work/layout:bb" "docker://127.0.0.1:$port/bench/bb:1" >&2
ref="127.0.0.1:$port/bench/bb:1"

cat >"$work/config.json" <<JSON
{"backends": {"runc": {"path": "/usr/sbin/runc"}}, "default_backend": "runc", "root": "$work/state",
 "images": {"store": "$work/images", "insecure_registries": ["127.0.0.1:$port"]}}
JSON
nx="$nexcage --config $work/config.json"
delete="$nx delete --force bench-image"
# Warm the store for `cached`, and check every form works before timing it.
for image in "$work/bundle" "$ref"; do
  $nx --backend runc create --image "$image" --name bench-image >/dev/null || die "create --image $image failed"
  $delete
done

hyperfine -N --runs "$runs" --export-json "$out/image-create.json" --prepare "$delete" \
  -n bundle "$nx --backend runc create --image $work/bundle --name bench-image" \
  -n cached "$nx --backend runc create --image $ref --name bench-image" \
  -n always "$nx --backend runc create --image $ref --name bench-image --pull always" >&2
# A first pull: the container deleted and the store emptied before each sample.
cat >"$work/empty-store" <<SH
#!/bin/sh
$delete && $nx image prune >/dev/null
SH
chmod +x "$work/empty-store"
hyperfine -N --runs "$runs" --export-json "$out/image-pull.json" --prepare "$work/empty-store" \
  -n pull "$nx --backend runc create --image $ref --name bench-image" >&2

median() {  # file, name -> median seconds
  awk -v name="$2" '
    $0 ~ "\"command\": \"" name "\"" { found = 1 }
    found && /"median":/ { gsub(/[",]/, ""); print $2; exit }' "$1"
}
bundle=$(median "$out/image-create.json" bundle)
cached=$(median "$out/image-create.json" cached)
always=$(median "$out/image-create.json" always)
pull=$(median "$out/image-pull.json" pull)
{
  printf 'create --image with runc, median of %s runs (ms)\n' "$runs"
  awk -v b="$bundle" -v c="$cached" -v a="$always" -v p="$pull" 'BEGIN {
    printf "  bundle directory        %8.1f\n", b * 1000
    printf "  registry, cached image  %8.1f   x%.2f of bundle\n", c * 1000, c / b
    printf "  cached, --pull always   %8.1f   x%.2f of bundle\n", a * 1000, a / b
    printf "  registry, first pull    %8.1f   x%.2f of bundle\n", p * 1000, p / b }'
} | tee "$out/summary.txt"
