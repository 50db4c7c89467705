"""The compliance period selector's periods (issue 14): calendar month / quarter / half year / year containing
today, the one before, or any from–to; and every English word the emergency domain hands to the UI is in both
catalogs (the domain cannot import i18n, so labels.py marks them — the period names once were missed)."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.messages.pofile import read_po

from shequ_desktop import i18n_tools
from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.errors import UserError

D = dt.date


@pytest.mark.parametrize(("key", "today", "expected"), [
    ("month", D(2026, 11, 25), (D(2026, 11, 1), D(2026, 11, 30))),
    ("last_month", D(2026, 1, 3), (D(2025, 12, 1), D(2025, 12, 31))),
    ("quarter", D(2026, 11, 25), (D(2026, 10, 1), D(2026, 12, 31))),
    ("last_quarter", D(2026, 11, 25), (D(2026, 7, 1), D(2026, 9, 30))),
    ("last_quarter", D(2026, 2, 3), (D(2025, 10, 1), D(2025, 12, 31))),
    ("half_year", D(2026, 6, 30), (D(2026, 1, 1), D(2026, 6, 30))),
    ("last_half_year", D(2026, 2, 3), (D(2025, 7, 1), D(2025, 12, 31))),
    ("year", D(2026, 11, 25), (D(2026, 1, 1), D(2026, 12, 31))),
    ("last_year", D(2026, 11, 25), (D(2025, 1, 1), D(2025, 12, 31))),
])
def test_named_periods(key: str, today: dt.date, expected: tuple[dt.date, dt.date]) -> None:
    assert e.compliance_period(key, today) == expected


def test_from_to_period_and_its_bad_input() -> None:
    assert e.compliance_period("custom", D(2026, 11, 25), D(2025, 3, 1), D(2025, 3, 1)) == (D(2025, 3, 1),
                                                                                          D(2025, 3, 1))
    for first, last in ((D(2026, 3, 2), D(2026, 3, 1)), (None, D(2026, 3, 1)), (D(2026, 3, 1), None)):
        with pytest.raises(UserError) as err:
            e.compliance_period("custom", D(2026, 11, 25), first, last)
        assert err.value.field == "period"
    assert set(e.COMPLIANCE_PERIOD_MSGIDS) == set(e.COMPLIANCE_PERIODS)


def test_every_domain_word_of_the_emergency_module_is_translated() -> None:
    catalog, _scan = i18n_tools.extract_catalog()
    extracted = {m.id for m in catalog if m.id}
    with i18n_tools.po_path("zh_CN").open("rb") as fh:
        zh = {m.id: m.string for m in read_po(fh, locale="zh_CN") if m.id and not m.fuzzy}
    words = {v for name, table in vars(e).items() if name.endswith("_MSGIDS") for v in table.values()}
    assert words and not words - extracted, sorted(words - extracted)
    assert all(zh.get(w) for w in words), sorted(w for w in words if not zh.get(w))
