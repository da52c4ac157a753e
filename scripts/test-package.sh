#!/usr/bin/env bash
# The package test, as root on Debian 12 (what CI calls): builds the .deb, runs lintian, installs
# it with apt-get, runs a real container with the installed binary and its shipped config,
# checks the man pages and the bash/zsh/fish completions where the package put them, proves an
# edited /etc/nexcage/config.json survives a reinstall, then purges and checks nothing is left.
#   scripts/test-package.sh [--deb FILE]   (--deb: test this .deb instead of building one)
# Ends with "N passed, N failed"; exits non-zero when anything failed. Needs no stdin.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export DEBIAN_FRONTEND=noninteractive
exec </dev/null

say() { echo "test-package.sh: $*" >&2; }
[[ $(id -u) -eq 0 ]] || { say "run as root (apt-get install and a real container need it)"; exit 1; }

passed=0 failed=0
pass() {
  passed=$((passed + 1))
  echo "ok: $*" >&2
}
fail() {
  failed=$((failed + 1))
  echo "FAIL: $*" >&2
}
# check NAME COMMAND...: one result per check, the command's output shown when it fails.
check() {
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name"; echo "$out" | sed 's/^/    /' >&2; fi
}
finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
  exit
}

tmp=$(mktemp -d /tmp/nexcage-pkgtest.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Build tools, lintian, man-db, the shells: idempotent, quiet when all are there.
scripts/install-deps.sh || { say "scripts/install-deps.sh failed"; exit 1; }

# ---- build
deb=
if [[ ${1:-} == --deb ]]; then
  deb=$(realpath "$2")
else
  say "building the package"
  deb=$(scripts/build-deb.sh "$tmp/out" | tail -1)
fi
if [[ -f $deb ]]; then pass "build $(basename "$deb")"; else fail "build the .deb"; finish; fi
changes=$(ls "$(dirname "$deb")"/nexcage_*.changes 2>/dev/null | head -1)

# ---- lintian: no errors, no warnings (overrides: packaging/debian/nexcage.lintian-overrides)
if command -v lintian >/dev/null; then
  # The verdict comes from a run without --show-overrides: lintian 2.116 counts overridden tags
  # towards --fail-on when they are shown. The overrides are listed from a second run.
  lintian_out=$(lintian --fail-on error,warning --display-info "${changes:-$deb}" 2>&1)
  lintian_rc=$?
  echo "$lintian_out" | sed 's/^/    lintian: /' >&2
  lintian --show-overrides "${changes:-$deb}" 2>/dev/null | grep '^O: ' | sed 's/^/    lintian (overridden): /' >&2
  if [[ $lintian_rc -eq 0 ]] && ! grep -qE '^[EW]: ' <<<"$lintian_out"; then
    pass "lintian: no errors or warnings ($(grep -c '^[IPX]: ' <<<"$lintian_out") info/pedantic tags)"
  else
    fail "lintian reports errors or warnings"
  fi
else
  fail "lintian not installed (scripts/install-deps.sh)"
fi

# ---- install
if dpkg-query -W -f='${Status}' nexcage 2>/dev/null | grep -q installed; then
  say "nexcage is installed already; purging it first"
  apt-get purge -y -q -o DPkg::Lock::Timeout=600 nexcage >&2
fi
# The default state root and the backends' roots in it (<root>/.backends/<backend>): what this
# test's container run creates there, and only that, is removed at the end (purge leaves state
# roots alone on purpose): the root with its marker and the .tmp directory claims and removals use.
made_by_us=()
for d in /run/nexcage /run/nexcage/.tmp /run/nexcage/.backends /run/nexcage/.backends/runc /run/nexcage/.backends/crun; do
  [[ -e $d ]] || made_by_us=("$d" "${made_by_us[@]}")
done
# The operation metrics every command counts in (docs/observability.md): removed whole when ours.
metrics_made_by_us=false
[[ -e /run/nexcage/.metrics ]] || metrics_made_by_us=true
check "apt-get install ./$(basename "$deb")" apt-get install -y -q -o DPkg::Lock::Timeout=600 "$deb"
mapfile -t files < <(dpkg -L nexcage 2>/dev/null)
for f in /usr/bin/nexcage /etc/nexcage/config.json /usr/share/man/man8/nexcage.8.gz \
  /usr/share/man/man8/nexcage-create.8.gz /usr/share/man/man5/nexcage-config.json.5.gz \
  /usr/share/bash-completion/completions/nexcage /usr/share/zsh/vendor-completions/_nexcage \
  /usr/share/fish/vendor_completions.d/nexcage.fish /usr/share/doc/nexcage/copyright \
  /usr/share/doc/nexcage/README.Debian /usr/libexec/nexcage/nexcage-init \
  /usr/libexec/nexcage/nexcage-monitor /lib/systemd/system/nexcage-metrics.service \
  /lib/systemd/system/nexcage-metrics.timer; do
  check "installed $f" test -e "$f"
done
# dh_compress gzips documents larger than 4 KB.
check "installed /usr/share/doc/nexcage/observability.md" \
  sh -c 'test -e /usr/share/doc/nexcage/observability.md || test -e /usr/share/doc/nexcage/observability.md.gz'
check "the metrics timer ships disabled" sh -c '! ls /etc/systemd/system/*.wants/nexcage-metrics.* 2>/dev/null | grep -q .'
if command -v systemd-analyze >/dev/null; then
  check "systemd-analyze verify the metrics units" \
    systemd-analyze verify /lib/systemd/system/nexcage-metrics.service /lib/systemd/system/nexcage-metrics.timer
fi
# What the service runs, with its output in a scratch directory instead of node_exporter's.
metrics_command() {
  local exec
  exec=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/nexcage-metrics.service)
  [[ $exec == "/usr/bin/nexcage metrics --output /var/lib/prometheus/node-exporter/nexcage.prom" ]] ||
    { echo "unexpected ExecStart: $exec"; return 1; }
  /usr/bin/nexcage metrics --output "$tmp/nexcage.prom" || return 1
  promtool check metrics <"$tmp/nexcage.prom" && grep -q '^nexcage_build_info{' "$tmp/nexcage.prom"
}
check "the service's nexcage metrics writes a page promtool accepts" metrics_command
check "config.json is the shipped defaults" cmp /etc/nexcage/config.json packaging/config.json
check "config.json is a conffile" sh -c "dpkg-query -W -f='\${Conffiles}' nexcage | grep -q '/etc/nexcage/config.json '"
check "nexcage --version" /usr/bin/nexcage --version
check "nexcage needs no shared library (a static PIE: no loader at start-up)" \
  sh -c '! readelf -d /usr/bin/nexcage | grep -q NEEDED'
