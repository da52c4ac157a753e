#!/usr/bin/env bash
# Installs every Debian package nexcage needs to build, test and run (Debian 12, as root).
# Idempotent; safe to run again.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps.sh: run as root (apt-get needs it)" >&2
  exit 1
fi

build_deps=(build-essential cmake pkg-config nlohmann-json3-dev libcli11-dev libspdlog-dev
  libfmt-dev libseccomp-dev libcap-dev libgtest-dev)
runtime_deps=(runc crun busybox-static procps)
bench_deps=(hyperfine)

missing=()
for pkg in "${build_deps[@]}" "${runtime_deps[@]}" "${bench_deps[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps.sh: all packages present" >&2
  exit 0
fi
echo "install-deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
