#!/usr/bin/env bash
# Renders nexcage's man pages the way lintian checks them (man --warnings, lexgrog for the
# whatis entry) and checks one page's text.
#   man-pages.sh MANDIR       the generated pages (build/man)
#   man-pages.sh --installed  the pages the package installed, found by man(1) by name
# Exit 77 (ctest: skipped) when man-db is not installed.
set -uo pipefail

command -v man >/dev/null && command -v lexgrog >/dev/null || { echo "skipped: man-db not installed" >&2; exit 77; }
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() {
  echo "FAIL: $*" >&2
  failed=$((failed + 1))
}

if [[ ${1:-} == --installed ]]; then
  mapfile -t pages < <(dpkg -L nexcage | grep -E '^/usr/share/man/man[578]/.*\.[578](\.gz)?$')
else
  mapfile -t pages < <(find "$1" -maxdepth 1 -name '*.[578]' | sort)
fi
[[ ${#pages[@]} -ge 20 ]] && pass || fail "expected nexcage.8, nexcage-config.json.5, nexcage-pct.7 and a page per command; found ${#pages[@]}"

for page in "${pages[@]}"; do
  # lintian's check: any message from groff is a warning.
  warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
  [[ -z $warnings ]] && pass || fail "$page: $warnings"
  lexgrog "$page" >/dev/null 2>&1 && pass || fail "$page: lexgrog cannot read its NAME section"
done

render() {
  if [[ ${1:-} == --installed ]]; then
    MANPAGER=cat MANWIDTH=80 man -P cat "$2" 2>&1
  else
    MANWIDTH=80 man -P cat -l "$1/$2.${3}" 2>&1
  fi
}
text=$(render "$1" nexcage-create 8)
for want in "nexcage-create - create a container" "--bundle DIR" "--pid-file FILE" "container-id"; do
  grep -qF -- "$want" <<<"$text" && pass || fail "nexcage-create(8) lacks \"$want\": $text"
done
text=$(render "$1" nexcage-config.json 5)
for want in "default_backend" "/usr/sbin/runc" "rules[].glob"; do
  grep -qF -- "$want" <<<"$text" && pass || fail "nexcage-config.json(5) lacks \"$want\""
done

echo "man pages: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
