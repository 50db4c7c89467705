"""The per-station audit key: kept outside the database file (the OS keyring, or a file only the
account running the program can read), so rewriting the audit log and re-hashing it needs the key.

SHEQU_CREDENTIAL_STORE=file skips the keyring (tests, headless kiosks), as for the hub credential.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from shequ_desktop import paths

SERVICE = "shequ-desktop-audit"


def _keyring():  # noqa: ANN202
    if os.environ.get("SHEQU_CREDENTIAL_STORE", "").lower() == "file":
        return None
    try:
        import keyring
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001  (no keyring package or a broken backend)
        return None
    if getattr(backend, "priority", 1) <= 0 or "fail" in type(backend).__module__:
        return None
    return keyring


def key_file(station_id: str) -> Path:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in station_id)
    return paths.data_dir() / "credentials" / f"audit-{safe}.key"


def load_key(station_id: str) -> bytes | None:
    kr = _keyring()
    if kr is not None:
        try:
            value = kr.get_password(SERVICE, station_id)
            if value:
                return bytes.fromhex(value)
        except Exception:  # noqa: BLE001
            pass
    path = key_file(station_id)
    if path.exists():
        text = path.read_text(encoding="ascii").strip()
        return bytes.fromhex(text) if text else None
    return None


def ensure_key(station_id: str) -> bytes:
    """The station's key, created on first use (32 random bytes)."""
    key = load_key(station_id)
    if key is not None:
        return key
    key = secrets.token_bytes(32)
    kr = _keyring()
    if kr is not None:
        try:
            kr.set_password(SERVICE, station_id, key.hex())
            return key
        except Exception:  # noqa: BLE001  (locked keyring: fall back to the file)
            pass
    path = key_file(station_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path.parent, 0o700)
    except OSError:
        pass
    try:
        fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:             # another process (the program and shequ-admin) made it just now
        return load_key(station_id) or key
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex())
    return key


def mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()
