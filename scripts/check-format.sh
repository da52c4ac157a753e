#!/usr/bin/env bash
# Every C++ file of ROOT (default: this repository) is formatted as .clang-format says, by
# clang-format-14 (Debian 12's; other versions format differently). Lists the files that are not,
# with the fix, and exits 1. Fix: clang-format-14 -i FILE... (or all: scripts/check-format.sh --fix).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fix=false
if [[ ${1:-} == --fix ]]; then
  fix=true
  shift
fi
root=${1:-$root}
cd "$root"
formatter=clang-format-14
command -v "$formatter" >/dev/null || { echo "$formatter is missing: run scripts/install-deps.sh" >&2; exit 1; }

# tests/layering/fixture holds planted layering violations, test data rather than code.
mapfile -t files < <(find src include tools tests -path tests/layering/fixture -prune -o -type f \( -name '*.cpp' -o -name '*.hpp' \) -print | sort)
if $fix; then
  "$formatter" -i "${files[@]}"
  exit 0
fi
# One run over every file; each violation is reported as "FILE:LINE:COL: error: code should be
# clang-formatted".
mapfile -t bad < <("$formatter" --dry-run --Werror "${files[@]}" 2>&1 >/dev/null |
  sed -nE 's/^([^:]+):[0-9]+:[0-9]+: error: code should be clang-formatted.*/\1/p' | sort -u)
if ((${#bad[@]} > 0)); then
  printf '%s: not formatted\n' "${bad[@]}"
  echo "${#bad[@]} file(s) not formatted as .clang-format says; fix: scripts/check-format.sh --fix" >&2
  exit 1
fi
echo "format: ${#files[@]} files, all formatted"
