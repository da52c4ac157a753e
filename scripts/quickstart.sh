#!/usr/bin/env bash
# From a fresh clone on Debian 12, as root: install the dependencies, build and install nexcage,
# prepare the host, then run a real busybox container through nexcage on the default backend.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/setup-test-host.sh

echo "== building nexcage" >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEXCAGE_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"
cmake --install build --prefix /usr/local >/dev/null
echo "installed /usr/local/bin/nexcage" >&2
/usr/local/bin/nexcage --version

bundle=$(mktemp -d /tmp/nexcage-quickstart.XXXXXX)
trap 'rm -rf "$bundle"' EXIT
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/sys" "$bundle/rootfs/dev" \
  "$bundle/rootfs/tmp" "$bundle/rootfs/etc"
cp /bin/busybox "$bundle/rootfs/bin/busybox"
for applet in sh echo hostname cat id ps; do ln -s busybox "$bundle/rootfs/bin/$applet"; done
/usr/local/bin/nexcage spec --bundle "$bundle"
# Replace the interactive default process with a one-shot greeting.
sed -i -e 's/"terminal": true/"terminal": false/' \
  -e 's|"sh"$|"sh", "-c", "echo hello from $(hostname), uid $(id -u), pid $$"|' "$bundle/config.json"

echo "== nexcage run --bundle $bundle quickstart" >&2
/usr/local/bin/nexcage run --bundle "$bundle" "quickstart-$$"
echo "== the container ran and was deleted; nexcage list:" >&2
/usr/local/bin/nexcage list
