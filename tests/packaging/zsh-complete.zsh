#!/usr/bin/env zsh
# Prints, one per line, the words zsh's own completion offers for a command line: an interactive
# zsh -f in a pty runs compinit, TAB calls complete-word, and compadd is wrapped to print what
# it adds. (The technique of zsh-capture-completion, Valodim, MIT.)
#   zsh-complete.zsh FPATH_DIR|- 'nexcage kill '      (- : Debian's default fpath only)
# Exit 2 when the pty shell does not come up.
emulate -L zsh
zmodload zsh/zpty || exit 2

local dir=$1 line=$2
zpty z zsh -f -i
local setup=$(mktemp)
cat >$setup <<SETUP
PROMPT=
${${dir:#-}:+fpath=(${(q)dir} \$fpath)}
autoload -Uz compinit
compinit -u -d ${(q)setup}.zcompdump
bindkey '^M' undefined
bindkey '^J' undefined
bindkey '^I' complete-word
null-line() { echo -E - \$'\0' }
compprefuncs=( null-line )
comppostfuncs=( null-line exit )
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
zstyle ':completion:*' list-separator ''
compadd() {
  # -O, -A and -D ask compadd for a list, not to add: pass those through.
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "\$@"
    return \$?
  fi
  typeset -a __hits
  builtin compadd -A __hits "\$@"
  (( \$#__hits )) || return
  print -rl -- \$__hits
}
echo ok
SETUP
zpty -w z "source ${(q)setup}"
local out
repeat 8; do
  zpty -r z out || break
  [[ $out == ok* ]] && break
done
if [[ $out != ok* ]]; then
  print -u2 "zsh-complete: the pty shell did not start"
  rm -f $setup $setup.zcompdump
  exit 2
fi
zpty -w z "$line"$'\t'
# The words come between the two null lines the pre and post functions print.
integer seen=0
while zpty -r z out; do
  for l in ${(f)out}; do
    if [[ $l == *$'\0'* ]]; then
      (( seen++ ))
      (( seen == 2 )) && break 2
      continue
    fi
    (( seen == 1 )) && print -r -- ${l%$'\r'}
  done
done
zpty -d z
rm -f $setup $setup.zcompdump
