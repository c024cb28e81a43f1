"""Retention periods and access regimes of archived records, from config/data/retention.yaml."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from config import defaults
from config.errors import ConfigurationError
from config.labels import ACCESS_REGIMES
from config.settings import get_settings

PERMANENT = "permanent"
PERIODS = (10, 20, 30, 50, 70)
"""The periods in years an archive schedule may give (Circular 10/2022/TT-BNV). DOMAIN: no
schedule issued under the Law on Archives 2024 was found to replace it; the periods are the
catalogue's (retention.yaml), to check against the province's schedule."""


class TransferCount(StrEnum):
    """Where the period for handing a finished dossier's records to the agency archive
    starts (retention.yaml `transfer_counted_from`).

    DOMAIN: the Law on Archives 2024 (33/2024/QH15, Art. 17) is reported by secondary
    sources to give "tối đa là 01 năm, tính từ năm kết thúc công việc" (at most a year,
    counted from the year the work ended); the official text was not at hand, so the
    reading is configurable and the default is that one."""

    YEAR_END = "year_end"
    """From the end of the year the work ended (Law on Archives 2024, as reported): a
    dossier finished in March 2026 is due by 31 December 2027."""
    DAY = "day"
    """From the day the work ended (Law on Archives 2011, Art. 11)."""


class AccessRegime(StrEnum):
    """Who may be handed an access copy of a record (chế độ sử dụng)."""

    OPEN = "open"
    """Công khai: any user with an account."""
    RESTRICTED = "restricted"
    """Hạn chế sử dụng: the record holds personal data; copies to named users with a reason."""

    @property
    def label_vi(self) -> str:
        """As archivists write it."""
        return ACCESS_REGIMES[self.value]


@dataclass(frozen=True)
class Retention:
    """How long a record is kept: a number of years, or permanently (years None)."""

    years: int | None

    @classmethod
    def parse(cls, value: object) -> Retention:
        """`permanent` or one of PERIODS; ValueError for anything else."""
        if isinstance(value, str) and value.strip().lower() == PERMANENT:
            return cls(None)
        if isinstance(value, int | str) and str(value).strip().isdigit():
            years = int(value)
            if years in PERIODS:
                return cls(years)
        raise ValueError(f"retention {value!r} is not {PERMANENT!r} or one of {PERIODS} years")

    @property
    def permanent(self) -> bool:
        """Whether the record is never disposed of."""
        return self.years is None

    @property
    def code(self) -> str:
        """How it is stored and written in packages: `permanent` or the years, e.g. `70`."""
        return PERMANENT if self.years is None else str(self.years)

    @property
    def label(self) -> str:
        """English: `permanent` or `70 years`."""
        return PERMANENT if self.years is None else f"{self.years} years"

    @property
    def label_vi(self) -> str:
        """As archivists write it: `Vĩnh viễn` or `70 năm`."""
        return "Vĩnh viễn" if self.years is None else f"{self.years} năm"

    def longest(self, other: Retention) -> Retention:
        """The longer of two periods (permanent is longest)."""
        if self.years is None or other.years is None:
            return Retention(None)
        return self if self.years >= other.years else other

    def until(self, end: date) -> date | None:
        """The day a record ending on `end` may be disposed of; None if permanent."""
        if self.years is None:
            return None
        try:
            return end.replace(year=end.year + self.years)
        except ValueError:  # 29 February in a year that has none
            return end.replace(year=end.year + self.years, day=28)


@dataclass(frozen=True)
class RecordRule:
    """What the policy decides for one record."""

    retention: Retention
    access: AccessRegime


@dataclass(frozen=True)
class RetentionPolicy:
    """The whole retention schedule: defaults, per procedure, per document type."""

    default: Retention
    access: AccessRegime
    transfer_within_days: int
    procedures: Mapping[str, RecordRule] = field(default_factory=dict)
    document_types: Mapping[str, Retention] = field(default_factory=dict)
    transfer_counted_from: TransferCount = TransferCount.YEAR_END

    def transfer_due(self, closed: date) -> date:
        """The last day a dossier whose work ended on `closed` may reach the agency
        archive: the law in force that day decides where the period starts (work ended
        before config.defaults.ARCHIVES_LAW_2024_FROM keeps the 2011 law's day count)."""
        period = timedelta(days=self.transfer_within_days)
        old_law = closed < date.fromisoformat(defaults.ARCHIVES_LAW_2024_FROM)
        if old_law or self.transfer_counted_from is TransferCount.DAY:
            return closed + period
        return date(closed.year, 12, 31) + period

    def for_record(self, procedure_code: str, document_types: Iterable[str]) -> RecordRule:
        """The period of a record: the longest of its procedure's and its documents' types'
        (a record is kept as long as its longest-lived part must be); the default if none
        is listed. Its access regime: the procedure's, else the default."""
        found: list[Retention] = []
        rule = self.procedures.get(procedure_code)
        if rule is not None:
            found.append(rule.retention)
        found.extend(self.document_types[t] for t in document_types if t in self.document_types)
        retention = self.default if not found else found[0]
        for other in found[1:]:
            retention = retention.longest(other)
        return RecordRule(retention, rule.access if rule is not None else self.access)


def _read(override_dir: Path | None) -> Any:
    name = "retention.yaml"
    if override_dir is not None and (override_dir / name).is_file():
        text = (override_dir / name).read_text(encoding="utf-8")
    else:
        text = resources.files("config").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _procedure_rule(value: Any, access: AccessRegime) -> RecordRule:
    if isinstance(value, dict):
        return RecordRule(
            Retention.parse(value["retention"]), AccessRegime(value.get("access", access))
        )
    return RecordRule(Retention.parse(value), access)


def load_retention_policy(override_dir: Path | None = None) -> RetentionPolicy:
    """Read and validate retention.yaml, from override_dir where it exists there."""
    try:
        data = _read(override_dir)
        access = AccessRegime(data.get("access", AccessRegime.RESTRICTED))
        days = int(data.get("transfer_within_days", 365))
        if days <= 0:
            raise ValueError("transfer_within_days must be positive")
        return RetentionPolicy(
            default=Retention.parse(data["default"]),
            access=access,
            transfer_within_days=days,
            transfer_counted_from=TransferCount(
                data.get("transfer_counted_from", TransferCount.YEAR_END)
            ),
            procedures={
                str(code): _procedure_rule(value, access)
                for code, value in (data.get("procedures") or {}).items()
            },
            document_types={
                str(code): Retention.parse(value)
                for code, value in (data.get("document_types") or {}).items()
            },
        )
    except (OSError, KeyError, TypeError, AttributeError, ValueError, yaml.YAMLError) as e:
        raise ConfigurationError(f"retention.yaml cannot be used: {e}") from e


@functools.cache
def get_retention_policy() -> RetentionPolicy:
    """The process's retention policy, loaded once from the catalogue directory or defaults."""
    return load_retention_policy(get_settings().catalogue_dir)
