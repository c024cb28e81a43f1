"""The office's working days: weekends, Vietnamese public holidays (Tết included), swaps."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import holidays
import yaml

from config.errors import ConfigurationError
from config.settings import get_settings

CALENDAR_FILE = "calendar.yaml"


@dataclass
class WorkingCalendar:
    """Which days a one-stop office works: Monday to Friday, less public holidays and
    announced days off, plus the weekend days worked in exchange for a bridge holiday."""

    working_days: frozenset[date] = frozenset()
    days_off: frozenset[date] = frozenset()
    _holidays: dict[int, frozenset[date]] = field(default_factory=dict, repr=False)

    def _public_holidays(self, year: int) -> frozenset[date]:
        if year not in self._holidays:
            self._holidays[year] = frozenset(holidays.country_holidays("VN", years=year))
        return self._holidays[year]

    def is_working_day(self, day: date) -> bool:
        """Whether the office is open for dossiers on this day."""
        if day in self.working_days:
            return True
        if day.weekday() >= 5 or day in self.days_off:
            return False
        return day not in self._public_holidays(day.year)

    def next_working_day(self, day: date, *, include_today: bool = False) -> date:
        """The first working day after `day` (or `day` itself when it is one and asked)."""
        if not include_today:
            day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        """The working day `days` working days after start (start itself counts from the
        next working day when it is not one: a dossier received on a Sunday)."""
        day = self.next_working_day(start, include_today=True)
        for _ in range(days):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how long a step took, as deadlines count it."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def _dates(raw: object, name: str) -> frozenset[date]:
    if not isinstance(raw, list) or not all(isinstance(d, date) for d in raw):
        raise ConfigurationError(f"{CALENDAR_FILE}: {name} must be a list of dates (YYYY-MM-DD)")
    return frozenset(raw)


def load_calendar(override_dir: Path | None = None) -> WorkingCalendar:
    """The calendar with the swapped days from calendar.yaml (override_dir's if present)."""
    if override_dir is not None and (override_dir / CALENDAR_FILE).is_file():
        text = (override_dir / CALENDAR_FILE).read_text(encoding="utf-8")
    else:
        text = resources.files("config").joinpath("data", CALENDAR_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return WorkingCalendar(
        working_days=_dates(data.get("working_days") or [], "working_days"),
        days_off=_dates(data.get("days_off") or [], "days_off"),
    )


@functools.cache
def get_calendar() -> WorkingCalendar:
    """The process's working calendar, from the settings' catalogue_dir or the defaults."""
    return load_calendar(get_settings().catalogue_dir)
