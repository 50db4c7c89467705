"""Where the station's hub credential lives.

The credential belongs to the WORKSTATION (one station per PC, one database per PC), not to the clerk who
typed it in, so every clerk of the PC must be able to sync with it.

- Windows: a file in the data folder (``credentials/hub-<account>.dpapi``) encrypted with DPAPI in
  **machine scope** (``CryptProtectData`` with ``CRYPTPROTECT_LOCAL_MACHINE``). Every Windows account of this
  PC can decrypt it — that is the point: the data folder (%PROGRAMDATA%) is shared by the clerks' accounts —
  and no other PC can: a copied data folder, a backup on a USB stick or a diagnostics zip does not carry a
  usable credential. Why not the per-user Credential Manager (``keyring``, used before): only the account
  that connected the station could sync. Why not a file readable only by a service account: that needs a
  Windows service running the sync and talking to the program — much more to install and to keep alive for
  the same protection against the clerks of the PC (who may all sync anyway). A credential stored in the
  Credential Manager by an older version is moved into the DPAPI file on first use.
- Elsewhere (Linux/UOS/Kylin): the OS keyring when there is a usable one, otherwise a file only the
  current user can read (0600 in the data folder).

Set SHEQU_CREDENTIAL_STORE=file to skip the keyring (tests, headless kiosks); on Windows it has no effect.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SERVICE = "shequ-desktop-hub"
# Extra entropy mixed into the DPAPI blob: another program calling CryptUnprotectData on our file without
# knowing it gets an error (defence in depth only; it is in the program's code, not a secret).
_ENTROPY = b"shequ-desktop/station-credential/v1"
CRYPTPROTECT_UI_FORBIDDEN = 0x1
CRYPTPROTECT_LOCAL_MACHINE = 0x4


def _is_windows() -> bool:
    return sys.platform == "win32"


# --- DPAPI (Windows) ------------------------------------------------------------------------------------

def _dpapi(protect: bool, data: bytes) -> bytes:
    """CryptProtectData (machine scope) / CryptUnprotectData through ctypes. Raises OSError on failure."""
    import ctypes
    from ctypes import wintypes

    class Blob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    def blob(raw: bytes) -> tuple[Blob, ctypes.Array]:
        buf = ctypes.create_string_buffer(raw, len(raw))
        return Blob(len(raw), ctypes.cast(buf, ctypes.POINTER(ctypes.c_char))), buf

    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.LocalFree.argtypes = [ctypes.c_void_p]
    kernel32.LocalFree.restype = ctypes.c_void_p
    fn = crypt32.CryptProtectData if protect else crypt32.CryptUnprotectData
    fn.argtypes = [ctypes.POINTER(Blob), ctypes.c_void_p if protect else ctypes.POINTER(wintypes.LPWSTR),
                   ctypes.POINTER(Blob), ctypes.c_void_p, ctypes.c_void_p, wintypes.DWORD, ctypes.POINTER(Blob)]
    fn.restype = wintypes.BOOL
    data_in, _keep1 = blob(data)
    entropy, _keep2 = blob(_ENTROPY)
    out = Blob()
    flags = CRYPTPROTECT_UI_FORBIDDEN | (CRYPTPROTECT_LOCAL_MACHINE if protect else 0)
    if protect:
        ok = fn(ctypes.byref(data_in), "shequ-desktop station credential", ctypes.byref(entropy),
                None, None, flags, ctypes.byref(out))
    else:
        ok = fn(ctypes.byref(data_in), None, ctypes.byref(entropy), None, None, flags, ctypes.byref(out))
    if not ok:
        raise OSError(ctypes.get_last_error(), "CryptProtectData" if protect else "CryptUnprotectData")
    try:
        return ctypes.string_at(out.pbData, out.cbData)
    finally:
        kernel32.LocalFree(ctypes.cast(out.pbData, ctypes.c_void_p))


def protect_machine(data: bytes) -> bytes:
    return _dpapi(True, data)


def unprotect(blob: bytes) -> bytes:
    return _dpapi(False, blob)


# --- the OS keyring (Linux; Windows only to move old entries) -------------------------------------------

def _keyring(*, legacy: bool = False):  # noqa: ANN202
    if not legacy and os.environ.get("SHEQU_CREDENTIAL_STORE", "").lower() == "file":
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


def _safe(account: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in account)


def _file(data_dir: Path, account: str) -> Path:
    return data_dir / "credentials" / f"hub-{_safe(account)}.token"


def dpapi_file(data_dir: Path, account: str) -> Path:
    return data_dir / "credentials" / f"hub-{_safe(account)}.dpapi"


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path.parent, 0o700)
    except OSError:
        pass
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _save_windows(data_dir: Path, account: str, token: str) -> str:
    path = dpapi_file(data_dir, account)
    _write_private(path, protect_machine(token.encode("utf-8")))
    _file(data_dir, account).unlink(missing_ok=True)     # never leave a plain copy next to it
    return str(path)


def _load_windows(data_dir: Path, account: str) -> str | None:
    path = dpapi_file(data_dir, account)
    if path.exists():
        try:
            return unprotect(path.read_bytes()).decode("utf-8").strip() or None
        except (OSError, UnicodeDecodeError):
            return None          # another PC's file (a restored backup): the credential must be entered again
    # An older version kept it in the per-user Credential Manager or a plain file: move it here, once.
    legacy = None
    kr = _keyring(legacy=True)
    if kr is not None:
        try:
            legacy = kr.get_password(SERVICE, account)
        except Exception:  # noqa: BLE001
            legacy = None
    plain = _file(data_dir, account)
    if not legacy and plain.exists():
        legacy = plain.read_text(encoding="utf-8").strip()
    if not legacy:
        return None
    try:
        _save_windows(data_dir, account, str(legacy))
        if kr is not None:
            try:
                kr.delete_password(SERVICE, account)
            except Exception:  # noqa: BLE001
                pass
    except OSError:
        pass
    return str(legacy)


# --- the interface ----------------------------------------------------------------------------------------

def save_token(data_dir: Path, account: str, token: str) -> str:
    """Store the token; returns where ('keyring' or the file path)."""
    if _is_windows():
        return _save_windows(data_dir, account, token)
    kr = _keyring()
    if kr is not None:
        try:
            kr.set_password(SERVICE, account, token)
            return "keyring"
        except Exception:  # noqa: BLE001  (locked or unavailable keyring: fall back to the file)
            pass
    path = _file(data_dir, account)
    _write_private(path, token.encode("utf-8"))
    return str(path)


def load_token(data_dir: Path, account: str) -> str | None:
    if _is_windows():
        return _load_windows(data_dir, account)
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
    kr = _keyring(legacy=_is_windows())
    if kr is not None:
        try:
            kr.delete_password(SERVICE, account)
        except Exception:  # noqa: BLE001
            pass
    _file(data_dir, account).unlink(missing_ok=True)
    dpapi_file(data_dir, account).unlink(missing_ok=True)


def self_test() -> str:
    """Store a throw-away credential the way this PC stores the station's, read it back, and check that a
    changed file is refused (``shequ-admin sync credential-selftest``; used by .ci/smoke-windows under Wine).
    Raises UserError naming the failed check; returns the store: 'dpapi-machine', 'keyring' or 'file'."""
    import secrets
    import shutil
    import tempfile

    from shequ_desktop.domain.errors import UserError

    tmp = Path(tempfile.mkdtemp(prefix="shequ-cred-"))
    account = f"selftest-{secrets.token_hex(4)}"
    token = f"station-selftest:{secrets.token_urlsafe(24)}"
    try:
        where = save_token(tmp, account, token)
        if load_token(tmp, account) != token:
            raise UserError("Credential check: the stored credential does not read back.")
        if not _is_windows():
            return "keyring" if where == "keyring" else "file"
        path = dpapi_file(tmp, account)
        raw = path.read_bytes()
        if token.split(":")[1].encode() in raw or _file(tmp, account).exists():
            raise UserError("Credential check: the secret was stored in plain text.")
        # Change the encrypted part (the end of the blob: cipher text and signature). Wine does not authenticate
        # the blob's header and description; real Windows does — on the first-PC checklist.
        for pos in (len(raw) - 1, max(0, len(raw) - 30)):
            tampered = bytearray(raw)
            tampered[pos] ^= 0xFF
            path.write_bytes(bytes(tampered))
            if load_token(tmp, account) is not None:
                raise UserError("Credential check: a changed credential file was accepted.")
        return "dpapi-machine"
    finally:
        delete_token(tmp, account)
        shutil.rmtree(tmp, ignore_errors=True)
