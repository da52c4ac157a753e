#!/usr/bin/env bash
# scripts/check-layers.sh must find every planted violation in fixture/ (a core file including fs,
# the CLI naming a backend struct, a third-party header and a "../" include in lifecycle, lifecycle
# including a driver, a file in no layer), exactly as expected.txt lists them, and fail.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$("$here/../../scripts/check-layers.sh" "$here/fixture" 2>/dev/null)
status=$?
if [[ $status -ne 1 ]]; then
  echo "check-layers.sh exited $status on the fixture, not 1" >&2
  exit 1
fi
if ! diff -u "$here/expected.txt" <(printf '%s\n' "$out"); then
  echo "check-layers.sh did not report the planted violations as expected" >&2
  exit 1
fi
echo "check-layers.sh caught all $(wc -l <"$here/expected.txt") planted violations"
