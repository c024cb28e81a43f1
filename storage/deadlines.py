"""Appointment dates: a procedure's processing time counted in working days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

RETURN_TIME = time(17, 0)
"""Results are promised by the end of the office's working day."""


def appointment_for(received_at: datetime, working_days: int, zone: ZoneInfo) -> datetime:
    """The end of the working day `working_days` after reception, skipping weekends.

    Public holidays and pauses for supplements are not counted yet; zero days means the
    same day.
    """
    day = _next_working_day(received_at.astimezone(zone).date(), include_today=True)
    for _ in range(working_days):
        day = _next_working_day(day, include_today=False)
    return datetime.combine(day, RETURN_TIME, tzinfo=zone)


def _next_working_day(day: date, *, include_today: bool) -> date:
    if not include_today:
        day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
