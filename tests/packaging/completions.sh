#!/usr/bin/env bash
# Drives bash, zsh and fish with nexcage's completion scripts and checks them against what the
# binary's own --help lists: every command, every flag of every command, plus container ids from
# `nexcage list -q` (a stand-in nexcage on PATH answers that and records how it was called) and
# the choices of an option's value.
#   completions.sh NEXCAGE BASH_FILE ZSH_FILE FISH_FILE   the scripts in the source tree
#   completions.sh NEXCAGE --installed                   where the package puts them, loaded
#                                                        the way each shell finds them
# A shell that is not installed is skipped; exit 77 (ctest: skipped) when none is.
set -uo pipefail

nexcage=$1
shift
here=$(dirname "$(realpath "$0")")
installed=0
if [[ ${1:-} == --installed ]]; then
  installed=1
  bash_file=/usr/share/bash-completion/completions/nexcage
  zsh_file=/usr/share/zsh/vendor-completions/_nexcage
  fish_file=/usr/share/fish/vendor_completions.d/nexcage.fish
else
  [[ $# -eq 3 ]] || { echo "usage: $0 NEXCAGE (BASH_FILE ZSH_FILE FISH_FILE | --installed)" >&2; exit 2; }
  bash_file=$(realpath "$1") zsh_file=$(realpath "$2") fish_file=$(realpath "$3")
fi

passed=0 failed=0 shells=0
pass() { passed=$((passed + 1)); }
fail() {
  echo "FAIL: $*" >&2
  failed=$((failed + 1))
}
# expect_words NAME OUTPUT WORD...: every WORD is a line of OUTPUT.
expect_words() {
  local name=$1 output=$2 missing=()
  shift 2
  for w in "$@"; do grep -qxF -- "$w" <<<"$output" || missing+=("$w"); done
  if [[ ${#missing[@]} -eq 0 ]]; then pass; else fail "$name: missing ${missing[*]} (got: $(tr '\n' ' ' <<<"$output"))"; fi
}

# expect_no_word NAME OUTPUT WORD: WORD is not offered.
expect_no_word() {
  if grep -qxF -- "$3" <<<"$2"; then fail "$1: offers $3"; else pass; fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cat >"$tmp/bin/nexcage" <<STUB
#!/bin/sh
echo "\$*" >>"$tmp/calls"
case "\$*" in *"list -q"*) printf 'alpha\nbeta\n' ;; esac
STUB
chmod +x "$tmp/bin/nexcage"
export PATH=$tmp/bin:$PATH

# What the binary accepts, from its --help (CLI11's "Subcommands:" and "Options:" sections).
help_commands() { "$nexcage" --help | sed -n '/^Subcommands:/,/^$/p' | sed -nE 's/^  ([a-z]+) .*/\1/p'; }
help_flags() {
  "$nexcage" "$@" --help | sed -n '/^Options:/,/^[A-Z]/p' |
    grep -oE '^ +(-[A-Za-z0-9],)*--?[A-Za-z0-9-]+(,--[A-Za-z0-9-]+)*' | tr ',' '\n' | tr -d ' '
}
mapfile -t commands < <(help_commands)
[[ ${#commands[@]} -gt 10 ]] || { echo "could not read the commands from $nexcage --help" >&2; exit 1; }

# ---- bash: COMPREPLY for a command line typed up to its end.
bash_complete() {
  bash --norc --noprofile -c '
    . /usr/share/bash-completion/bash_completion || exit 3
    if [[ $3 == 1 ]]; then _completion_loader nexcage; else . "$2"; fi
    complete -p nexcage >/dev/null 2>&1 || exit 4
    COMP_LINE=$1 COMP_POINT=${#1}
    read -ra COMP_WORDS <<<"$1"
    [[ $1 == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _nexcage nexcage "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"
  ' _ "$1" "$bash_file" "$installed"
}

if command -v bash >/dev/null && [[ -r /usr/share/bash-completion/bash_completion ]]; then
  shells=$((shells + 1))
  spec=$(bash --norc --noprofile -c '. /usr/share/bash-completion/bash_completion
    if [[ $2 == 1 ]]; then _completion_loader nexcage; else . "$1"; fi; complete -p nexcage' _ "$bash_file" "$installed" 2>&1)
  if [[ $spec == *"-F _nexcage nexcage"* ]]; then pass; else fail "bash: complete -p nexcage: $spec"; fi
  expect_words "bash: commands" "$(bash_complete 'nexcage ')" "${commands[@]}"
  mapfile -t flags < <(help_flags)
  expect_words "bash: global flags" "$(bash_complete 'nexcage -')" "${flags[@]}"
  for c in "${commands[@]}"; do
    mapfile -t flags < <(help_flags "$c")
    expect_words "bash: $c flags" "$(bash_complete "nexcage $c -")" "${flags[@]}"
  done
  expect_words "bash: kill ids" "$(bash_complete 'nexcage kill ')" alpha beta
  expect_words "bash: exec ids after flags" "$(bash_complete 'nexcage exec -u 0 --tty ')" alpha beta
  : >"$tmp/calls"
  bash_complete 'nexcage --root /tmp/elsewhere start ' >/dev/null
  if grep -qx -- '--root /tmp/elsewhere list -q' "$tmp/calls"; then pass; else fail "bash: ids ignore --root: $(cat "$tmp/calls")"; fi
  expect_words "bash: list --format" "$(bash_complete 'nexcage list --format ')" table json
  expect_no_word "bash: exec's program's flags are not nexcage's" "$(bash_complete 'nexcage exec alpha ls --')" --tty
  expect_words "bash: kill signal" "$(bash_complete 'nexcage kill alpha SIGTE')" SIGTERM
  signals=$(bash_complete 'nexcage kill alpha ')
  expect_words "bash: kill signals" "$signals" SIGKILL SIGHUP
  for trap in EXIT DEBUG ERR RETURN 'SIGJUNK(32)'; do
    expect_no_word "bash: kill offers signals, not bash's trap $trap" "$signals" "$trap"
  done
  expect_words "bash: --log-format=" "$(bash_complete 'nexcage --log-format=')" text json
else
  echo "skipped: bash or bash-completion not installed" >&2
fi

# ---- zsh: compinit with the script's directory on fpath must bind nexcage to _nexcage; then
# zsh itself completes command lines (zsh-complete.zsh: an interactive zsh in a pty).
zsh_complete() {
  local dir=$zsh_dir
  [[ $installed == 1 ]] && dir=-
  timeout 60 zsh "$here/zsh-complete.zsh" "$dir" "$1"
}
if command -v zsh >/dev/null; then
  shells=$((shells + 1))
  zsh_dir=$(dirname "$zsh_file")
  if zsh -n "$zsh_file"; then pass; else fail "zsh: $zsh_file does not parse"; fi
  out=$(cd "$tmp" && HOME=$tmp zsh -f -c '
    [[ $2 == 1 ]] || fpath=("$1" $fpath)
    autoload -Uz compinit && compinit -u -d "$HOME/.zcompdump"
    print -r -- "comp=$_comps[nexcage]"
    autoload -Uz +X _nexcage && print -r -- "loaded"
    (( ${fpath[(Ie)$1]} )) && print -r -- "dir=$1"' _ "$zsh_dir" "$installed" 2>&1)
  if grep -qx 'comp=_nexcage' <<<"$out"; then pass; else fail "zsh: compinit did not bind nexcage: $out"; fi
  if grep -qx 'loaded' <<<"$out"; then pass; else fail "zsh: _nexcage did not load: $out"; fi
  if grep -qx "dir=$zsh_dir" <<<"$out"; then pass; else fail "zsh: $zsh_dir is not on fpath: $out"; fi
  expect_words "zsh: commands" "$(zsh_complete 'nexcage ')" "${commands[@]}"
  mapfile -t flags < <(help_flags | grep -- '^--')
  expect_words "zsh: global flags" "$(zsh_complete 'nexcage --')" "${flags[@]}"
  for c in "${commands[@]}"; do
    mapfile -t flags < <(help_flags "$c" | grep -- '^--')
    expect_words "zsh: $c flags" "$(zsh_complete "nexcage $c --")" "${flags[@]}"
  done
  expect_words "zsh: kill ids" "$(zsh_complete 'nexcage kill ')" alpha beta
  expect_words "zsh: list --format" "$(zsh_complete 'nexcage list --format ')" table json
  expect_no_word "zsh: exec's program's flags are not nexcage's" "$(zsh_complete 'nexcage exec alpha ls --')" --tty
  : >"$tmp/calls"
  zsh_complete 'nexcage --root /tmp/elsewhere pause ' >/dev/null
  if grep -qx -- '--root /tmp/elsewhere list -q' "$tmp/calls"; then pass; else fail "zsh: ids ignore --root: $(cat "$tmp/calls")"; fi
else
  echo "skipped: zsh not installed" >&2
fi

# ---- fish: complete -C, with the script found on fish_complete_path as fish finds it.
# Not --no-config: that also skips fish's own config.fish, which puts the vendor directories
# on fish_complete_path. A fresh HOME keeps the user's config out instead.
fish_complete() {
  HOME=$tmp XDG_CONFIG_HOME=$tmp/.config XDG_DATA_HOME=$tmp/.local/share fish -c '
    if test "$argv[2]" != 1; set -p fish_complete_path (dirname $argv[3]); end
    complete -C $argv[1]' "$1" "$installed" "$fish_file" | cut -f1
}
if command -v fish >/dev/null; then
  shells=$((shells + 1))
  expect_words "fish: commands" "$(fish_complete 'nexcage ')" "${commands[@]}"
  mapfile -t flags < <(help_flags | grep -- '^--')
  expect_words "fish: global flags" "$(fish_complete 'nexcage --')" "${flags[@]}"
  for c in "${commands[@]}"; do
    mapfile -t flags < <(help_flags "$c" | grep -- '^--')
    expect_words "fish: $c flags" "$(fish_complete "nexcage $c --")" "${flags[@]}"
  done
  expect_words "fish: kill ids" "$(fish_complete 'nexcage kill ')" alpha beta
  expect_words "fish: list --format" "$(fish_complete 'nexcage list --format ')" table json
  expect_no_word "fish: exec's program's flags are not nexcage's" "$(fish_complete 'nexcage exec alpha ls --')" --tty
  : >"$tmp/calls"
  fish_complete 'nexcage --root /tmp/elsewhere delete ' >/dev/null
  if grep -qx -- '--root /tmp/elsewhere list -q' "$tmp/calls"; then pass; else fail "fish: ids ignore --root: $(cat "$tmp/calls")"; fi
else
  echo "skipped: fish not installed" >&2
fi

echo "completions: $passed passed, $failed failed"
[[ $shells -gt 0 ]] || exit 77
[[ $failed -eq 0 ]]
