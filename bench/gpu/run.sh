#!/bin/bash
# The GPU benchmark of issue #10: builds FFmpeg with NVDEC and Frameline against torch's CUDA LibTorch, then measures
# decode-only, shots and ingest fps for 1 and 7 titles in parallel and the zoo's img/s, into $OUT/gpu-report.json.
# THERE (the GPU machine, in the repo root, as root), in two device calls on the same warm machine (bench/gpu/README.md):
#   bash bench/gpu/run.sh all        # call 1, carries .gpu/a (deps, FFmpeg source, clip): builds into /tmp, then
#                                    # measures what needs no models (decode-only, shots): ~5 min
#   bash bench/gpu/run.sh measure    # call 2, carries .gpu/b (the zoo): everything, in one run (~4 min)
#   bash bench/gpu/run.sh build      # the build alone
# HERE: bash bench/gpu/run.sh --local  # the same measurements with the system's ffmpeg and the checkout's build/
#   binaries, software decode, 1 and 2 streams: tests this script's logic without a GPU.
# Environment: FL_TITLE_LOOPS (there: extra copies of the clip in the title, default 12: 3,900 frames), FL_TITLE_SECONDS
# (here: the clip cut to this, default 10), FL_STREAMS (default 1,7 there, 1,2 here), FL_BUDGET_S (all measurements,
# default 270), FL_JOBS (ninja -j, default 16), FL_PARTIAL=0 (call 1: build only), FL_BUILD (here: the
# binaries, default ROOT/build's).
# To try the build stage elsewhere: FL_BUILD_DIR (default /tmp/fl-build), FL_TORCH_PREFIX (default: python3's torch),
# FL_SKIP_FFMPEG=1 (use the FFmpeg already in /tmp/ffnv), FL_TARGETS (default: frameline-cli).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
MODE=all LOCAL=0
for x in "$@"; do
  case $x in
    build|measure|all) MODE=$x ;;
    --local) LOCAL=1; MODE=measure ;;
    *) echo "usage: bash bench/gpu/run.sh [build|measure|all] [--local]" >&2; exit 2 ;;
  esac
done
G=$ROOT/.gpu
OUT=${OUT:-/tmp/fl-gpu-out}
DEPS=/tmp/fl-deps FFNV=/tmp/ffnv BUILD=${FL_BUILD_DIR:-/tmp/fl-build} WORK=/tmp/fl-run STATE=/tmp/fl-state
mkdir -p "$OUT" "$WORK" "$STATE/logs"
T0=$(date +%s) BUILT=0
log() { echo "[$(( $(date +%s) - T0 ))s] $*"; }

