#!/usr/bin/env bash
# Install WICS Desktop from this unpacked tarball: the program folder, `wics` and `wics-desktop`
# on the PATH, a menu entry and its icons.
#
#   ./install.sh              as root: /opt/wics, /usr/local/bin, /usr/share/{applications,icons}
#                             as a user: ~/.local/opt/wics, ~/.local/bin, ~/.local/share/...
#   ./install.sh --uninstall  removes the program, the links and the menu entry
#
# Your database, settings and logs (~/.local/share/wics, ~/.config/wics, ~/.local/state/wics)
# are never touched, by install or uninstall.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then
  APP=/opt/wics BIN=/usr/local/bin SHARE=/usr/share
else
  APP="$HOME/.local/opt/wics" BIN="$HOME/.local/bin" SHARE="$HOME/.local/share"
fi
SIZES="16 24 32 48 64 128 256"

remove() {
  rm -rf "$APP"
  rm -f "$BIN/wics" "$BIN/wics-desktop" "$SHARE/applications/wics-desktop.desktop"
  rm -f "$SHARE/icons/hicolor/scalable/apps/wics-desktop.svg"
  for s in $SIZES; do rm -f "$SHARE/icons/hicolor/${s}x${s}/apps/wics-desktop.png"; done
}

if [ "${1:-}" = "--uninstall" ]; then
  remove
  echo "WICS Desktop removed from $APP (your data and settings are kept)."
  exit 0
fi

remove  # an upgrade replaces the whole program folder, never mixes two versions
mkdir -p "$APP" "$BIN" "$SHARE/applications" "$SHARE/icons/hicolor/scalable/apps"
cp -a "$HERE/wics" "$HERE/wics-desktop" "$HERE/_internal" "$APP/"
ln -sf "$APP/wics" "$BIN/wics"
ln -sf "$APP/wics-desktop" "$BIN/wics-desktop"
sed "s|^Exec=.*|Exec=$APP/wics-desktop|" "$HERE/share/applications/wics-desktop.desktop" \
  >"$SHARE/applications/wics-desktop.desktop"
cp "$HERE/share/icons/hicolor/scalable/apps/wics-desktop.svg" "$SHARE/icons/hicolor/scalable/apps/"
for s in $SIZES; do
  mkdir -p "$SHARE/icons/hicolor/${s}x${s}/apps"
  cp "$HERE/share/icons/hicolor/${s}x${s}/apps/wics-desktop.png" "$SHARE/icons/hicolor/${s}x${s}/apps/"
done
command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
echo "WICS Desktop $("$APP/wics" --version | cut -d' ' -f2) installed in $APP"
echo "Start it from the menu (Office > WICS Desktop) or run: $BIN/wics-desktop"
