"""Where the station's hub credential lives: the OS keyring when there is a usable one,
otherwise a file only the current user can read (0600 in the data folder).

Set SHEQU_CREDENTIAL_STORE=file to skip the keyring (tests, headless kiosks).
"""

from __future__ import annotations

import os
from pathlib import Path

SERVICE = "shequ-desktop-hub"


def _keyring():  # noqa: ANN202
    if os.environ.get("SHEQU_CREDENTIAL_STORE", "").lower() == "file":
        return None
    try:
        import keyring
        from keyring.backends import fail
    except Exception:  # noqa: BLE001  (no keyring package or a broken backend)
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001
        return None
    if isinstance(backend, fail.Keyring) or type(backend).__name__ in ("Keyring",) and "fail" in type(backend).__module__:
        return None
    if getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


def _file(data_dir: Path, account: str) -> Path:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in account)
    return data_dir / "credentials" / f"hub-{safe}.token"


def save_token(data_dir: Path, account: str, token: str) -> str:
    """Store the token; returns where ('keyring' or the file path)."""
    kr = _keyring()
    if kr is not None:
        try:
            kr.set_password(SERVICE, account, token)
            return "keyring"
        except Exception:  # noqa: BLE001  (locked or unavailable keyring: fall back to the file)
            pass
    path = _file(data_dir, account)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path.parent, 0o700)
    except OSError:
        pass
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(token)
    os.chmod(path, 0o600)
    return str(path)


def load_token(data_dir: Path, account: str) -> str | None:
    kr = _keyring()
    if kr is not None:
        try:
            value = kr.get_password(SERVICE, account)
            if value:
                return str(value)
        except Exception:  # noqa: BLE001
            pass
    path = _file(data_dir, account)
    if path.exists():
        return path.read_text(encoding="utf-8").strip() or None
    return None


def delete_token(data_dir: Path, account: str) -> None:
    kr = _keyring()
    if kr is not None:
        try:
            kr.delete_password(SERVICE, account)
        except Exception:  # noqa: BLE001
            pass
    _file(data_dir, account).unlink(missing_ok=True)
