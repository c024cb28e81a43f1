"""What a night does to the archive, as one use case: fixity of a share of the packages
(each checked, repaired and recorded), then the retention lists and the open alerts; and
the retention lists alone, as the archivist's page and `sohoa retention` show them."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from config import defaults
from config.retention import RetentionPolicy
from storage.archive.fixity import count_open_alerts, run_fixity
from storage.archive.layout import ArchiveRoots
from storage.archive.retention import due_for_transfer, past_retention
from storage.db import Database

log = logging.getLogger(__name__)


def retention_lists(
    db: Database, policy: RetentionPolicy, today: date, zone: ZoneInfo
) -> dict[str, list[dict[str, Any]]]:
    """Records due for the archive within the notice period (or overdue), and records past
    their retention period."""
    with db.session(readonly=True) as session:
        due = due_for_transfer(session, policy, today, defaults.RETENTION_NOTICE_DAYS, zone)
        return {"due_for_archive": due, "past_retention": past_retention(session, today)}


def nightly_care(
    db: Database,
    roots: ArchiveRoots,
    policy: RetentionPolicy,
    today: date,
    zone: ZoneInfo,
    *,
    share: float | None,
    actor: str,
) -> dict[str, Any]:
    """Fixity of a share of the packages, then the retention lists: a night's summary."""
    reports = run_fixity(db, roots, share=share, actor=actor)
    lists = retention_lists(db, policy, today, zone)
    with db.session(readonly=True) as session:
        alerts = count_open_alerts(session)
    due, expired = lists["due_for_archive"], lists["past_retention"]
    summary = {
        "packages_checked": len(reports),
        "bytes_read": sum(r.bytes_read for r in reports),
        "findings": sum(len(r.findings) for r in reports),
        "unrepaired": sum(1 for r in reports if not r.whole),
        "open_alerts": alerts,
        "due_for_archive": len(due),
        "past_retention": len(expired),
    }
    level = logging.WARNING if summary["findings"] or due or expired else logging.INFO
    log.log(level, "nightly maintenance: %s", summary)
    return summary
