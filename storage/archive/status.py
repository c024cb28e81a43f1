"""The archive at a glance: packages, open fixity alerts, records due (for status and the API)."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import defaults
from config.retention import RetentionPolicy
from storage.archive.fixity import count_open_alerts, open_alerts
from storage.archive.retention import due_for_transfer, past_retention
from storage.enums import PackageStatus
from storage.models import ArchivePackage


def archive_status(
    session: Session, policy: RetentionPolicy, today: date, zone: ZoneInfo, *, alerts: int = 20
) -> dict[str, Any]:
    """Package counts by status, bytes archived, the newest open fixity alerts (and how many
    are open), and how many records are due for the archive soon or past retention."""
    counts = dict(
        session.execute(
            select(ArchivePackage.status, func.count()).group_by(ArchivePackage.status)
        ).all()
    )
    live = ArchivePackage.status != PackageStatus.DISPOSED
    total = session.scalar(select(func.sum(ArchivePackage.total_bytes)).where(live)) or 0
    due = due_for_transfer(session, policy, today, defaults.RETENTION_NOTICE_DAYS, zone)
    return {
        "packages": {status.value: counts.get(status, 0) for status in PackageStatus},
        "bytes": int(total),
        "open_alerts": count_open_alerts(session),
        "alerts": open_alerts(session, alerts),
        "due_for_archive": len(due),
        "overdue_for_archive": sum(1 for row in due if row["days_left"] < 0),
        "past_retention": len(past_retention(session, today)),
    }
