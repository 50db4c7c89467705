"""Where things are: bundled resources (source tree or PyInstaller) and the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "shequ-desktop"
APP_AUTHOR = "shequ"


def resource_root() -> Path:
    """Source checkout root, or the PyInstaller bundle's _MEIPASS."""
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        return Path(meipass)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return resource_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def locale_dir() -> Path:
    return resources_dir() / "locale"


def shared_data_dir() -> Path | None:
    """Windows: the machine-wide folder the installer creates (%PROGRAMDATA%, writable for all users).

    Counter PCs are shared by several clerks, often with their own Windows accounts: one station
    database per PC, not per account. Used only when it exists and is writable.
    """
    if sys.platform != "win32":
        return None
    import platformdirs
    path = Path(platformdirs.site_data_dir(APP_NAME, APP_AUTHOR))
    return path if path.is_dir() and os.access(path, os.W_OK) else None


INSTALL_INI = "shequ-desktop.ini"


def _read_ini_text(raw: bytes) -> str:
    """Inno Setup's [INI] writes through WritePrivateProfileString: UTF-16 with a BOM, or the ANSI code page
    (GBK on a Chinese Windows) for a new file; a file written by hand is usually UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("mbcs" if sys.platform == "win32" else "gbk", errors="replace")


def install_settings() -> dict[str, str]:
    """What the Windows installer's command line set for this PC, from ``shequ-desktop.ini`` next to the
    programs (section [install]): ``data_dir`` (the data folder) and ``hub_url`` (the hub's address).

    Read only from the program folder of a frozen program (writable by administrators only), or from
    $SHEQU_INSTALL_INI (tests). Empty when there is none.
    """
    import configparser
    override = os.environ.get("SHEQU_INSTALL_INI")
    if override:
        path = Path(override)
    elif getattr(sys, "frozen", False):
        path = Path(sys.executable).resolve().parent / INSTALL_INI
    else:
        return {}
    try:
        text = _read_ini_text(path.read_bytes())
    except OSError:
        return {}
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    if not parser.has_section("install"):
        return {}
    return {k: v.strip() for k, v in parser.items("install") if v.strip()}


def data_dir() -> Path:
    """The data folder: $SHEQU_DATA_DIR, else the folder the installer was told (``/DATADIR=``), else the
    shared machine folder (Windows), else the user's folder."""
    override = os.environ.get("SHEQU_DATA_DIR") or install_settings().get("data_dir")
    if override:
        path = Path(override)
    else:
        import platformdirs   # loaded on first use: start-up time matters
        path = shared_data_dir() or Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "shequ.db"


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
