#!/usr/bin/env bash
# Build the WICS Desktop bundle for Linux with PyInstaller, then the tarball a PC installs from.
#
#   packaging/build.sh && packaging/smoke.sh dist/wics
#
# gives
#   dist/wics/                                    the bundle: wics-desktop, wics, _internal/
#   dist/wics-desktop-VERSION-linux-ARCH.tar.gz   the bundle + menu entry + icons + install.sh
#
# Uses (and creates on first run) the virtual environment .venv, or WICS_VENV, with this
# checkout installed in editable mode plus its `build` extra (PyInstaller). KEEP_BUILD=1 keeps
# PyInstaller's work folder build/pyinstaller (faster rebuilds; ~100 MB) instead of deleting it.
# Not part of .ci/run: a build takes about a minute and a quarter of a gigabyte.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${WICS_VENV:-.venv}
started=$(date +%s)

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
fi
"$VENV/bin/python" -m pip install -q -e ".[build]"
PY="$VENV/bin/python"

VERSION=$("$PY" -c "import wics_desktop; print(wics_desktop.__version__)")
ARCH=$(uname -m)
NAME="wics-desktop-$VERSION-linux-$ARCH"
for f in resources/icons/wics.svg resources/icons/wics.ico; do
  [ -f "$f" ] || { echo "missing $f: run $PY scripts/make_icons.py"; exit 1; }
done

echo "== PyInstaller: WICS Desktop $VERSION -> dist/wics"
rm -rf build/pyinstaller dist/wics "dist/$NAME" "dist/$NAME.tar.gz"
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/wics.spec
[ "${KEEP_BUILD:-0}" = 1 ] || rm -rf build/pyinstaller
built=$(date +%s)

echo "== tarball dist/$NAME.tar.gz"
STAGE="dist/$NAME"
mkdir -p "$STAGE"
cp -al dist/wics/. "$STAGE/"  # hard links: no second copy of the bundle on disk
mkdir -p "$STAGE/share/applications" "$STAGE/share/icons/hicolor/scalable/apps"
cp packaging/linux/wics-desktop.desktop "$STAGE/share/applications/"
cp resources/icons/wics.svg "$STAGE/share/icons/hicolor/scalable/apps/wics-desktop.svg"
for png in resources/icons/wics-*.png; do
  size=$(basename "$png" .png); size=${size#wics-}
  mkdir -p "$STAGE/share/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$STAGE/share/icons/hicolor/${size}x${size}/apps/wics-desktop.png"
done
cp packaging/linux/install.sh "$STAGE/"
tar -C dist -czf "dist/$NAME.tar.gz" "$NAME"
rm -rf "$STAGE"
finished=$(date +%s)

echo "== done"
echo "bundle:   $ROOT/dist/wics  ($(du -sh dist/wics | cut -f1), $(find dist/wics -type f | wc -l) files)"
echo "tarball:  $ROOT/dist/$NAME.tar.gz  ($(du -h "dist/$NAME.tar.gz" | cut -f1))"
echo "time:     PyInstaller $((built - started)) s, total $((finished - started)) s"
echo "next:     packaging/smoke.sh dist/wics   (or the tarball)"
