"""The office as a whole, as people see it: queue depths and failures, the archive's
health (`sohoa status`), the audit chain, the rates and figures per unit and month (`sohoa
stats`, the dashboard) and their CSV, the data-exchange feed, its receivers and its delivery
log."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import redis
from rq.job import JobStatus
from sqlalchemy import func, select

from config.retention import get_retention_policy
from config.settings import Settings
from storage.archive.status import archive_status
from storage.audit import ChainReport, verify_chain
from storage.db import open_database
from storage.enums import (
    DocumentStatus,
)
from storage.exchange import (
    add_endpoint,
    delivery_log,
    feed,
    set_endpoint_secret,
)
from storage.models import Document
from storage.outbox import catch_up_outbox
from storage.portal import PORTAL_RATE_NAMES, PortalRow, portal_rates
from storage.stats import RATE_NAMES, RateRow, total_rates, unit_month_rates
from workers.queues import all_queues, get_queue


def queue_view(settings: Settings, conn: redis.Redis) -> dict[str, Any]:
    """Queue depths and failures from Redis, and document states from the database."""
    queues = {}
    for name in all_queues():
        queue = get_queue(conn, name)
        queues[name] = {
            JobStatus.QUEUED.value: queue.count,
            JobStatus.STARTED.value: queue.started_job_registry.count,
            JobStatus.SCHEDULED.value: queue.scheduled_job_registry.count,
            JobStatus.FAILED.value: queue.failed_job_registry.count,
        }
    with open_database(settings).session(readonly=True) as session:
        counts = dict(
            session.execute(select(Document.status, func.count()).group_by(Document.status)).all()
        )
        failed = session.scalars(
            select(Document)
            .where(Document.status == DocumentStatus.FAILED)
            .order_by(Document.id.desc())
            .limit(10)
        ).all()
        recent_failures = [
            {
                "document_id": d.id,
                "file": d.original_filename,
                "code": d.error_code,
                "message": d.error_message,
            }
            for d in failed
        ]
    return {
        "queues": queues,
        "documents": {status.value: counts.get(status, 0) for status in DocumentStatus},
        "recent_failures": recent_failures,
    }


def archive_view(settings: Settings) -> dict[str, Any]:
    """The archive's health, for `sohoa status` and the HTTP API: packages, open fixity
    alerts (a file changed, missing or unexpected in a sealed package), records due for the
    archive within 30 days or overdue, records past retention."""
    today = datetime.now(settings.zone).date()
    with open_database(settings).session(readonly=True) as session:
        return archive_status(session, get_retention_policy(), today, settings.zone)


def audit_trail(settings: Settings) -> ChainReport:
    """The event log's hash chain checked from its first entry (storage.audit)."""
    with open_database(settings).session(readonly=True) as session:
        return verify_chain(session)


def figures_view(
    settings: Settings,
    *,
    by: str = "competent",
    unit: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, Any]]:
    """Both figure sets per unit (competent or receiving: `by`) and month: sohoa's stricter
    rates (storage.stats) at the top level, each {"numerator", "denominator", "rate"}, and
    under "portal" the national portal's (storage.portal); then the whole selection as unit
    and month "*". What `sohoa stats` prints and the dashboard shows."""
    with open_database(settings).session(readonly=True) as session:
        ours = unit_month_rates(session, settings.zone, unit=unit, start=start, end=end, by=by)
        portal, portal_total = portal_rates(
            session, settings.zone, by="receiving" if by == "receiving" else "competent",
            unit=unit, start=start, end=end,
        )  # fmt: skip
    mine = {(r.unit, r.month): r for r in ours}
    theirs = {(r.unit, r.month): r for r in portal}
    rows = []
    for key in sorted(mine.keys() | theirs.keys()):
        row = (mine.get(key) or RateRow(*key)).to_dict()
        row["portal"] = (theirs.get(key) or PortalRow(*key)).to_dict()
        rows.append(row)
    total = total_rates(ours).to_dict()
    total["portal"] = portal_total.to_dict()
    return [*rows, total]


def figures_csv(rows: list[dict[str, Any]]) -> str:
    """figures_view's rows as CSV with a header line: per sohoa rate its numerator,
    denominator and rate, then each portal figure's (prefixed portal_) and the portal's
    satisfaction (`sohoa stats --csv` and the dashboard's export)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["unit", "month"]
    for prefix, names in (("", RATE_NAMES), ("portal_", PORTAL_RATE_NAMES)):
        for name in names:
            header += [f"{prefix}{name}_{part}" for part in ("numerator", "denominator", "rate")]
    writer.writerow([*header, "portal_satisfaction"])
    for row in rows:
        cells = [row["unit"], row["month"]]
        for source, names in ((row, RATE_NAMES), (row["portal"], PORTAL_RATE_NAMES)):
            for name in names:
                rate = source[name]
                cells += [rate["numerator"], rate["denominator"], rate["rate"]]
        writer.writerow([*cells, row["portal"]["satisfaction"]])
    return out.getvalue()


def feed_view(settings: Settings, *, after: int = 0, limit: int = 100) -> dict[str, Any]:
    """The data-exchange feed: messages after the cursor `after` (an event id), oldest
    first, and the cursor to ask with next. The outbox first catches up with the event log
    (settled events), so a system that only pulls never waits for the webhooks worker."""
    catch_up_outbox(settings)
    with open_database(settings).session(readonly=True) as session:
        messages, cursor = feed(session, after=after, limit=limit)
    return {"messages": messages, "next": cursor}


def add_receiver(settings: Settings, *, name: str, url: str, secret: str) -> None:
    """Register a webhook receiver (storage.exchange.add_endpoint): it gets every message
    from now on."""
    with open_database(settings).session() as session:
        add_endpoint(session, name=name, url=url, secret=secret)


def set_receiver_secret(settings: Settings, name: str, secret: str) -> None:
    """Give a receiver a new shared secret and make it active again."""
    with open_database(settings).session() as session:
        set_endpoint_secret(session, name, secret)


def deliveries_view(settings: Settings, *, limit: int = 50) -> dict[str, Any]:
    """The webhook delivery log: per endpoint, what is pending and the latest tries."""
    with open_database(settings).session(readonly=True) as session:
        return {"endpoints": delivery_log(session, limit=limit)}