# --- Build (THERE): the .debs into $DEPS, FFmpeg with NVDEC into $FFNV, Frameline into $BUILD.
build() {
  local t b=$STATE/build.json err=""
  [ -d "$G/a/debs" ] && [ -d "$G/a/ffmpeg" ] || { err=".gpu/a is not here: carry it (bench/gpu/prepare.sh makes it)"; }
  local deps_s=0 ffmpeg_s=0 configure_s=0 compile_s=0
  if [ -z "$err" ]; then
    t=$(date +%s); log "unpacking $(ls "$G"/a/debs/*.deb | wc -l) .debs into $DEPS"
    rm -rf "$DEPS"; mkdir -p "$DEPS/rt" "$DEPS/pc-stubs"
    for d in "$G"/a/debs/*.deb "$G"/a/ffmpeg/pkgconf*.deb "$G"/a/ffmpeg/libpkgconf3_*.deb; do dpkg -x "$d" "$DEPS"; done
    local L=$DEPS/usr/lib/x86_64-linux-gnu
    # What dpkg's maintainer scripts would have made: BLAS/LAPACK alternatives, and .so links for libraries
    # whose -dev package is not carried (tesseract.pc names -larchive -lcurl).
    for x in blas lapack; do ln -sf $x/lib$x.so.3 "$L/lib$x.so.3"; ln -sf $x/lib$x.so.3 "$L/lib$x.so"; done
    for f in "$L"/lib*.so.*; do n=${f##*/}; [ -e "$L/${n%%.so.*}.so" ] || ln -s "$n" "$L/${n%%.so.*}.so"; done
    # The .pc files and faiss's CMake file name /usr: point them at $DEPS.
    find "$DEPS" -name '*.pc' -exec sed -i -E "s#^(prefix|exec_prefix|libdir|includedir)=/usr#\1=$DEPS/usr#" {} +
    sed -i "s#/usr/lib/x86_64-linux-gnu/lib\(blas\|lapack\)\.so#$L/lib\1.so#g" "$L/cmake/faiss/faiss-targets.cmake"
    # cpp-httplib.pc's Requires.private (openssl, zlib, brotli): only for static links; empty ones where the host has none.
    export PKG_CONFIG_PATH=$FFNV/lib/pkgconfig:$L/pkgconfig:$DEPS/usr/share/pkgconfig:$DEPS/pc-stubs
    export PATH=$DEPS/usr/bin:$PATH
    for m in openssl zlib libbrotlicommon libbrotlidec libbrotlienc; do
      LD_LIBRARY_PATH=$L pkgconf --exists $m 2>/dev/null ||
        printf 'Name: %s\nDescription: stub (bench/gpu/run.sh)\nVersion: 3.0.0\nLibs:\nCflags:\n' $m > "$DEPS/pc-stubs/$m.pc"
    done
    # At run time only the libraries the host lacks: a Debian library must not shadow a host one that torch, python
    # or the host's other libraries were built against.
    ldconfig -p > "$STATE/ldconfig.txt"
    while read -r f; do
      so=$(readelf -d "$f" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
      [ -n "$so" ] && ! grep -q "^[[:space:]]$so " "$STATE/ldconfig.txt" && ln -sf "$f" "$DEPS/rt/$so"
    done < <(find "$DEPS/usr/lib" -name 'lib*.so.*' -type f)
    deps_s=$(( $(date +%s) - t )); log "deps: $(ls "$DEPS/rt" | wc -l) libraries the host lacks -> $DEPS/rt"

    t=$(date +%s); log "FFmpeg with NVDEC -> $FFNV"
    if [ "${FL_SKIP_FFMPEG:-0}" = 1 ] && [ -x "$FFNV/bin/ffmpeg" ]; then
      log "FL_SKIP_FFMPEG=1: using the FFmpeg already in $FFNV"
    elif ! bash "$G/a/build-ffmpeg-nvdec.sh" "$G/a/ffmpeg" "$FFNV" > "$STATE/logs/ffmpeg-build.log" 2>&1; then
      err="FFmpeg build failed: $(tail -1 "$STATE/logs/ffmpeg-build.log")"
    fi
    cp /tmp/ffnv-build/configure.log "$STATE/logs/ffmpeg-configure.log" 2>/dev/null
    ffmpeg_s=$(( $(date +%s) - t ))
  fi
  if [ -z "$err" ]; then
    t=$(date +%s)
    local TORCH_PREFIX; TORCH_PREFIX=${FL_TORCH_PREFIX:-$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')}
    # The CUDA toolkit torch's CMake files look for (nvcc: they enable CUDA), and NVTX3's headers: torch's
    # cuda.cmake looks for them under the *calling* project's third_party/ and falls back to nvToolsExt, which
    # CUDA 13 no longer has; naming the folder that holds nvtx3/ skips that search.
    local NVCC CUDA_ROOT NVTX=""; NVCC=$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null || true)
    CUDA_ROOT=${CUDA_HOME:-$( [ -n "$NVCC" ] && dirname "$(dirname "$(readlink -f "$NVCC")")" || echo /usr/local/cuda)}
    for d in "$CUDA_ROOT/include" "$CUDA_ROOT/targets/x86_64-linux/include" \
             $(python3 -c 'import nvidia,os;print(" ".join(os.path.join(p,"nvtx","include") for p in nvidia.__path__))' 2>/dev/null); do
      [ -f "$d/nvtx3/nvToolsExt.h" ] && { NVTX=$d; break; }
    done
    log "configure against $TORCH_PREFIX (CUDA ${CUDA_ROOT}, nvcc ${NVCC:-none}, nvtx3 in ${NVTX:-not found})"
    export LD_LIBRARY_PATH=$FFNV/lib:$DEPS/rt${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    if ! TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0} cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DFRAMELINE_BUILD_UI=OFF -DFRAMELINE_BUILD_TESTS=OFF -DFRAMELINE_WITH_POSTGRES=OFF \
        -DCMAKE_PREFIX_PATH="$DEPS/usr;$DEPS/usr/lib/x86_64-linux-gnu/cmake;$TORCH_PREFIX" \
        -DPKG_CONFIG_EXECUTABLE="$DEPS/usr/bin/pkgconf" -DCUDAToolkit_ROOT="$CUDA_ROOT" -DCMAKE_POLICY_VERSION_MINIMUM=3.5 \
        ${NVCC:+-DCMAKE_CUDA_COMPILER="$NVCC" -DCMAKE_CUDA_ARCHITECTURES=90} ${NVTX:+-Dnvtx3_dir="$NVTX"} \
        -DCMAKE_CXX_FLAGS="-isystem $DEPS/usr/include/x86_64-linux-gnu" \
        -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$DEPS/rt:$FFNV/lib:$DEPS/usr/lib/x86_64-linux-gnu" \
        > "$STATE/logs/cmake.log" 2>&1; then
      err="cmake failed: $(grep -m1 -A3 'CMake Error' "$STATE/logs/cmake.log" | tr '\n' ' ' | cut -c1-400)"
    fi
    configure_s=$(( $(date +%s) - t ))
  fi
  if [ -z "$err" ]; then
    t=$(date +%s); local targets=${FL_TARGETS:-frameline-cli}; log "ninja -j${FL_JOBS:-16} $targets"
    if ! ninja -C "$BUILD" -j"${FL_JOBS:-16}" $targets > "$STATE/logs/ninja.log" 2>&1; then
      err="build failed: $(grep -m1 -E 'error|undefined reference' "$STATE/logs/ninja.log" | cut -c1-400)"
    fi
    compile_s=$(( $(date +%s) - t ))
  fi
  python3 - "$b" "$err" $deps_s $ffmpeg_s $configure_s $compile_s <<'EOF'
import json, sys
b, err, *t = sys.argv[1:]
d = {'ok': not err, 'deps_s': int(t[0]), 'ffmpeg_build_s': int(t[1]), 'configure_s': int(t[2]), 'compile_s': int(t[3])}
if err: d['error'] = err
json.dump(d, open(b, 'w'), indent=2)
EOF
  cp "$b" "$OUT/build.json"
  tar czf "$OUT/build-logs.tar.gz" -C "$STATE" logs 2>/dev/null
  log "build: ${err:-ok}"
  BUILT=1
  [ -z "$err" ]
}

