#!/usr/bin/env bash
# Run the WICS Desktop tests: creates (or reuses) the virtual environment, installs the project
# with its test extra, and runs pytest on SQLite and, when it answers, MariaDB.
# Extra arguments go to pytest (e.g. scripts/test.sh -k count_summary).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${WICS_VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
fi
"$VENV/bin/python" -m pip install -q -e ".[test]"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
exec "$VENV/bin/python" -m pytest -q "$@"
