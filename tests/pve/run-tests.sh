#!/usr/bin/env bash
# Runs the pve stand-in's own tests (as root, after tests/pve/setup-host.sh); the last line
# is `N passed, N failed`. Arguments go to tests/run.py (-k PATTERN, test module names).
set -euo pipefail
exec /usr/bin/python3 -IB "$(dirname "$(readlink -f "$0")")/tests/run.py" "$@"
