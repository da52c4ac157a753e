#!/usr/bin/env bash
# The Debian package's version (packaging/debian/changelog, newest entry) is the CMake project
# version: `nexcage --version` and the .deb's name must not disagree.
#   version.sh SOURCE_DIR CMAKE_PROJECT_VERSION
set -euo pipefail
changelog=$1/packaging/debian/changelog
# First line: "nexcage (VERSION) DIST; urgency=..."; no epoch, no Debian revision (native).
deb=$(sed -nE '1s/^nexcage \(([^)]*)\) .*/\1/p' "$changelog")
deb=${deb#*:}
deb=${deb%-*}
if [[ $deb == "$2" ]]; then
  echo "version: changelog and CMake agree on $2"
else
  echo "FAIL: $changelog says ${deb:-nothing}, CMakeLists.txt project() says $2" >&2
  echo "hint: add a changelog entry: dch -c $changelog -v $2" >&2
  exit 1
fi
