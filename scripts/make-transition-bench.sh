#!/usr/bin/env bash
# Builds the shot-transition benchmark: clips cut from REAL footage with exact, known ground truth.
#   usage: scripts/make-transition-bench.sh OUTDIR
# Needs $FRAMELINE_TESTDATA/pyscenedetect/{testvideo,issue-134-rotate}.mp4 and ffmpeg with libx264.
# Writes OUTDIR/NAME.mp4 + OUTDIR/NAME.truth.json for each clip (640x360, 25 fps constant, H.264):
#   {"frames":N,"transitions":[{"kind":"cut|dissolve|fade","start":S,"end":E,"frame":F}],
#    "no_cut_events":[{"kind":"flash|pan","start":S,"end":E}]}
# Frames are 0-based in decoder order. A cut: S=E=F = first frame of the new shot. A gradual transition: S..E are
# the frames (inclusive) whose picture is neither the pure old nor the pure new shot; F = (S+E)/2 (the middle).
# A flash/pan event: the frames inside one shot where the flash or the camera move happens; a boundary there is wrong.
# The truth formulas below were checked against per-frame luma (signalstats YAVG/YDIF) of the output: the mixed
# frames are exactly S..E, and the frames next to them are pure.
#
# Source material (never across a source transition; frame ranges checked by eye on tiled frames and by luma stats):
#   testvideo.mp4 (720p stills of photos, slight coding noise): L leaf on rock 30-179, D deer 240-334,
#     R dark rock with leaves 425-528, G grille texture 566-664 (565 has a coding blip).
#   issue-134-rotate.mp4 (GoldenEye film, 1280x544, rotation metadata ignored: stored picture is landscape):
#     F1 computer screen 0-89, F2 typing on screen 90-209, F3 two people 210-239.
# Each source frame becomes one output frame (re-timed to 25 fps, nothing dropped or duplicated).
set -euo pipefail
out="${1:?usage: make-transition-bench.sh OUTDIR}"
src="${FRAMELINE_TESTDATA:?set FRAMELINE_TESTDATA (../shared/testdata)}/pyscenedetect"
for f in testvideo.mp4 issue-134-rotate.mp4; do
  [[ -f "$src/$f" ]] || { echo "make-transition-bench: missing $src/$f" >&2; exit 1; }
done
mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/transition-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
W=640 H=360 FPS=25
ff() { ffmpeg -hide_banner -nostdin -v error -y "$@"; }
lossless=(-c:v libx264 -preset ultrafast -qp 0)

# 1. Source shots, lossless, full resolution, re-timed to 25 fps (one output frame per source frame).
retime="settb=1/$FPS,setpts=N,fps=$FPS"  # fps: exact here (one frame per tick), it sets the link rate xfade checks
ff -i "$src/testvideo.mp4" -filter_complex "[0:v]split=4[a][b][c][d];
  [a]trim=start_frame=30:end_frame=180,${retime}[L]; [b]trim=start_frame=240:end_frame=335,${retime}[D];
  [c]trim=start_frame=425:end_frame=529,${retime}[R]; [d]trim=start_frame=566:end_frame=665,${retime}[G]" \
  -map '[L]' "${lossless[@]}" "$work/L.mkv" -map '[D]' "${lossless[@]}" "$work/D.mkv" \
  -map '[R]' "${lossless[@]}" "$work/R.mkv" -map '[G]' "${lossless[@]}" "$work/G.mkv"
ff -noautorotate -i "$src/issue-134-rotate.mp4" -filter_complex "[0:v]split=3[a][b][c];
  [a]trim=start_frame=0:end_frame=90,${retime}[F1]; [b]trim=start_frame=90:end_frame=210,${retime}[F2];
  [c]trim=start_frame=210:end_frame=240,${retime}[F3]" \
  -map '[F1]' "${lossless[@]}" "$work/F1.mkv" -map '[F2]' "${lossless[@]}" "$work/F2.mkv" \
  -map '[F3]' "${lossless[@]}" "$work/F3.mkv"

