"""Where things are: bundled resources (source tree or PyInstaller) and the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

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


def data_dir() -> Path:
    """The data folder: $SHEQU_DATA_DIR, else the platform's per-user data folder."""
    override = os.environ.get("SHEQU_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "shequ.db"


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
