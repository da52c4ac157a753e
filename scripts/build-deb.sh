#!/usr/bin/env bash
# Builds the Debian package from a clean copy of the source tree:
#   scripts/build-deb.sh [OUTDIR]        (default OUTDIR: build-deb/)
# The copy holds the files git knows (tracked and untracked-but-not-ignored, so uncommitted
# edits are included and build directories are not) plus packaging/debian as ./debian, where
# dpkg-buildpackage wants it; the working tree is never written to except OUTDIR.
# Fails when debian/changelog's version is not the CMake project version.
# Tests: the package build runs no tests unless NEXCAGE_DEB_CHECK=1 (then the unit tests);
# CI runs every suite through scripts/test.sh already. Prints the .deb's path last on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
out=$(realpath -m "${1:-$src/build-deb}")

say() { echo "build-deb.sh: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

for tool in dpkg-buildpackage dpkg-parsechangelog dh cmake; do
  command -v "$tool" >/dev/null || fail "$tool not found: run scripts/install-deps.sh"
done

cmake_version=$(sed -nE 's/^project\(nexcage VERSION ([0-9][0-9.]*)[ )].*/\1/p' CMakeLists.txt)
deb_version=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
upstream=${deb_version#*:}  # no epoch
upstream=${upstream%-*}     # no Debian revision (none for this native package)
[[ -n $cmake_version ]] || fail "no project(nexcage VERSION ...) in CMakeLists.txt"
[[ $upstream == "$cmake_version" ]] ||
  fail "packaging/debian/changelog says $deb_version, CMakeLists.txt says $cmake_version: add a changelog entry (dch -v $cmake_version) or fix the version"

work=$(mktemp -d /tmp/nexcage-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
tree=$work/nexcage-$upstream
mkdir -p "$tree" "$out"

commit=
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # ls-files still lists a tracked file deleted in the working tree; copy only what exists.
  git -C "$src" ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && printf '%s\0' "$f"; done |
    tar -C "$src" --null -T - -cf - | tar -C "$tree" -xf -
  commit=$(git -C "$src" rev-parse --short=12 HEAD)
  [[ -z $(git -C "$src" status --porcelain) ]] || commit+="-dirty"
else
  tar -C "$src" --exclude='./build*' --exclude=./debian -cf - . | tar -C "$tree" -xf -
fi
rm -rf "$tree/debian"
cp -a packaging/debian "$tree/debian"

options=${DEB_BUILD_OPTIONS:-}
profiles=()
if [[ ${NEXCAGE_DEB_CHECK:-0} != 1 && $options != *nocheck* ]]; then
  options+=" nocheck"
  profiles=(--build-profiles=nocheck)
fi
[[ $options == *parallel=* ]] || options+=" parallel=2"
options=$(xargs <<<"$options")  # no stray spaces: dpkg warns about an empty flag

say "building nexcage $deb_version (commit ${commit:-unknown}) in $tree"
(cd "$tree" && DEB_BUILD_OPTIONS=$options NEXCAGE_GIT_COMMIT=$commit \
  dpkg-buildpackage -b -us -uc "${profiles[@]}" >&2)

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=nexcage_${upstream}_$arch.deb
[[ -f $work/$deb ]] || fail "dpkg-buildpackage did not produce $deb"
rm -f "$out"/nexcage_* "$out"/nexcage-dbgsym_*
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
say "built $out/$deb"
echo "$out/$deb"
