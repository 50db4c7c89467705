#!/usr/bin/env bash
# Set up a development/demo environment on Debian/Ubuntu (and UOS/Kylin): system libraries for Qt,
# the CJK font and poppler (PDF checks), PostgreSQL (hub tests), binutils and the shared libpython
# (PyInstaller), then .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS="libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3 fonts-wqy-microhei poppler-utils
      postgresql xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
      libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 python3-venv binutils
      libpython$(${PYTHON:-python3} -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
.venv/bin/pybabel compile -q -d resources/locale -D messages 2>/dev/null || .venv/bin/pybabel compile -d resources/locale -D messages
echo "setup done: $(.venv/bin/python --version), $(.venv/bin/python -c 'import PySide6; print("PySide6", PySide6.__version__)')"
