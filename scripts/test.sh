#!/usr/bin/env bash
# The test command: the same setup as the run command, then every test (ctest, all labels).
# Real media come from $FRAMELINE_TESTDATA (default: ../shared/testdata beside the checkout, when present); tests
# that need them are skipped with a message without it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
if [[ -z "${FRAMELINE_TESTDATA:-}" && -d "$root/../shared/testdata" ]]; then
  export FRAMELINE_TESTDATA="$(cd "$root/../shared/testdata" && pwd)"
fi
echo "test: FRAMELINE_TESTDATA=${FRAMELINE_TESTDATA:-<unset: real-media tests will skip>}" >&2
cd "${FRAMELINE_BUILD_DIR:-$root/build}"
ctest --output-on-failure --timeout 900 -j "$(nproc)" "$@"
