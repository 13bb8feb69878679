#!/usr/bin/env bash
# Configures (once) and builds Frameline into build/ with CMake and Ninja. Idempotent: a second run only rebuilds
# what changed. Extra arguments go to CMake's configure step (e.g. -DFRAMELINE_BUILD_UI=OFF).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FRAMELINE_BUILD_DIR:-$root/build}"
if [[ ! -f "$build/build.ninja" || $# -gt 0 ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
# One job per core: the LibTorch translation unit alone takes over a GB to compile.
cmake --build "$build" -j "$(nproc)"
