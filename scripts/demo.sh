#!/usr/bin/env bash
# Install WICS Desktop into a virtual environment and start it on the embedded demo database
# (created on first run in your user data folder). Extra arguments go to wics-desktop.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${WICS_VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
fi
"$VENV/bin/python" -m pip install -q -e .
exec "$VENV/bin/wics-desktop" --demo "$@"
