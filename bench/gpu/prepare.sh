#!/bin/bash
# Fills .gpu/ (ignored) with what the GPU machine needs for bench/gpu/run.sh and lacks: Debian's FFmpeg 5.1 source and
# the small .debs of build-ffmpeg-nvdec.sh, the .debs of the libraries the core links (headers, CMake/pkg-config
# files and their runtime libraries), the converted model zoo (xz), and a 1080p H.264 test title made from real
# footage. Runs HERE (Debian 12 with its apt registry), from anywhere in the checkout:
#   bash bench/gpu/prepare.sh [--clip-seconds S] [--models DIR] [--closure-from BINARY]
# Prints the size of each part and whether .gpu/a (call 1: build, decode-only, shots) and .gpu/b (call 2: the zoo,
# all measurements) each fit the device
# tool's 64 MiB per call beside the working tree. Re-running it re-uses what is already there (delete .gpu to redo).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
CLIP_SECONDS=10
MODELS=${XDG_CACHE_HOME:-$HOME/.cache}/frameline/models
CLOSURE_FROM=$ROOT/build/app/frameline-cli
TESTDATA=${FRAMELINE_TESTDATA:-$ROOT/../shared/testdata}
while [ $# -gt 0 ]; do
  case $1 in
    --clip-seconds) CLIP_SECONDS=$2; shift 2 ;;
    --models) MODELS=$2; shift 2 ;;
    --closure-from) CLOSURE_FROM=$2; shift 2 ;;
    *) echo "usage: bash bench/gpu/prepare.sh [--clip-seconds S] [--models DIR] [--closure-from BINARY]" >&2; exit 2 ;;
  esac
done

mkdir -p .git/info
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
G=$ROOT/.gpu
mkdir -p "$G/a/ffmpeg" "$G/a/debs" "$G/b/models"

# --- 1. FFmpeg: Debian's source tarball and the .debs build-ffmpeg-nvdec.sh unpacks (a private apt state with
# deb-src lines: the system's sources and caches stay as they are).
cp "$ROOT/../shared/device/build-ffmpeg-nvdec.sh" "$G/a/build-ffmpeg-nvdec.sh" 2>/dev/null ||
  [ -f "$G/a/build-ffmpeg-nvdec.sh" ] || { echo "prepare: ../shared/device/build-ffmpeg-nvdec.sh not found" >&2; exit 1; }
