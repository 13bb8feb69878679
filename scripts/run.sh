#!/usr/bin/env bash
# The run command: installs what is missing, builds, and opens the review application on the default SQLite database
# with a title ingested.
#   usage: scripts/run.sh [VIDEO]
# Without VIDEO, a sample title with known structure is generated (scripts/make-sample.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"

video="${1:-}"
if [[ -z "$video" ]]; then
  data="${XDG_DATA_HOME:-$HOME/.local/share}/frameline"
  mkdir -p "$data"
  video="$data/sample.mp4"
  [[ -s "$video" ]] || "$root/scripts/make-sample.sh" "$video" >/dev/null
fi
if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  echo "run: no display; starting a virtual one (xvfb-run). Take a screenshot with: import -window root shot.png" >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24" "$root/build/app/frameline/frameline" "$video"
fi
exec "$root/build/app/frameline/frameline" "$video"
