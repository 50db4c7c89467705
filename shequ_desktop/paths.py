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


def data_dir() -> Path:
    """The data folder: $SHEQU_DATA_DIR, else the shared machine folder (Windows), else the user's folder."""
    override = os.environ.get("SHEQU_DATA_DIR")
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
