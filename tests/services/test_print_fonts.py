"""The print_fonts setting: the admin sees which typeface prints each part and may choose bundled fonts."""

from __future__ import annotations

import pytest

from shequ_desktop.cli import admin
from shequ_desktop.domain.errors import PermissionDenied, UserError
from shequ_desktop.domain.roles import Role
from shequ_desktop.printing import fonts
from shequ_desktop.services import print_fonts
from shequ_desktop.services.context import CurrentUser


@pytest.fixture(autouse=True)
def _restore_registry():
    before = fonts.registry()
    yield
    fonts.use_registry(before)


def test_report_lists_every_role_with_its_coverage(ctx):
    rep = print_fonts.report(ctx)
    assert rep.source == "system"
    by_role = {row.role: row for row in rep.rows if row.role != "fallback"}
    assert set(by_role) == set(fonts.ROLES)
    assert all(row.gb2312 == 6763 for row in by_role.values())  # every role prints all of GB 2312
    fallback = [row for row in rep.rows if row.role == "fallback"]
    assert fallback[0].family == "HanaMinA" and fallback[0].ext_a >= 6582
    assert fallback[1].family == "HanaMinB" and fallback[1].ext_b_to_f > 60000


def test_admin_sets_bundled_fonts_and_a_clerk_may_not(ctx):
    print_fonts.set_source(ctx, "bundled")
    assert print_fonts.report(ctx).source == "bundled"
    assert fonts.registry().source == "bundled"
    with pytest.raises(UserError):
        print_fonts.set_source(ctx, "comic-sans")
    clerk = ctx.as_user(CurrentUser(id="c", login="clerk", display_name="窗口", role=Role.CLERK))
    with pytest.raises(PermissionDenied):
        print_fonts.set_source(clerk, "system")


def test_cli_shows_and_sets_the_setting(tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    assert admin.main(["--db", db, "fonts"]) == 0
    out = capsys.readouterr().out
    assert "print_fonts = system" in out and "AR PL SungtiL GB" in out and "HanaMinB" in out
    assert admin.main(["--db", db, "fonts", "set", "bundled"]) == 0
    assert "print_fonts = bundled" in capsys.readouterr().out