# --- Measure: models into the cache dir, the title, then measure.py.
measure() {
  local FFMPEG CLI STREAMS HWACCEL DEVICE CHILD_LD CLIP=$G/a/clip.mp4 LOOPS STAGES=decode,shots,ingest,zoo
  [ -f "$CLIP" ] || CLIP=$G/b/clip.mp4
  if [ $LOCAL = 1 ]; then
    local B=${FL_BUILD:-$ROOT/build}
    FFMPEG=$(command -v ffmpeg) CLI=$B/app/frameline-cli STREAMS=${FL_STREAMS:-1,2} HWACCEL=none DEVICE=cpu CHILD_LD=""
    LOOPS=${FL_TITLE_LOOPS:-0}
    OUT=${OUT:-/tmp/fl-gpu-out}
  else
    if [ ! -x "$BUILD/app/frameline-cli" ] && [ "$BUILT" = 0 ]; then
      log "no build in $BUILD (a fresh machine?): building first"
      build || true
    fi
    FFMPEG=$FFNV/bin/ffmpeg CLI=$BUILD/app/frameline-cli
    STREAMS=${FL_STREAMS:-1,7} HWACCEL=cuda DEVICE=cuda LOOPS=${FL_TITLE_LOOPS:-12}
    CHILD_LD=$FFNV/lib:$DEPS/rt
    # The zoo: decompressed into the cache dir the converter would have filled; the manifests come with the tree.
    export XDG_CACHE_HOME=/tmp/fl-cache XDG_DATA_HOME=/tmp/fl-data FRAMELINE_MODELS_DIR=$ROOT/models
    local M=$XDG_CACHE_HOME/frameline/models; mkdir -p "$M" "$XDG_DATA_HOME"
    for f in "$G"/b/models/*.pt.xz; do
      # Without the zoo (call 1 carries .gpu/a only): decode-only and shots now, everything in call 2.
      [ -e "$f" ] || { log "no models in .gpu/b/models: decode-only and shots only"; STAGES=decode,shots; break; }
      n=$(basename "$f" .xz)
      [ -s "$M/$n" ] || python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],"wb"))' "$f" "$M/$n"
    done
    cp "$G"/b/models/*.json "$M/" 2>/dev/null
    export TESSDATA_PREFIX=$DEPS/usr/share/tesseract-ocr/5/tessdata
  fi
  # The title: the clip, looped by stream copy (no re-encode) so that every stage runs long enough.
  local TITLE=$WORK/title.mp4
  if [ ! -f "$CLIP" ]; then
    log "no clip at $CLIP: carry .gpu/b (bench/gpu/prepare.sh makes it)"
  elif [ $LOCAL = 1 ]; then
    "$FFMPEG" -nostdin -v error -y -i "$CLIP" -t "${FL_TITLE_SECONDS:-10}" -c copy "$TITLE"
  else
    LD_LIBRARY_PATH=$CHILD_LD "$FFMPEG" -nostdin -v error -y -stream_loop "$LOOPS" -i "$CLIP" -c copy "$TITLE"
  fi
  rm -rf "$STATE/logs/run"; mkdir -p "$STATE/logs/run"
  log "measuring: streams $STREAMS, title $(du -h "$TITLE" 2>/dev/null | cut -f1)"
  local merge=() rc
  [ -f "$STATE/build.json" ] && [ $LOCAL = 0 ] && merge=(--merge "build=$STATE/build.json")
  python3 "$ROOT/bench/gpu/measure.py" --mode "$([ $LOCAL = 1 ] && echo local || echo gpu)" \
    --ffmpeg "$FFMPEG" --cli "$CLI" --title "$TITLE" --streams "$STREAMS" \
    --hwaccel "$HWACCEL" --device "$DEVICE" --decoder "$([ $LOCAL = 1 ] && echo software || echo nvdec)" \
    --ingest-args="--skip transcript" --zoo-batches "$([ $LOCAL = 1 ] && echo 1,8 || echo 1,64,256)" \
    --budget-s "${FL_BUDGET_S:-270}" --child-ld-library-path "$CHILD_LD" --work "$WORK" --stages "$STAGES" \
    --logs "$STATE/logs/run" --out "$OUT/gpu-report.json" "${merge[@]}"
  rc=$?
  tar czf "$OUT/logs.tar.gz" -C "$STATE/logs" run 2>/dev/null
  log "report: $OUT/gpu-report.json (measure.py exit $rc)"
  return $rc
}

case $MODE in
  build) build ;;
  measure) measure ;;
  all) build; if [ "${FL_PARTIAL:-1}" = 0 ] && ! ls "$G"/b/models/*.pt.xz >/dev/null 2>&1; then
         log "FL_PARTIAL=0: no measurements without the zoo"; else measure; fi ;;
esac
