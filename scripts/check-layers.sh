#!/usr/bin/env bash
# The layering of docs/architecture.md, checked over every #include and a few names in src/,
# include/ and tools/ of ROOT (default: this repository). CMake's per-layer include roots refuse an
# include of a layer that is not linked; this script also refuses what they cannot see: a lower
# layer reached through a higher layer's public header, a backend struct filled by the CLI, a
# third-party header outside the layers that may use it, and "../" includes.
# Prints one line per problem, "file:line: <layer> may not include <layer> (<header>)", and exits 1
# when there is any.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

# What each layer may include besides itself (the table in docs/architecture.md).
declare -A may=(
  [core]=""
  [fs]="core"
  [process]="core fs"
  [cgroup]="core fs"
  [oci]="core fs"
  [images]="core fs process oci"
  [metrics]="core fs"
  [state]="core fs"
  [backend_config]=""
  [router]="core fs backend_config"
  [pct_protocol]=""
  [pct_helpers]="pct_protocol"
  [backend]="core fs process cgroup oci state backend_config"
  [backend_oci_cli]="core fs process cgroup oci state backend_config backend"
  [backend_pct]="core fs process cgroup oci state backend_config backend pct_protocol"
  [backends]="core backend_config backend backend_oci_cli backend_pct"
  [lifecycle]="core fs process oci images metrics state backend_config backend backends router"
  [doctor]="core fs process images state backend_config backend backend_pct pct_protocol router"
  [cli]="core router backend_config lifecycle doctor"
  [docgen]="core cli"
)

# Third-party headers and the layers that may include them.
declare -A third_party=(
  ["CLI/"]="cli docgen"
  ["re2/"]="router"
  ["nettle/"]="core"
  ["spdlog/"]="core"
  ["seccomp.h"]="oci backend"
  ["sys/capability.h"]="oci backend backend_pct"
)

# Names of lower layers the CLI must not use even though lifecycle's public headers show them:
# the CLI speaks to lifecycle (and doctor, router) only.
cli_forbidden_names='(^|[^[:alnum:]_:])(nexcage::)?(backend|process|fs|state|oci)::'

# Sets `layer` to the layer of file $1 (empty when it has none). Functions set variables rather
# than print, so the loop below forks nothing per include.
layer_of() {
  local f=$1
  case $f in
    include/nexcage/backend/backend_config.hpp) layer=backend_config ;;
    include/nexcage/backend/registry.hpp | src/backend/registry.cpp) layer=backends ;;
    include/nexcage/backend/pct/init_protocol.hpp | include/nexcage/backend/pct/stdio_protocol.hpp) layer=pct_protocol ;;
    include/nexcage/backend/oci_cli/* | src/backend/oci_cli/*) layer=backend_oci_cli ;;
    include/nexcage/backend/pct/* | src/backend/pct/*) layer=backend_pct ;;
    include/nexcage/backend/* | src/backend/*) layer=backend ;;
    src/pct_init/* | src/pct_monitor/*) layer=pct_helpers ;;
    tools/nexcage-docgen.cpp) layer=docgen ;;
    include/nexcage/*/*) f=${f#include/nexcage/}; layer=${f%%/*} ;;
    src/*/*) f=${f#src/}; layer=${f%%/*} ;;
    *) layer="" ;;
  esac
}

problems=0
problem() {
  echo "$1"
  problems=$((problems + 1))
}

# Sets `target` to the file an include names: "nexcage/x" is include/nexcage/x; "cli/x",
# "docgen/x" and "backend/x" are src/'s; a bare name is beside the includer.
resolve() {
  local includer=$1 name=$2
  case $name in
    nexcage/*) target="include/$name" ;;
    cli/* | docgen/* | backend/*) target="src/$name" ;;
    */*) target="" ;;
    *) target="${includer%/*}/$name" ;;
  esac
}

# Sets file, line and text from one "FILE:LINE:TEXT" line of grep -n.
split_hit() {
  file=${1%%:*}
  local rest=${1#*:}
  line=${rest%%:*}
  text=${rest#*:}
}

mapfile -t files < <(find src include tools -type f \( -name '*.cpp' -o -name '*.hpp' \) 2>/dev/null | sort)
for file in "${files[@]}"; do
  layer_of "$file"
  [[ -n $layer && -n ${may[$layer]+set} ]] ||
    problem "$file: in no layer; add it to scripts/check-layers.sh and docs/architecture.md"
done

# One grep over the tree: every include with its file and line.
while IFS= read -r hit; do
  split_hit "$hit"
  layer_of "$file"
  from=$layer
  [[ -n $from && -n ${may[$from]+set} ]] || continue  # reported above
  if [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
    name=${BASH_REMATCH[1]}
    if [[ $name == ../* || $name == */../* ]]; then
      problem "$file:$line: \"../\" include ($name); include by the layer's path"
      continue
    fi
    resolve "$file" "$name"
    layer_of "$target"
    to=$layer
    if [[ -z $to ]]; then
      problem "$file:$line: $name is in no layer"
    elif [[ $to != "$from" && " ${may[$from]} " != *" $to "* ]]; then
      problem "$file:$line: $from may not include $to ($name)"
    fi
  elif [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^\>]+)\> ]]; then
    name=${BASH_REMATCH[1]}
    for prefix in "${!third_party[@]}"; do
      [[ $name == "$prefix"* ]] || continue
      [[ " ${third_party[$prefix]} " == *" $from "* ]] ||
        problem "$file:$line: $from may not include <$name> (only ${third_party[$prefix]})"
    done
  fi
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include' "${files[@]}")

# The CLI's sources, and the request structs lifecycle takes from it, name no lower layer.
cli_files=(include/nexcage/lifecycle/operations.hpp)
for file in "${files[@]}"; do
  [[ $file == src/cli/* ]] && cli_files+=("$file")
done
while IFS= read -r hit; do
  split_hit "$hit"
  [[ $text =~ ^[[:space:]]*// ]] && continue
  [[ $text =~ $cli_forbidden_names ]] || continue
  layer_of "$file"
  problem "$file:$line: $layer may not use ${BASH_REMATCH[3]}:: (the CLI speaks to lifecycle, doctor and router)"
done < <(grep -nHE "$cli_forbidden_names" "${cli_files[@]}" 2>/dev/null)

if ((problems > 0)); then
  echo "$problems layering problem(s); the layers and what each may use: docs/architecture.md" >&2
  exit 1
fi
echo "layers: ${#files[@]} files, no problem"
