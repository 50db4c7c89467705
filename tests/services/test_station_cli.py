"""shequ-admin station set/show, specimen with the station's own header, verify and void: real processes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.db import open_database
from shequ_desktop.services import auth, counter, documents, residents
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.services.documents import CertificateRequest
from shequ_desktop.services.residents import ResidentInput
from shequ_desktop.services.station import ensure_station


def run(db: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SHEQU_LANG=lang)
    return subprocess.run([sys.executable, "-m", "shequ_desktop.cli.admin", "--db", str(db), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def pdf_flat(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def test_station_set_show_and_the_specimen_uses_it(tmp_path):
    db = tmp_path / "s.db"
    sample = tmp_path / "sample.pdf"
    assert run(db, "specimen", "one-time-notice", "--out", str(sample)).returncode == 0
    assert "幸福里社区工作站" in pdf_flat(sample)                     # no station set: the sample header
    r = run(db, "station", "set", "--name", "桃源社区党群服务站", "--address", "桃源路88号", "--phone",
            "0755-26660000", "--hours", "周一至周六 8:30—18:00", "--hotline", "0755-12345")
    assert r.returncode == 0, r.stderr
    shown = run(db, "station", "show").stdout
    assert "Station name: 桃源社区党群服务站" in shown and "Address: 桃源路88号" in shown
    assert "Office hours: 周一至周六 8:30—18:00" in shown and "Supervision hotline: 0755-12345" in shown
    assert "工作站名称：桃源社区党群服务站" in run(db, "station", "show", lang="zh_CN").stdout
    listed = run(db, "specimen", "--list").stdout.split()
    assert {"one-time-notice", "supplement-notice", "acceptance-receipt", "residence-certificate",
            "catalogue"} <= set(listed)
    for kind in ("one-time-notice", "supplement-notice", "acceptance-receipt", "residence-certificate", "catalogue"):
        out = tmp_path / f"{kind}.pdf"
        assert run(db, "specimen", kind, "--out", str(out)).returncode == 0
        text = pdf_flat(out)
        assert "幸福里社区工作站" not in text, kind
    notice = pdf_flat(tmp_path / "one-time-notice.pdf")
    assert "桃源社区党群服务站" in notice and "桃源路88号" in notice and "0755-26660000" in notice
    assert "周一至周六8:30—18:00" in notice


def test_verify_and_void_from_the_command_line(tmp_path):
    db_path = tmp_path / "v.db"
    db = open_database(db_path)
    admin = CurrentUser(id="a", login="admin", display_name="管理员", role=Role.ADMIN)
    ctx = ensure_station(AppContext(db=db, user=admin))
    counter.ensure_catalogue(ctx)
    r = residents.create(ctx, ResidentInput(name="张秀兰", id_number="11010519491231002X"))
    case = counter.start_case(ctx, r.id, "RESIDENCE_CERT")
    svc = counter.service(ctx, "RESIDENCE_CERT")
    counter.set_materials(ctx, case.id, {m.code: ("provided", "") for m in svc.required_materials()})
    cert = documents.issue_residence_certificate(ctx, case.id, CertificateRequest(
        since=dt.date(2019, 3, 1), housing_basis="房屋租赁合同", purpose="子女入学"))
    db.dispose()
    ok = run(db_path, "verify", f"shequ:verify:{cert.serial_no}:{cert.verification_code}")
    assert ok.returncode == 0, ok.stderr
    assert f"Serial No.: {cert.serial_no}" in ok.stdout and "Holder: 张*兰" in ok.stdout
    assert "Status: Valid" in ok.stdout and "Document: 居住证明" in ok.stdout
    assert "11010519491231002X" not in ok.stdout
    assert run(db_path, "void", cert.verification_code, "--reason", "地址有误").returncode == 0
    void = run(db_path, "verify", cert.verification_code, lang="zh_CN")
    assert void.returncode == 1 and "状态：已作废" in void.stdout and "地址有误" in void.stdout
    bad = run(db_path, "verify", "nonsense")
    assert bad.returncode == 2 and "not a verification code" in bad.stderr


def test_the_first_start_message_names_the_whole_create_user_command(tmp_path):
    import shlex

    from shequ_desktop.app import first_user_command
    db = tmp_path / "new station" / "shequ.db"
    db.parent.mkdir()
    command = shlex.split(first_user_command(db))
    assert command[0] == "shequ-admin" and "create-user" in command and "--role" in command
    env = dict(os.environ, SHEQU_LANG="en")
    r = subprocess.run([sys.executable, "-m", "shequ_desktop.cli.admin", *command[1:]], input="a-good-password\n",
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0 and "User admin created" in r.stdout, r.stderr
