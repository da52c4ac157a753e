#!/bin/bash
# Runs runc in place of nexcage for the end-to-end suite, to check the suite's expectations
# against the reference behaviour:
#   NEXCAGE_E2E_BINARY=$PWD/tests/e2e/runc-reference.sh \
#     build/tests/nexcage_e2e_tests --gtest_filter='Backends/*/0:-*Crash*'
# nexcage-only options (--config, --backend) are dropped. Expected to fail where nexcage goes
# beyond runc: JSON paths in validation errors, the features annotation. The crash tests are left
# out: runc does not recover from a killed create, and leaves its cgroups behind.
args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --config | --backend | -config | -backend) shift 2 ;;
    --config=* | --backend=* | -config=* | -backend=*) shift ;;
    *) args+=("$1"); shift ;;
  esac
done
exec /usr/sbin/runc "${args[@]}"
