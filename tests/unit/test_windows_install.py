"""Per-machine station credential (Windows: DPAPI machine scope) and the installer's settings file.

DPAPI itself is exercised under Wine by .ci/smoke-windows (``shequ-admin sync credential-selftest``);
here the Windows branch runs on Linux with the two DPAPI calls replaced by a reversible stand-in.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from shequ_desktop import paths
from shequ_desktop.sync import credentials


class FakeKeyring:
    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, account: str) -> str | None:
        return self.store.get((service, account))

    def set_password(self, service: str, account: str, value: str) -> None:
        self.store[(service, account)] = value

    def delete_password(self, service: str, account: str) -> None:
        self.store.pop((service, account), None)


@pytest.fixture()
def windows(monkeypatch: pytest.MonkeyPatch) -> FakeKeyring:
    """The Windows branch with a stand-in for DPAPI (XOR + a marker) and a per-user keyring that must stay unused."""
    calls: list[str] = []

    def protect(data: bytes) -> bytes:
        calls.append("protect")
        body = bytes(b ^ 0x5A for b in data)
        return b"DPAPI" + body + bytes([sum(body) % 256])

    def unprotect(blob: bytes) -> bytes:
        body, check = blob[5:-1], blob[-1:]
        if not blob.startswith(b"DPAPI") or bytes([sum(body) % 256]) != check:
            raise OSError(13, "CryptUnprotectData")
        return bytes(b ^ 0x5A for b in body)

    kr = FakeKeyring()
    monkeypatch.setattr(credentials, "_is_windows", lambda: True)
    monkeypatch.setattr(credentials, "protect_machine", protect)
    monkeypatch.setattr(credentials, "unprotect", unprotect)
    monkeypatch.setattr(credentials, "_keyring", lambda legacy=False: kr)
    monkeypatch.delenv("SHEQU_CREDENTIAL_STORE", raising=False)
    kr.calls = calls  # type: ignore[attr-defined]
    return kr


def test_windows_credential_is_a_machine_file_not_the_per_user_keyring(tmp_path: Path, windows: FakeKeyring) -> None:
    where = credentials.save_token(tmp_path, "station-7", "st-7:s3cret-value")
    path = credentials.dpapi_file(tmp_path, "station-7")
    assert where == str(path)
    assert path.is_file()
    assert b"s3cret-value" not in path.read_bytes()
    assert windows.store == {}                                   # nothing in Credential Manager
    assert not (tmp_path / "credentials" / "hub-station-7.token").exists()
    # Another clerk's account on the same PC reads it: nothing user-specific is involved.
    assert credentials.load_token(tmp_path, "station-7") == "st-7:s3cret-value"


def test_windows_credential_from_another_pc_is_refused(tmp_path: Path, windows: FakeKeyring) -> None:
    path = credentials.dpapi_file(tmp_path, "station-7")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a blob of this machine")
    assert credentials.load_token(tmp_path, "station-7") is None


def test_windows_moves_an_old_credential_manager_entry_into_the_machine_file(
        tmp_path: Path, windows: FakeKeyring) -> None:
    windows.set_password(credentials.SERVICE, "station-7", "st-7:old-secret")
    assert credentials.load_token(tmp_path, "station-7") == "st-7:old-secret"
    assert credentials.dpapi_file(tmp_path, "station-7").is_file()
    assert windows.store == {}
    assert credentials.load_token(tmp_path, "station-7") == "st-7:old-secret"


def test_windows_delete_removes_every_copy(tmp_path: Path, windows: FakeKeyring) -> None:
    credentials.save_token(tmp_path, "station-7", "st-7:x")
    credentials.delete_token(tmp_path, "station-7")
    assert credentials.load_token(tmp_path, "station-7") is None
    assert not credentials.dpapi_file(tmp_path, "station-7").exists()


def test_windows_self_test_passes_with_a_working_store(windows: FakeKeyring) -> None:
    assert credentials.self_test() == "dpapi-machine"


def test_linux_store_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHEQU_CREDENTIAL_STORE", "file")
    credentials.save_token(tmp_path, "station-7", "st-7:abc")
    f = tmp_path / "credentials" / "hub-station-7.token"
    assert f.read_text(encoding="utf-8") == "st-7:abc"
    assert f.stat().st_mode & 0o077 == 0
    assert credentials.load_token(tmp_path, "station-7") == "st-7:abc"
    assert credentials.self_test() == "file"


# --- shequ-desktop.ini written by the installer (/HUB=, /DATADIR=) ---------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "gbk"])
def test_install_settings_read_in_every_encoding_windows_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    if encoding == "gbk" and sys.platform == "win32":
        pytest.skip("mbcs on Windows")
    ini = tmp_path / "shequ-desktop.ini"
    ini.write_bytes("[install]\r\nhub_url=https://hub.example.test\r\ndata_dir=D:\\社区数据\r\n".encode(encoding))
    monkeypatch.setenv("SHEQU_INSTALL_INI", str(ini))
    assert paths.install_settings() == {"hub_url": "https://hub.example.test", "data_dir": "D:\\社区数据"}


def test_data_dir_from_the_installer_unless_overridden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ini = tmp_path / "shequ-desktop.ini"
    ini.write_text(f"[install]\ndata_dir={tmp_path / 'it-admin-data'}\n", encoding="utf-8")
    monkeypatch.setenv("SHEQU_INSTALL_INI", str(ini))
    monkeypatch.delenv("SHEQU_DATA_DIR", raising=False)
    assert paths.data_dir() == tmp_path / "it-admin-data"
    assert (tmp_path / "it-admin-data").is_dir()
    monkeypatch.setenv("SHEQU_DATA_DIR", str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"


def test_no_ini_no_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHEQU_INSTALL_INI", str(tmp_path / "missing.ini"))
    assert paths.install_settings() == {}
    (tmp_path / "broken.ini").write_text("no section here\n", encoding="utf-8")
    monkeypatch.setenv("SHEQU_INSTALL_INI", str(tmp_path / "broken.ini"))
    assert paths.install_settings() == {}
    monkeypatch.delenv("SHEQU_INSTALL_INI")
    assert paths.install_settings() == {}                       # not frozen: never read from next to python


# --- the Windows build's pins cover every dependency -----------------------------------------------------

def test_every_dependency_is_pinned_for_the_windows_build() -> None:
    """A dependency added to pyproject.toml must be pinned for Windows too, or .ci/smoke-windows fails late.

    Fix: ``installer/build-windows.sh --lock`` (needs only pip and PyPI; a pure-Python dependency that PyPI has
    only as source goes into SDIST_ONLY in installer/windows/pins.sh first), then commit
    installer/windows/requirements-win*.txt.
    """
    import re
    import tomllib

    root = Path(__file__).resolve().parents[2]
    deps = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    pinned = set()
    for lock in ("requirements-win.txt", "requirements-win-sdist.txt"):
        for line in (root / "installer" / "windows" / lock).read_text(encoding="utf-8").splitlines():
            if re.match(r"^[A-Za-z0-9]", line):
                assert "--hash=sha256:" in line, line
                pinned.add(norm(line.split("==")[0]))
    wanted = {norm(re.match(r"[A-Za-z0-9_.-]+", d).group(0)) for d in deps}
    assert wanted <= pinned, (f"not pinned for the Windows build: {sorted(wanted - pinned)} — run "
                              "installer/build-windows.sh --lock and commit installer/windows/requirements-win*.txt")
