"""Working days as a one-stop office counts them: weekends, holidays, Tết, swapped days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from config.calendar import get_calendar, load_calendar
from config.errors import ConfigurationError
from storage.deadlines import appointment_for

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_weekends_and_public_holidays_are_not_working_days() -> None:
    calendar = get_calendar()
    assert calendar.is_working_day(date(2026, 3, 13))  # a Friday
    assert not calendar.is_working_day(date(2026, 3, 14))  # Saturday
    assert not calendar.is_working_day(date(2026, 9, 2))  # National Day
    assert not calendar.is_working_day(date(2026, 4, 27))  # Hùng Kings, observed


def test_2026s_new_days_off_are_not_working_days() -> None:
    """The holidays floor in pyproject.toml (0.106) is the first release that knows them."""
    calendar = get_calendar()
    assert not calendar.is_working_day(date(2026, 8, 31))  # bridge to National Day
    assert not calendar.is_working_day(date(2026, 11, 24))  # Vietnam Culture Day
    assert calendar.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)


def test_tet_is_a_week_without_working_days() -> None:
    calendar = get_calendar()
    tet_2026 = [date(2026, 2, day) for day in range(16, 21)]
    assert not any(calendar.is_working_day(day) for day in tet_2026)
    # a dossier received the Friday before Tết with 1 working day is due after Tết
    assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)


def test_a_saturday_worked_in_exchange_counts_and_the_bridge_day_does_not() -> None:
    calendar = get_calendar()
    assert calendar.is_working_day(date(2026, 8, 22))  # a Saturday, worked
    assert not calendar.is_working_day(date(2026, 8, 31))  # the Monday it bought


def test_an_appointment_is_the_end_of_the_last_working_day() -> None:
    received = datetime(2026, 4, 24, 3, 0, tzinfo=UTC)  # Friday 10:00 in Hà Nội
    due = appointment_for(received, 3, HANOI, get_calendar())
    # Mon 27 (Hùng Kings observed) is off; Tue 28 and Wed 29 count; 30/4, 1/5 and the weekend
    # are off; Monday 4 May is the third working day
    assert due == datetime(2026, 5, 4, 17, 0, tzinfo=HANOI)
    same_day = appointment_for(datetime(2026, 4, 25, 3, 0, tzinfo=UTC), 0, HANOI, get_calendar())
    assert same_day.date() == date(2026, 4, 28)  # received on a Saturday: the next working day


def test_working_days_between_count_like_deadlines() -> None:
    assert get_calendar().working_days_between(date(2026, 4, 24), date(2026, 5, 4)) == 3


def test_announced_days_come_from_the_catalogue_directory(tmp_path: Path) -> None:
    (tmp_path / "calendar.yaml").write_text("working_days: []\ndays_off: [2026-03-13]\n")
    calendar = load_calendar(tmp_path)
    assert not calendar.is_working_day(date(2026, 3, 13))
    (tmp_path / "calendar.yaml").write_text("days_off: [tomorrow]\n")
    with pytest.raises(ConfigurationError, match="days_off"):
        load_calendar(tmp_path)
