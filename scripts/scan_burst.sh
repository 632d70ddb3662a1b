#!/usr/bin/env bash
# Scanner-speed check in a real window: Xvfb at 1366x768 with a window manager, the app on a
# fresh demo database, signed in as the clerk, Count Entry open, then ROUNDS x 5 scans of
# "part number Enter, location Enter, quantity Enter" typed by xdotool at DELAY ms a key.
# Prints how many counts were saved exactly as scanned. Offscreen tests cannot see this:
# focus, popups and keyboard grabs only exist in a real window.
#
#   scripts/scan_burst.sh [ROUNDS=3] [DELAY_MS=4]
#
# Needs: xvfb, xdotool, openbox (or another window manager), sqlite3, the project's venv.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}; DELAY=${2:-4}
PY=${WICS_VENV:-.venv}/bin/python
work=$(mktemp -d); export HOME=$work DISPLAY=${SCAN_DISPLAY:-:97}
Xvfb "$DISPLAY" -screen 0 1366x768x24 >/dev/null 2>&1 & xvfb=$!
trap 'kill $app $wm $xvfb 2>/dev/null; rm -rf "$work"' EXIT
sleep 1; openbox >/dev/null 2>&1 & wm=$!
"$PY" -m wics_desktop.ui.main --demo >"$work/app.log" 2>&1 & app=$!
xdotool search --sync --onlyvisible --name WICS >/dev/null; sleep 2
xdotool type --delay 30 clerk; xdotool key Tab; xdotool type --delay 30 clerk; xdotool key Return
sleep 4; xdotool key F2; sleep 2
db=$(find "$work" -name demo.sqlite | head -1)
mapfile -t parts < <(sqlite3 "$db" "SELECT part_number FROM materials GROUP BY part_number
                                    HAVING COUNT(*) = 1 ORDER BY part_number LIMIT 5")
start=$(sqlite3 "$db" "SELECT COALESCE(MAX(id), 0) FROM actual_counts")
for round in $(seq 1 "$ROUNDS"); do
  i=0
  for pn in "${parts[@]}"; do
    i=$((i + 1))
    xdotool type --delay "$DELAY" "$pn"; xdotool key --delay "$DELAY" Return
    xdotool type --delay "$DELAY" "SB-$round$i"; xdotool key --delay "$DELAY" Return
    xdotool type --delay "$DELAY" "1080*$i+$round"; xdotool key --delay "$DELAY" Return
  done
done
sleep 3
expected=$((ROUNDS * 5))
exact=0
for round in $(seq 1 "$ROUNDS"); do
  i=0
  for pn in "${parts[@]}"; do
    i=$((i + 1))
    n=$(sqlite3 "$db" "SELECT COUNT(*) FROM actual_counts a JOIN materials m ON m.id = a.material_id
                       WHERE a.id > $start AND m.part_number = '$pn' AND a.location = 'SB-$round$i'
                       AND a.expression = '1080*$i+$round'")
    exact=$((exact + n))
  done
done
saved=$(sqlite3 "$db" "SELECT COUNT(*) FROM actual_counts WHERE id > $start")
echo "scans: $expected, counts saved: $saved, saved exactly as scanned: $exact (xdotool, $DELAY ms a key)"
