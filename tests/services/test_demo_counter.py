"""The demo station's counter is not empty: cases in every state, some overdue, papers in the register."""

from __future__ import annotations

from sqlalchemy import func, select

from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.counter_models import Case
from shequ_desktop.services import counter_oversight, documents
from shequ_desktop.services.counter import STATUS_LABELS
from tests.conftest import as_role


def test_demo_has_cases_in_every_state_some_overdue_and_printed_papers(demo_ctx) -> None:
    with demo_ctx.transaction() as s:
        states = set(s.execute(select(Case.status)).scalars())
        assert s.execute(select(func.count()).select_from(Case)).scalar_one() >= len(STATUS_LABELS)
    assert states == set(STATUS_LABELS)
    chief = as_role(demo_ctx, Role.CHIEF, "chief")
    late = counter_oversight.overdue_cases(chief)
    assert any(r.status == "accepted" for r in late) and any(r.supplement_overdue for r in late)
    assert len(documents.register(chief)) >= 5