check "nexcage-init needs no shared library (it runs inside bare rootfs trees)" \
  sh -c '! readelf -d /usr/libexec/nexcage/nexcage-init | grep -q NEEDED'
check "nexcage-monitor needs no shared library" \
  sh -c '! readelf -d /usr/libexec/nexcage/nexcage-monitor | grep -q NEEDED'
# doctor exits 0 (healthy) or 1 (problems found, e.g. no Proxmox tools here); 2 and up is a failure.
check "nexcage doctor runs with the installed binary and config" \
  sh -c '/usr/bin/nexcage doctor >/dev/null; [ $? -le 1 ]'
check "nexcage doctor --format json is JSON" sh -c '/usr/bin/nexcage doctor --format json | jq -e .findings >/dev/null'
# devscripts' hardening-check; control-flow integrity cannot be had on bookworm (see rules).
if command -v hardening-check >/dev/null; then
  check "hardening-check /usr/bin/nexcage (PIE, stack protector and clash, fortify, relro, bindnow)" \
    hardening-check --nocfprotection /usr/bin/nexcage
fi

# ---- a real container with the installed binary and the shipped config
scripts/setup-test-host.sh >&2 || say "setup-test-host.sh failed; crun may refuse this host"
bundle=$tmp/bundle
mkdir -p "$bundle/rootfs/bin"
cp /bin/busybox "$bundle/rootfs/bin/busybox"
for applet in sh echo cat; do ln -s busybox "$bundle/rootfs/bin/$applet"; done
run_container() {
  /usr/bin/nexcage spec -b "$bundle" || return 1
  sed -i -e 's/"terminal": true/"terminal": false/' \
    -e 's/^\([[:space:]]*\)"sh"$/\1"sh", "-c", "echo hello from $(cat \/proc\/1\/comm)"/' "$bundle/config.json"
  grep -q '"echo hello' "$bundle/config.json" || { echo "could not set process.args in the spec"; return 1; }
  local out
  out=$(/usr/bin/nexcage run -b "$bundle" "pkgtest-$$") || { echo "$out"; return 1; }
  echo "container said: $out"
  [[ $out == "hello from sh" ]]
}
check "nexcage run (busybox, shipped config)" run_container
check "the container was deleted after run" sh -c "! /usr/bin/nexcage list -q | grep -qx pkgtest-$$"

