#!/usr/bin/env bash
# Installs every Debian package nexcage needs to build, test and benchmark (Debian 12, as root).
# Idempotent and non-interactive: packages already installed are left alone, and when everything
# is present nothing is downloaded. Reports what it does on stderr.
set -euo pipefail

say() { echo "install-deps.sh: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  say "run as root (apt-get needs it)"
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  say "apt-get not found: this script is for Debian 12 (bookworm)"
  exit 1
fi
if [[ -r /etc/os-release ]]; then
  # shellcheck disable=SC1091
  . /etc/os-release
  [[ ${ID:-} == debian && ${VERSION_ID:-} == 12 ]] ||
    say "warning: written for Debian 12, this is ${PRETTY_NAME:-unknown}; trying anyway"
fi

build_deps=(build-essential cmake pkg-config nlohmann-json3-dev libcli11-dev libspdlog-dev
  libfmt-dev libseccomp-dev libcap-dev libgtest-dev nettle-dev libre2-dev)
# procps: `ps` for `nexcage ps`; hyperfine: bench/run.sh. The client suite (tests/clients): containerd
# and podman with netavark (podman refuses to start without its network helper), umoci to build
# an OCI image offline, jq to read JSON, bsdutils for script(1) (a terminal for -t scenarios), uidmap
# (setuid newuidmap/newgidmap) for the rootless podman pass, criu for checkpoint/restore (its e2e
# round trip runs where `criu check` passes on the kernel). skopeo pulls images from registries
# (create --image docker://...); the image tests serve them with docker-registry (distribution
# 2.8), whose htpasswd auth wants bcrypt entries made by apache2-utils' htpasswd, behind TLS from
# a test CA made by openssl. `nexcage metrics` is checked with promtool (prometheus) and scraped
# through node_exporter's textfile collector (prometheus-node-exporter). GNU time gives bench/scale.sh
# the peak RSS of a command.
runtime_deps=(runc crun busybox-static procps hyperfine containerd podman netavark umoci jq bsdutils uidmap criu
  skopeo docker-registry apache2-utils openssl prometheus prometheus-node-exporter time)
# The .deb (scripts/build-deb.sh, scripts/test-package.sh) and the packaging tests: debhelper and
# dpkg-dev build it, lintian checks it, man-db renders the man pages, the shells run the completions.
package_deps=(debhelper dpkg-dev lintian man-db bash-completion zsh fish)
# Fuzzing (tests/fuzz): the sanitizer build of scripts/test.sh is compiled with clang, which builds the
# libFuzzer targets beside the ASan/UBSan unit tests; libclang-rt-16-dev holds libFuzzer and clang's
# sanitizer runtimes. clang 16, not Debian 12's default clang 14: clang 14 refuses a lambda that
# captures a structured binding (C++20, P1091R3; src/router/config.cpp, tests/unit/router), which
# clang supports from 16 on. All in Debian 12's main archive; llvm-16 brings llvm-symbolizer, which
# turns the addresses of a sanitizer report into function names and lines.
fuzz_deps=(clang-16 libclang-rt-16-dev llvm-16)
# The format check (scripts/check-format.sh): Debian 12's clang-format, one version, because
# versions format differently.
check_deps=(clang-format-14)

missing=()
for pkg in "${build_deps[@]}" "${runtime_deps[@]}" "${package_deps[@]}" "${fuzz_deps[@]}" "${check_deps[@]}"; do
  if [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true) != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  say "all ${#build_deps[@]} build, ${#runtime_deps[@]} runtime/test, ${#package_deps[@]} packaging, ${#fuzz_deps[@]} fuzzing and ${#check_deps[@]} check packages are installed; nothing to do"
else
  export DEBIAN_FRONTEND=noninteractive
  say "apt-get update"
  apt-get update -q >&2
  say "installing: ${missing[*]}"
  apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold "${missing[@]}" >&2
  # These packages enable (and under systemd start) a server: a registry on port 5000, Prometheus
  # on 9090, node_exporter on 9100. The tests run their own on loopback ports, so a server this
  # script installed is not kept running.
  for service in docker-registry prometheus prometheus-node-exporter; do
    [[ " ${missing[*]} " == *" $service "* ]] || continue
    say "disabling $service.service (the tests start their own)"
    # systemctl disables offline too (no running systemd: containers, CI).
    if command -v systemctl >/dev/null; then systemctl disable "$service.service" >&2 || true; fi
    if [[ -d /run/systemd/system ]]; then systemctl stop "$service.service" >&2 || true; fi
  done
fi

# What the tests and the benchmark run, at the paths they use.
for tool in /usr/sbin/runc /usr/bin/crun /bin/busybox hyperfine ps cmake containerd ctr podman conmon umoci jq script newuidmap \
  /usr/bin/skopeo /usr/bin/docker-registry htpasswd openssl promtool prometheus-node-exporter \
  dpkg-buildpackage dh lintian man zsh fish clang++-16 clang-format-14; do
  command -v "$tool" >/dev/null || { say "$tool is still missing after installation"; exit 1; }
done
say "ready: $(/usr/sbin/runc --version | head -1), $(/usr/bin/crun --version | head -1), $(/usr/bin/hyperfine --version)"
