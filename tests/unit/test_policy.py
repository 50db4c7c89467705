"""Policy profile: regulation defaults, validation and the inclusive 以上 helpers."""

from __future__ import annotations

import pytest

from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.domain.policy import (
    SETTINGS,
    SETTINGS_BY_KEY,
    PolicyProfile,
    parse_ratio,
    passes_ratio,
    passes_two_thirds,
    required_representatives,
    required_workers,
)

EXPECTED_DEFAULTS = {
    "households_per_representative": 50, "major_matter_ratio": "2/3", "social_workers_min": 6,
    "social_workers_max": 8, "households_per_worker_min": 300, "households_per_worker_max": 500,
    "complex_review_wd": 5, "supplement_deadline_wd": 3, "notice_issue_deadline_wd": 0,
    "file_review_months": 3, "phone_calls_per_week": 1, "visits_per_month": 1,
    "disability_assessment_months": 6, "child_sessions_per_month": 2, "onspot_mediation_hours": 24,
    "council_wd": 3, "complex_dispute_wd": 5, "subdistrict_weight_pct": 40, "resident_weight_pct": 60,
    "evaluation_coverage_pct": 10, "on_time_rate_pct": 98, "general_response_hours": 24,
    "urgent_arrival_minutes": 30, "mediation_success_pct": 90, "special_group_satisfaction_pct": 95,
    "supervisory_members": 3, "supervisory_term_years": 5, "complaint_contact_minutes": 60,
    "complaint_feedback_wd": 3, "excellent_award_pct": 20, "star_resident_pct": 10,
    "cobuilding_years": 3, "org_experience_years": 3, "elderly_hours_per_month": 8,
    "satisfaction_payment_pct": 80, "evaluation_payment_pct": 20, "five_star_award_yuan": 500,
    "emergency_team_min": 20, "drills_per_year": 2, "trainings_per_year": 4, "onsite_minutes": 5,
    "report_minutes": 15, "office_close_time": "17:30", "elderly_age": 60, "idle_lock_minutes": 10,
    "login_max_failures": 5, "login_lockout_minutes": 15, "due_soon_wd": 1, "emergency_kit_days": 30,
}


def test_defaults_match_the_regulation() -> None:
    profile = PolicyProfile.defaults()
    for key, value in EXPECTED_DEFAULTS.items():
        assert profile.get(key) == value, key
    assert len(profile) == len(SETTINGS)
    assert SETTINGS_BY_KEY["complex_review_wd"].label == "复杂事项初审时限"
    assert SETTINGS_BY_KEY["complex_review_wd"].rule == "R13"


def test_settings_are_well_formed() -> None:
    keys = [s.key for s in SETTINGS]
    assert len(keys) == len(set(keys))
    for s in SETTINGS:
        assert s.label and s.help, s.key
        if s.minimum is not None and isinstance(s.default, (int, float)):
            assert s.minimum <= s.default, s.key
        if s.maximum is not None and isinstance(s.default, (int, float)):
            assert s.default <= s.maximum, s.key


def test_unknown_key_in_get_raises() -> None:
    with pytest.raises(KeyError):
        PolicyProfile.defaults().get("complex_reveiw_wd")


def test_with_changes_returns_new_profile() -> None:
    base = PolicyProfile.defaults()
    changed = base.with_changes({"complex_review_wd": 7, "office_close_time": "18:00", "on_time_rate_pct": 97.5})
    assert changed.get("complex_review_wd") == 7
    assert changed.get("office_close_time") == "18:00"
    assert changed.float_value("on_time_rate_pct") == 97.5
    assert base.get("complex_review_wd") == 5
    assert changed.changed_from_defaults() == {"complex_review_wd": 7, "office_close_time": "18:00", "on_time_rate_pct": 97.5}
    assert changed != base


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"no_such_setting": 1}, "no_such_setting"),
        ({"complex_review_wd": "5"}, "complex_review_wd"),
        ({"complex_review_wd": 5.5}, "complex_review_wd"),
        ({"complex_review_wd": True}, "complex_review_wd"),
        ({"complex_review_wd": 0}, "complex_review_wd"),
        ({"supplement_deadline_wd": 4}, "supplement_deadline_wd"),
        ({"on_time_rate_pct": 101}, "on_time_rate_pct"),
        ({"office_close_time": "25:00"}, "office_close_time"),
        ({"office_close_time": "5pm"}, "office_close_time"),
        ({"major_matter_ratio": "3/2"}, "major_matter_ratio"),
        ({"major_matter_denominator": "everyone"}, "major_matter_denominator"),
        ({"subdistrict_weight_pct": 50}, "subdistrict_weight_pct"),
        ({"social_workers_min": 9}, "social_workers_min"),
    ],
)
def test_with_changes_rejects(changes: dict[str, object], field: str) -> None:
    with pytest.raises(UserError) as info:
        PolicyProfile.defaults().with_changes(changes)
    assert info.value.field == field


def test_several_problems_are_reported_together() -> None:
    with pytest.raises(ValidationErrors) as info:
        PolicyProfile.defaults().with_changes({"complex_review_wd": 0, "council_wd": "x"})
    assert {e.field for e in info.value.errors} == {"complex_review_wd", "council_wd"}


def test_paired_changes_pass_together() -> None:
    profile = PolicyProfile.defaults().with_changes({"subdistrict_weight_pct": 50, "resident_weight_pct": 50})
    assert (profile.get("subdistrict_weight_pct"), profile.get("resident_weight_pct")) == (50.0, 50.0)


def test_round_trip_and_lenient_from_dict() -> None:
    profile = PolicyProfile.defaults().with_changes({"elderly_age": 65, "major_matter_ratio": "3/4"})
    assert PolicyProfile.from_dict(profile.to_dict()) == profile
    loaded = PolicyProfile.from_dict({"elderly_age": 65, "removed_setting": 1, "council_wd": -3,
                                      "social_workers_min": 10})
    assert loaded.get("elderly_age") == 65
    assert loaded.get("council_wd") == 3
    assert (loaded.get("social_workers_min"), loaded.get("social_workers_max")) == (6, 8)
    assert "removed_setting" not in loaded
    assert profile.ratio() == (3, 4)


def test_parse_ratio() -> None:
    assert parse_ratio("2/3") == (2, 3)
    assert parse_ratio(" 1 / 2 ") == (1, 2)
    for bad in ("0/3", "4/3", "2:3", ""):
        with pytest.raises(ValueError):
            parse_ratio(bad)


@pytest.mark.parametrize(
    ("yes", "seated", "passes"),
    [(20, 30, True), (19, 30, False), (2, 3, True), (1, 2, False), (14, 21, True), (13, 20, False),
     (14, 20, True), (0, 0, False)],
)
def test_passes_two_thirds_is_inclusive(yes: int, seated: int, passes: bool) -> None:
    assert passes_two_thirds(yes, seated) is passes


def test_passes_ratio_custom() -> None:
    assert passes_ratio(3, 4, 3, 4) is True
    assert passes_ratio(2, 4, 3, 4) is False


@pytest.mark.parametrize(("households", "seats"), [(0, 0), (1, 1), (50, 1), (51, 2), (100, 2), (2999, 60), (3001, 61)])
def test_required_representatives_rounds_up(households: int, seats: int) -> None:
    assert required_representatives(households) == seats


def test_required_workers() -> None:
    assert required_workers(3000) == (6, 10)
    assert required_workers(2500) == (5, 9)
    assert required_workers(0) == (0, 0)
