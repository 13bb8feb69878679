#!/usr/bin/env bash
# Generates Frameline's sample title with FFmpeg: real structure with known ground truth.
#   usage: scripts/make-sample.sh OUT.mp4
# 25 fps, 640x360, 24.4 s (610 frames). Ground truth (0-based frames; a shot starts at its first frame):
#   shot 0  mandelbrot zoom      frames   0-124
#   shot 1  game of life         hard cut at 125 (5.0 s); fades out over 240-259
#           black                260-269
#   shot 2  gradients            fades in over 270-289 (a fade through black)
#   shot 3  sierpinski carpet    cross-dissolve (a linear mix) over 375-399 (1 s)
#   shot 4  cellular automaton   hard cut at 500 (20.0 s)
# Audio: speech (espeak-ng, when installed) from 0.5 s, then music-like tones (a melody over a beat) from 12 s.
set -euo pipefail
out="${1:?usage: make-sample.sh OUT.mp4}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
size=640x360
fps=25

speech_input=(-f lavfi -i "anullsrc=r=48000:cl=mono,atrim=duration=1")
if command -v espeak-ng >/dev/null; then
  espeak-ng -s 150 -w "$tmp/speech.wav" \
    "Welcome to Frameline. This sample title has five shots: a hard cut, a fade through black, and a dissolve. \
Reviewers validate what the models propose." 2>/dev/null && speech_input=(-i "$tmp/speech.wav")
fi

ffmpeg -hide_banner -v error -y \
  -f lavfi -i "mandelbrot=s=$size:r=$fps,trim=duration=5" \
  -f lavfi -i "life=s=$size:r=$fps:seed=7:mold=10:ratio=0.2:life_color=#ffcc33:death_color=#102040,trim=duration=5.4" \
  -f lavfi -i "gradients=s=$size:r=$fps:seed=7:speed=0.02:c0=#d03020:c1=#2040c0:c2=#f0e060:nb_colors=3,trim=duration=5" \
  -f lavfi -i "sierpinski=s=$size:r=$fps:seed=7:type=carpet,hue=h=200:s=3,trim=duration=5" \
  -f lavfi -i "cellauto=s=$size:r=$fps:seed=7:rule=110,negate,trim=duration=4.4" \
  -f lavfi -i "color=c=black:s=$size:r=$fps,trim=duration=0.4" \
  "${speech_input[@]}" \
  -filter_complex "
    [0]format=yuv420p,setpts=PTS-STARTPTS[s0];
    [1]format=yuv420p,setpts=PTS-STARTPTS,fade=t=out:st=4.6:d=0.8[s1];
    [5]format=yuv420p,setpts=PTS-STARTPTS[black];
    [2]format=yuv420p,setpts=PTS-STARTPTS,fade=t=in:st=0:d=0.8[s2];
    [3]format=yuv420p,setpts=PTS-STARTPTS[s3];
    [4]format=yuv420p,setpts=PTS-STARTPTS[s4];
    [s2][s3]xfade=transition=fade:duration=1:offset=4.2[s23];
    [s0][s1][black][s23][s4]concat=n=5:v=1:a=0,settb=1/$fps,setpts=N/TB/$fps[v];
    [6]aresample=48000,aformat=channel_layouts=mono,adelay=500|500,apad,atrim=duration=24.4[speech];
    aevalsrc='0.25*sin(2*PI*t*220*pow(2\,floor(mod(t*2\,8))/12))*(0.6+0.4*sin(2*PI*2*t))+0.15*sin(2*PI*t*110)*exp(-8*mod(t\,0.5)):s=48000:d=12.4',
      adelay=12000|12000,apad,atrim=duration=24.4[music];
    [speech][music]amix=inputs=2:duration=first:normalize=0,aformat=channel_layouts=stereo[a]" \
  -map "[v]" -map "[a]" -r $fps -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p -g 50 \
  -c:a aac -b:a 128k -shortest -movflags +faststart "$out"
echo "$out"
