"""Deadline units a 2026 catalogue can express: working days, working hours, calendar days,
same day with a 15:00 cut-off, extra days for remote units, periods the law leaves out."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from config.calendar import get_calendar
from config.catalogue import Deadline, ExcludedPeriod, Procedure, get_catalogue
from storage.deadlines import deadline_for

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _due(procedure: Procedure, received: datetime, *, remote: bool = False) -> datetime:
    return deadline_for(received, procedure, HANOI, get_calendar(), remote=remote)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=HANOI)


def _procedure(days: int, deadline: Deadline) -> Procedure:
    base = get_catalogue().procedure("1.001612")
    return base.model_copy(update={"processing_days": days, "deadline": deadline})


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (_at(2, 14, 59), _at(2, 17)),  # Monday before 15:00: the same day
        (_at(2, 15, 1), _at(3, 17)),  # after the cut-off: the next working day
        (_at(7, 9), _at(9, 17)),  # a Saturday: Monday
        (_at(6, 16), _at(9, 17)),  # Friday after 15:00: Monday
    ],
)
def test_birth_registration_is_same_day_with_a_15_00_cut_off(
    received: datetime, due: datetime
) -> None:
    assert _due(get_catalogue().procedure("1.001193"), received) == due


def test_working_hours_count_only_office_hours() -> None:
    """6 working hours from Monday 15:00: 2 on Monday (to 17:00), 4 on Tuesday (08:00-12:00)."""
    hours = _procedure(0, Deadline(unit="working_hours", hours=6))
    assert _due(hours, _at(2, 15)) == _at(3, 12)
    assert _due(hours, _at(6, 18)) == _at(9, 15)  # Friday evening: Monday 08-12, 13-15


def test_calendar_days_end_on_a_working_day() -> None:
    week = _procedure(7, Deadline(unit="calendar_days"))
    assert _due(week, _at(2, 9)) == _at(9, 17)  # Monday + 7 days: Monday
    assert _due(_procedure(5, Deadline(unit="calendar_days")), _at(2, 9)) == _at(9, 17)  # Sat


def test_remote_units_and_excluded_periods_move_the_appointment() -> None:
    land = get_catalogue().procedure("1.004227")  # 10 working days, +10 where remote
    assert _due(land, _at(2, 9)) == _at(16, 17)
    assert _due(land, _at(2, 9), remote=True) == _at(30, 17)
    posted = _procedure(3, Deadline(excluded=(
        ExcludedPeriod(label="Niêm yết công khai", days=15, calendar_days=True),
    )))  # fmt: skip
    # 3 working days from Monday 2 March: Thursday 5; + 15 calendar days: Friday 20
    assert _due(posted, _at(2, 9)) == _at(20, 17)


def test_a_catalogue_deadline_in_hours_needs_its_hours() -> None:
    with pytest.raises(ValueError, match="hours"):
        Deadline(unit="working_hours")
    with pytest.raises(ValueError, match="HH:MM"):
        Deadline(unit="same_day", cutoff="3pm")
