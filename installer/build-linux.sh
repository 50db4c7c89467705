#!/usr/bin/env bash
# Build the Linux one-folder bundle: dist/shequ-desktop/ with BOTH programs (shequ-desktop, shequ-admin)
# sharing one _internal/, plus the .desktop entry, the icon and install.sh for /opt.
#
#   installer/build-linux.sh            # build
#   installer/build-linux.sh --tar      # and pack dist/shequ-desktop-<version>-linux-<arch>.tar.gz
#
# Needs .venv (installer/dev-setup.sh) — pyinstaller is installed into it when missing.
# PyInstaller does not cross-compile: the bundle runs on Linux machines with the same CPU architecture and a
# glibc at least as new as the build machine's (build on the oldest target, e.g. Debian 10/UOS 20 for UOS/Kylin).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=.venv/bin/python
TAR=0
[ "${1:-}" = "--tar" ] && TAR=1

[ -x "$PY" ] || { echo "no .venv: run installer/dev-setup.sh first" >&2; exit 1; }
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  .venv/bin/pip install -q "pyinstaller>=6.10"
fi

# The compiled catalogs (.mo) are committed (shequ_desktop/i18n_tools.py compile); compile only missing ones.
for po in resources/locale/*/LC_MESSAGES/messages.po; do
  [ -e "$po" ] || { echo "warning: no catalogs in resources/locale — the bundle's UI is English only" >&2; break; }
  mo="${po%.po}.mo"
  if [ ! -e "$mo" ]; then
    .venv/bin/pybabel compile -i "$po" -o "$mo" >/dev/null
  elif [ "$po" -nt "$mo" ]; then
    echo "warning: $mo is older than $po (run: .venv/bin/python -m shequ_desktop.i18n_tools compile)" >&2
  fi
done

VERSION=$("$PY" -c "import shequ_desktop; print(shequ_desktop.__version__)")
start=$(date +%s%N)
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" installer/shequ_desktop.spec
ms=$(( ($(date +%s%N) - start) / 1000000 ))

OUT=dist/shequ-desktop
for exe in shequ-desktop shequ-admin; do
  [ -x "$OUT/$exe" ] || { echo "missing $OUT/$exe" >&2; exit 1; }
done
cp installer/shequ-desktop.desktop "$OUT/shequ-desktop.desktop"
cp installer/icons/shequ-desktop.png "$OUT/shequ-desktop.png"
cat > "$OUT/install.sh" <<'INSTALL'
#!/bin/sh
# Install this bundle to /opt/shequ-desktop (run as root). The data folder of each user
# (~/.local/share/shequ-desktop) is never touched by install or uninstall.
#   sudo ./install.sh             install or update
#   sudo ./install.sh --uninstall remove the program (data stays)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DEST=/opt/shequ-desktop
if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$DEST" /usr/share/applications/shequ-desktop.desktop /usr/share/icons/hicolor/256x256/apps/shequ-desktop.png
  rm -f /usr/local/bin/shequ-admin
  echo "removed $DEST (user data in ~/.local/share/shequ-desktop kept)"; exit 0
fi
if [ "$HERE" != "$DEST" ]; then
  rm -rf "$DEST.new" && cp -a "$HERE" "$DEST.new"
  rm -rf "$DEST.old" && { [ ! -d "$DEST" ] || mv "$DEST" "$DEST.old"; } && mv "$DEST.new" "$DEST" && rm -rf "$DEST.old"
fi
install -D -m 644 "$DEST/shequ-desktop.desktop" /usr/share/applications/shequ-desktop.desktop
install -D -m 644 "$DEST/shequ-desktop.png" /usr/share/icons/hicolor/256x256/apps/shequ-desktop.png
ln -sf "$DEST/shequ-admin" /usr/local/bin/shequ-admin
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
echo "installed to $DEST; start menu entry 社区工作站; admin tool: shequ-admin"
INSTALL
chmod 755 "$OUT/install.sh"

SIZE=$(du -sh "$OUT" | cut -f1)
FILES=$(find "$OUT" -type f | wc -l)
printf 'bundle: %s  %s, %s files, build %d.%01d s (shequ-desktop %s)\n' "$OUT" "$SIZE" "$FILES" \
  $((ms / 1000)) $((ms % 1000 / 100)) "$VERSION"
if [ "$TAR" = 1 ]; then
  ARCHIVE="dist/shequ-desktop-$VERSION-linux-$(uname -m).tar.gz"
  tar -C dist -czf "$ARCHIVE" shequ-desktop
  echo "archive: $ARCHIVE $(du -h "$ARCHIVE" | cut -f1)"
fi