if ! ls "$G"/a/ffmpeg/ffmpeg_*.orig.tar.xz >/dev/null 2>&1; then
  S=/tmp/fl-apt-src; mkdir -p $S/lists/partial $S/parts
  cat > $S/sources.list <<'EOF'
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-updates main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
EOF
  APT_SRC=(-o Dir::Etc::SourceList=$S/sources.list -o Dir::Etc::SourceParts=$S/parts -o Dir::State::Lists=$S/lists
           -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
  apt-get -qq "${APT_SRC[@]}" update
  # The version installed here (the one whose binaries made the clip and the CPU numbers).
  V=$(dpkg-query -W -f '${Version}' ffmpeg 2>/dev/null || true)
  (cd "$G/a/ffmpeg" && apt-get -qq "${APT_SRC[@]}" source --download-only "ffmpeg${V:+=$V}")
  rm -f "$G"/a/ffmpeg/*.dsc "$G"/a/ffmpeg/*.debian.tar.* "$G"/a/ffmpeg/*.asc
fi
(cd "$G/a/ffmpeg" && for p in libffmpeg-nvenc-dev nasm pkgconf pkgconf-bin libpkgconf3; do
   ls ${p}_*.deb >/dev/null 2>&1 || apt-get -qq download $p; done)

# --- 2. The core's libraries: -dev packages (headers, .so links, .pc and CMake files) and the runtime libraries
# they need, transitively (lib_closure.py walks the ELF dependencies of a frameline-cli built here, leaving out
# FFmpeg, LibTorch and the C/C++ runtime that the GPU machine has). run.sh unpacks them with dpkg -x and puts on
# LD_LIBRARY_PATH only the libraries the host lacks.
# (libblas-dev and liblapack-dev are left out: 4.6 MiB of static libraries for two .so links that run.sh makes.)
DEV="libsqlite3-dev libturbojpeg0-dev libxxhash-dev nlohmann-json3-dev libcli11-dev libfaiss-dev libtesseract-dev
 libleptonica-dev libpocketsphinx-dev libsphinxbase-dev libebur128-dev libaubio-dev libcpp-httplib-dev
 tesseract-ocr-eng"  # the English model of on-screen text (ingest's OCR step); not PocketSphinx's (24 MiB, no speech in the clip)
# What lib_closure.py printed for frameline-cli on 2026-11-29 (used when no local build is there).
RUNTIME="libacl1 libarchive13 libaubio5 libblas3 libbrotli1 libbz2-1.0 libcom-err2 libcpp-httplib0.11 libcurl4
 libdeflate0 libebur128-1 libffi8 libfftw3-single3 libflac12 libgfortran5 libgif7 libgmp10 libgnutls30
 libgssapi-krb5-2 libhogweed6 libicu72 libidn2-0 libjbig0 libjpeg62-turbo libk5crypto3 libkeyutils1 libkrb5-3
 libkrb5support0 liblapack3 libldap-2.5-0 liblept5 liblerc4 liblz4-1 liblzma5 libmp3lame0 libmpg123-0 libnettle8
 libnghttp2-14 libogg0 libopenjp2-7 libopus0 libp11-kit0 libpng16-16 libpocketsphinx3 libpsl5 libquadmath0 librtmp1
 libsamplerate0 libsasl2-2 libsndfile1 libsphinxbase3 libsqlite3-0 libssh2-1 libssl3 libtasn1-6 libtesseract5
 libtiff6 libturbojpeg0 libunistring2 libvorbis0a libvorbisenc2 libwebp7 libwebpmux3 libxml2 libxxhash0 libzstd1"
if [ -x "$CLOSURE_FROM" ]; then
  RUNTIME=$(python3 "$ROOT/bench/gpu/lib_closure.py" "$CLOSURE_FROM")
fi
# libpq5: the GPU build has FRAMELINE_WITH_POSTGRES=OFF. The rest of Ubuntu 24.04's base (libc, zlib, ...) is left
# out by lib_closure.py itself.
RUNTIME=$(echo $RUNTIME | tr ' ' '\n' | grep -vx 'libpq5' | sort -u)
rm -f "$G"/a/debs/libblas-dev_*.deb "$G"/a/debs/liblapack-dev_*.deb
(cd "$G/a/debs" && for p in $DEV $RUNTIME; do
   ls ${p}_*.deb >/dev/null 2>&1 || echo $p; done | xargs -r apt-get -qq download)
echo $DEV $RUNTIME | tr ' ' '\n' | sort -u > "$G/a/debs/PACKAGES"
# Slimmer -dev packages: a shared build uses none of their static libraries (faiss's is the only form Debian ships,
# kept) nor their docs. Repacked as .debs, so that run.sh unpacks everything alike (~4 MiB less to carry).
for d in "$G"/a/debs/*-dev_*.deb; do
  case $d in *libfaiss-dev_*) continue ;; esac
  grep -qxF "$(basename "$d")" "$G/a/debs/SLIMMED" 2>/dev/null && continue
  t=$(mktemp -d); dpkg-deb -R "$d" "$t/p"
  find "$t/p" -type f \( -name '*.a' -o -path '*/usr/share/doc/*' \) -delete
  rm -f "$t/p/DEBIAN/md5sums"
  dpkg-deb -Zxz -b "$t/p" "$d" >/dev/null; rm -rf "$t"
  basename "$d" >> "$G/a/debs/SLIMMED"
done

# --- 3. The model zoo, xz-compressed (some converted files halve), with the converter's stamps.
for f in "$MODELS"/*.pt; do
  n=$(basename "$f")
  [ "$G/b/models/$n.xz" -nt "$f" ] || nice -n 10 xz -6 -T2 -c "$f" > "$G/b/models/$n.xz"
  cp "${f%.pt}.json" "$G/b/models/" 2>/dev/null || true
done

# --- 4. The test clip: 1080p H.264 at ~8 Mb/s from real footage (PySceneDetect's testvideo.mp4: photographs with
# cuts and fades, 1280x720, 24 s; its first 10 s by default), upscaled, with light film grain so that the bits are
# spent as on film. In .gpu/a, so that call 1 can measure decode-only and shots; run.sh loops it into a longer title.
CLIP=$G/a/clip.mp4
if [ ! -f "$CLIP" ]; then
  nice -n 10 ffmpeg -nostdin -v error -y -i "$TESTDATA/pyscenedetect/testvideo.mp4" -t "$CLIP_SECONDS" \
    -vf "scale=1920:1080:flags=lanczos,noise=alls=6:allf=t,format=yuv420p" -an \
    -c:v libx264 -preset veryfast -profile:v high -b:v 8M -maxrate 9M -bufsize 16M -g 60 -movflags +faststart "$CLIP"
fi

# --- Sizes.
mib() { du -sb "$@" | awk '{s+=$1} END {printf "%.1f", s/1048576}'; }
TREE=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | awk '{printf "%.1f", $1/1048576}')
UNTRACKED=$(git ls-files -z --others --exclude-standard | xargs -0 -r du -cb 2>/dev/null | tail -1 | awk '{printf "%.1f", $1/1048576}')
echo "parts (MiB):"
echo "  ffmpeg source + build debs  $(mib "$G"/a/ffmpeg)   ($(ls "$G"/a/ffmpeg | tr '\n' ' '))"
echo "  library debs                $(mib "$G"/a/debs)   ($(ls "$G"/a/debs/*.deb | wc -l) packages)"
echo "  clip.mp4                    $(mib "$CLIP")   ($(ffprobe -v error -select_streams v -show_entries stream=width,height,nb_frames,bit_rate -of csv=p=0 "$CLIP"))"
echo "  models (xz)                 $(mib "$G"/b/models)   (uncompressed $(mib "$MODELS"/*.pt))"
echo "  working tree (tracked + untracked, not ignored): ${TREE} + ${UNTRACKED:-0}"
A=$(mib "$G"/a); B=$(mib "$G"/b)
echo "call 1 carries .gpu/a: $A MiB + tree = $(echo "$A + $TREE + ${UNTRACKED:-0}" | bc) MiB (limit 64)"
echo "call 2 carries .gpu/b: $B MiB + tree = $(echo "$B + $TREE + ${UNTRACKED:-0}" | bc) MiB (limit 64)"
for x in "$A" "$B"; do
  if [ "$(echo "$x + $TREE + ${UNTRACKED:-0} > 63.5" | bc)" = 1 ]; then echo "prepare: a part is over the 64 MiB limit" >&2; exit 1; fi
done
