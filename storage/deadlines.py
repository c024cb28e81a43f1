"""Appointment dates: a procedure's processing time counted in working days."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from config.calendar import WorkingCalendar

RETURN_TIME = time(17, 0)
"""Results are promised by the end of the office's working day."""


def appointment_for(
    received_at: datetime, working_days: int, zone: ZoneInfo, calendar: WorkingCalendar
) -> datetime:
    """The end of the working day `working_days` after reception, skipping weekends, public
    holidays (Tết included) and announced days off; zero days means the same working day."""
    day = calendar.add_working_days(received_at.astimezone(zone).date(), working_days)
    return datetime.combine(day, RETURN_TIME, tzinfo=zone)