# ---- man pages and completions where the package put them
check "man nexcage-create renders" sh -c 'MANPAGER=cat man -P cat nexcage-create | grep -q "create a container"'
check "man pages (tests/packaging/man-pages.sh --installed)" tests/packaging/man-pages.sh --installed
check "completions (tests/packaging/completions.sh --installed)" \
  tests/packaging/completions.sh /usr/bin/nexcage --installed

# ---- an edited conffile survives a reinstall (no prompt: stdin is /dev/null)
cp /etc/nexcage/config.json "$tmp/config.orig"
sed -i 's/"rules": \[\]/"default_backend": "runc",\n  "rules": []/' /etc/nexcage/config.json
check "the edit took" grep -q '"default_backend": "runc"' /etc/nexcage/config.json
check "apt-get install --reinstall" apt-get install -y -q -o DPkg::Lock::Timeout=600 --reinstall "$deb"
check "edited config.json kept on reinstall" grep -q '"default_backend": "runc"' /etc/nexcage/config.json
check "no .dpkg-dist/.dpkg-new left beside it" sh -c '! ls /etc/nexcage/*.dpkg-* 2>/dev/null | grep -q .'
check "nexcage reads the edited config" /usr/bin/nexcage list -q

# ---- purge: everything the package installed is gone, the containers' state root is not touched
check "apt-get purge nexcage" apt-get purge -y -q -o DPkg::Lock::Timeout=600 nexcage
check "dpkg no longer knows nexcage" sh -c "! dpkg-query -W -f='\${Status}' nexcage 2>/dev/null | grep -q 'ok installed\|config-files'"
left=()
for f in "${files[@]}"; do
  # Directories shared with other packages (/usr/share/man/man8, ...) stay; nexcage's own go.
  # -d follows symlinks: /lib, which the systemd units put in the list, is one on merged-/usr.
  if [[ -d $f ]]; then
    [[ $f == */nexcage || $f == */nexcage/* ]] && [[ -e $f ]] && left+=("$f")
  elif [[ -e $f || -L $f ]]; then
    left+=("$f")
  fi
done
if [[ ${#files[@]} -gt 10 && ${#left[@]} -eq 0 ]]; then pass "purge left none of the ${#files[@]} installed paths"; else fail "purge left: ${left[*]:-(no file list)}"; fi
check "/etc/nexcage is gone" test ! -e /etc/nexcage
check "/usr/bin/nexcage is gone" test ! -e /usr/bin/nexcage
$metrics_made_by_us && rm -rf /run/nexcage/.metrics
for d in "${made_by_us[@]}"; do  # deepest first; rmdir: only when empty but for the marker
  [[ $d == /run/nexcage ]] && rm -f /run/nexcage/.nexcage-root
  [[ -d $d ]] && { rmdir "$d" 2>/dev/null || say "left $d: not empty"; }
done

finish