# Views: how a source becomes a 640x360 picture. Photos are 1280x720; film is 1280x544 (centre 16:9 crop).
full_photo="scale=$W:$H"
full_film="crop=968:544,scale=$W:$H"
zoom_left="crop=iw/2:ih/2:0:ih/4,scale=$W:$H"       # a closer framing of the same scene: a real cut, but similar
zoom_right="crop=iw/2:ih/2:iw/2:ih/4,scale=$W:$H"
film_zoom_left="crop=484:272:100:136,scale=$W:$H"
film_zoom_right="crop=484:272:696:136,scale=$W:$H"
letterbox="scale=$W:272,pad=$W:$H:0:44:black"       # 2.35:1 picture with black bars
film_letterbox="$letterbox"

# 2. The clip builder. A clip is a list of segments joined by cuts, dissolves or fades; truth is computed as the
# graph is built. Segment i starts at output frame seg_start[i]; `total` is the output length so far.
clip_begin() {
  name=$1; inputs=(); chains=(); joins=(); seg_len=(); seg_start=(); total=0; truth=(); events=()
}
# seg SOURCE FIRST COUNT [VIEW] [JOIN...]: append COUNT frames of SOURCE from FIRST, joined to the previous segment
# with JOIN: cut | dissolve D | xfade black|white D | fade black|white K HOLD (D, K: frames that are mixed).
seg() {
  local source=$1 first=$2 count=$3 view=${4:-} ; shift 4 || shift $#
  local join=("${@:-cut}")
  local i=${#chains[@]}
  [[ -n "$view" ]] || { [[ $source == F* ]] && view=$full_film || view=$full_photo; }
  if [[ $source == still:* ]]; then   # one frame held (for pans over a photo)
    inputs+=(-loop 1 -framerate "$FPS" -i "$work/${source#still:}.png")
  else
    inputs+=(-i "$work/$source.mkv")
  fi
  chains[i]="trim=start_frame=$first:end_frame=$((first + count)),$retime,$view,setsar=1,format=yuv420p"
  seg_len[i]=$count
  if (( i == 0 )); then seg_start[0]=0; total=$count; joins[0]=""; return; fi
  case ${join[0]} in
    cut)
      seg_start[i]=$total; joins[i]="cut"
      truth+=("{\"kind\":\"cut\",\"start\":$total,\"end\":$total,\"frame\":$total}")
      total=$((total + count)) ;;
    dissolve|xfade)
      # xfade over D+1 frames: the first is pure A (progress 1), the next D are mixed, then pure B.
      # A film dissolve is a cross-fade: xfade "fade" (xfade "dissolve" is a random per-pixel dither, not a film look).
      local kind=dissolve transition=fade d=${join[1]}
      if [[ ${join[0]} == xfade ]]; then kind=fade; transition=fade${join[1]}; d=${join[2]}; fi
      local off=$((total - d - 1)) s e
      s=$((off + 1)); e=$((off + d))
      seg_start[i]=$off; joins[i]="xfade=transition=$transition:duration=$(fsec $((d + 1))):offset=$(fsec $off)"
      truth+=("{\"kind\":\"$kind\",\"start\":$s,\"end\":$e,\"frame\":$(((s + e) / 2))}")
      total=$((off + count)) ;;
    fade)
      # Fade out: the last K frames of A darken (fade's first frame is still full, hence K+1); HOLD frames of
      # colour; fade in: B's frames 0..K-1 (frame 0 is pure colour) brighten.
      local color=${join[1]} k=${join[2]} hold=${join[3]} prev=$((i - 1)) s e
      chains[prev]+=",fade=t=out:start_frame=$((seg_len[prev] - k - 1)):nb_frames=$((k + 1)):color=$color"
      chains[i]+=",fade=t=in:start_frame=0:nb_frames=$k:color=$color"
      s=$((total - k)); seg_start[i]=$((total + hold)); e=$((seg_start[i] + k - 1))
      joins[i]="fade:$color:$hold"
      truth+=("{\"kind\":\"fade\",\"start\":$s,\"end\":$e,\"frame\":$(((s + e) / 2))}")
      total=$((seg_start[i] + count)) ;;
    *) echo "make-transition-bench: bad join ${join[*]}" >&2; exit 1 ;;
  esac
}
fsec() { printf '%d.%02d' $(($1 / FPS)) $(($1 % FPS * 100 / FPS)); }  # frames -> seconds (exact at 25 fps)
# flash AT LEN STYLE: LEN frames from frame AT of the last segment brightened. STYLE: white (a white frame), or
# a brightness offset (0.3 = partial flash); several LEN with "decay" fall off like a photo flash.
flash() {
  local at=$1 len=$2 style=$3 i=$((${#chains[@]} - 1)) j
  for ((j = 0; j < len; ++j)); do
    local b=$style
    [[ $style == decay ]] && b=$(awk -v j="$j" -v n="$len" 'BEGIN{printf "%.2f", 0.7*(n-j)/n}')
    if [[ $b == white ]]; then chains[i]+=",drawbox=c=white:t=fill:enable='eq(n\,$((at + j)))'"
    else chains[i]+=",eq=brightness=$b:enable='eq(n\,$((at + j)))'"; fi
  done
  local s=$((seg_start[i] + at))
  events+=("{\"kind\":\"flash\",\"start\":$s,\"end\":$((s + len - 1))}")
}
# pan: the last segment is a camera move; its frames but the first and last two (near the cuts) are the event.
pan() {
  local i=$((${#chains[@]} - 1))
  events+=("{\"kind\":\"pan\",\"start\":$((seg_start[i] + 2)),\"end\":$((seg_start[i] + seg_len[i] - 3))}")
}
clip_end() {
  local graph="" cur="s0" i n=${#chains[@]}
  for ((i = 0; i < n; ++i)); do graph+="[$i:v]${chains[i]}[s$i];"; done
  for ((i = 1; i < n; ++i)); do
    case ${joins[i]} in
      cut) graph+="[$cur][s$i]concat=n=2:v=1:a=0,${retime}[c$i];" ;;
      xfade*) graph+="[$cur][s$i]${joins[i]},${retime}[c$i];" ;;
      fade:*)
        local color hold; IFS=: read -r _ color hold <<<"${joins[i]}"
        if ((hold > 0)); then
          graph+="color=c=$color:s=${W}x$H:r=$FPS,trim=end_frame=$hold,format=yuv420p,${retime}[h$i];"
          graph+="[$cur][h$i][s$i]concat=n=3:v=1:a=0,${retime}[c$i];"
        else
          graph+="[$cur][s$i]concat=n=2:v=1:a=0,${retime}[c$i];"
        fi ;;
    esac
    cur="c$i"
  done
  graph+="[$cur]null[v]"
  ff "${inputs[@]}" -filter_complex "$graph" -map '[v]' -r $FPS -c:v libx264 -preset veryfast -crf 20 \
    -pix_fmt yuv420p -map_metadata -1 -fflags +bitexact -flags:v +bitexact "$out/$name.mp4"
  local IFS=,
  printf '{"frames":%d,"transitions":[%s],"no_cut_events":[%s]}\n' "$total" "${truth[*]}" "${events[*]}" \
    >"$out/$name.truth.json"
}

# Stills for pans: one frame of each photo at full resolution.
for s in L D G; do ff -i "$work/$s.mkv" -vf "select=eq(n\,40)" -frames:v 1 "$work/$s.png"; done

# 3. The clips. Segments >= 25 frames; every transition >= 15 frames of pure picture from the next.

# Hard cuts between shots of real film (moving picture, similar colours), incl. closer framings of the same scene.
clip_begin cuts_film
seg F1 0 30; seg F2 0 30; seg F3 0 30; seg F1 30 30; seg F2 30 30 "$film_zoom_left"; seg F1 60 30 "$film_zoom_right"
seg F2 60 30; seg F3 0 30 "$film_zoom_right"; seg F2 90 30
clip_end

# Hard cuts between photos and closer framings of them (same scene, different shot).
clip_begin cuts_photos
seg L 0 30; seg D 0 30; seg R 0 30; seg G 0 30; seg L 30 30 "$zoom_left"; seg D 30 30 "$zoom_right"
seg R 30 30 "$zoom_left"; seg G 30 30 "$zoom_right"; seg L 60 30; seg R 60 30; seg D 60 30; seg L 90 30 "$zoom_right"
clip_end

# Cross-dissolves of 10, 20 and 30 frames, film to photo, photo to photo and film to film.
clip_begin dissolves
seg F1 0 45; seg D 0 60 "" dissolve 10; seg F2 0 75 "" dissolve 20; seg R 0 80 "" dissolve 30
seg L 0 60 "" dissolve 10; seg G 0 75 "" dissolve 20; seg F1 0 80 "" dissolve 30; seg F2 30 60 "" dissolve 10
seg D 20 70 "$zoom_left" dissolve 20; seg R 20 80 "$zoom_right" dissolve 30; seg F3 0 30 "$film_zoom_left" dissolve 20
clip_end

# Fades through black: fade out / hold / fade in, and xfade's fadeblack.
clip_begin fades_black
seg F1 0 50; seg L 0 60 "" fade black 10 0; seg F2 0 70 "" fade black 15 5; seg D 0 70 "" fade black 20 10
seg R 0 70 "" xfade black 20; seg F3 0 30 "" xfade black 12
clip_end

# Fades through white (the detector must not take white frames for a flash).
clip_begin fades_white
seg F2 0 50; seg G 0 60 "" fade white 10 0; seg F1 0 70 "" fade white 15 5; seg R 0 70 "" fade white 20 10
seg D 0 70 "" xfade white 20; seg F3 0 30 "" xfade white 12
clip_end

# Flashes inside shots (camera flashes, lightning): white frames, partial brightening, decaying 3-frame flashes.
clip_begin flashes
seg F2 0 120; flash 25 1 white; flash 55 2 0.5; flash 85 3 decay
seg L 0 100; flash 30 1 0.35; flash 60 2 white
seg F1 0 90; flash 20 3 white; flash 50 1 0.6
seg R 0 60; flash 25 1 decay
clip_end

# Camera moves across one picture: slow (2-3 px/frame at 640 wide) and fast (20 px/frame) pans; not cuts.
clip_begin pans
seg still:L 0 80 "crop=960:540:n*4:90,scale=$W:$H"; pan
seg still:D 0 32 "crop=640:360:n*20:180,scale=$W:$H"; pan
seg F2 0 110 "crop=680:383:n*5:80,scale=$W:$H"; pan
seg still:G 0 32 "crop=640:360:640-n*20:200,scale=$W:$H"; pan
seg F1 0 60 "crop=600:338:n*11:100,scale=$W:$H"; pan
clip_end

# Cuts between dark scenes (mean luma 22-44; black is 16): much of the picture is near black.
clip_begin dark_cuts
seg L 0 30 "$full_photo,eq=brightness=-0.3"; seg R 0 30 "$full_photo,eq=brightness=-0.3"
seg F3 0 30 "$full_film,eq=brightness=-0.15"; seg D 0 30 "$full_photo,eq=brightness=-0.2"
seg G 0 30 "$full_photo,eq=brightness=-0.25"; seg F1 0 40 "$full_film,eq=brightness=-0.1"
seg L 30 30 "$zoom_left,eq=brightness=-0.3"; seg F2 0 40 "$full_film,eq=brightness=-0.08"
clip_end

# Letterboxed picture (black bars top and bottom): cuts and a dissolve between letterboxed shots.
clip_begin letterbox
seg F1 0 30 "$film_letterbox"; seg F2 0 30 "$film_letterbox"; seg L 0 30 "$letterbox"; seg D 0 30 "$letterbox"
seg F3 0 30 "$film_letterbox"; seg R 0 60 "$letterbox" dissolve 20; seg G 0 30 "$letterbox"
seg F2 40 30 "$film_letterbox"
clip_end

echo "make-transition-bench: clips in $out" >&2
