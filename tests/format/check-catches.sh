#!/usr/bin/env bash
# scripts/check-format.sh must name a misformatted file and fail, and pass a formatted one.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
cp "$here/../../.clang-format" "$tree/"
mkdir -p "$tree/src/core" "$tree/include" "$tree/tools" "$tree/tests"
printf 'int main() {\n  return 0;\n}\n' >"$tree/src/core/good.cpp"
printf 'int  answer( ) {return 42;}\n' >"$tree/src/core/bad.cpp"
out=$("$here/../../scripts/check-format.sh" "$tree" 2>/dev/null)
status=$?
if [[ $status -ne 1 || $out != "src/core/bad.cpp: not formatted" ]]; then
  echo "check-format.sh on a misformatted file: exit $status, output: $out" >&2
  exit 1
fi
rm "$tree/src/core/bad.cpp"
if ! "$here/../../scripts/check-format.sh" "$tree" >/dev/null; then
  echo "check-format.sh refused a formatted tree" >&2
  exit 1
fi
echo "check-format.sh names a misformatted file and passes a formatted one"
