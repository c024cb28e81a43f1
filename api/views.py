"""Read models: a dossier and the queue as people see them, ready for JSON or a terminal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import redis
from rq.job import JobStatus
from sqlalchemy import func, select

from config import defaults
from config.catalogue import get_catalogue
from config.errors import NotFound
from config.retention import get_retention_policy
from config.settings import Settings
from config.text import collapse_whitespace
from storage.archive.status import archive_status
from storage.blobs import open_blob_store
from storage.db import open_database
from storage.dossiers import get_dossier
from storage.enums import ComponentState, DocumentStatus
from storage.models import Component, Document, Dossier
from storage.stats import total_rates, unit_month_rates
from workers.queues import ALL_QUEUES, get_queue


def _local(settings: Settings, moment: datetime | None) -> str | None:
    """ISO 8601 in the office's time zone, as clerks read dates."""
    return moment.astimezone(settings.zone).isoformat(timespec="seconds") if moment else None


def _type_name(code: str | None) -> str | None:
    if code is None:
        return None
    try:
        return get_catalogue().document_type(code).name
    except NotFound:
        return code


def _document_view(settings: Settings, doc: Document) -> dict[str, Any]:
    pdf_path = (
        str(open_blob_store(settings.blob_path).path(doc.pdf_sha256)) if doc.pdf_sha256 else None
    )
    return {
        "id": doc.id,
        "file": doc.original_filename,
        "sha256": doc.original_sha256,
        "status": doc.status.value,
        "component_id": doc.component_id,
        "document_type": doc.document_type,
        "type_name": _type_name(doc.document_type),
        "type_confidence": doc.type_confidence,
        "pages": doc.page_count,
        "pdfa": doc.pdfa,
        "pdf": pdf_path,
        "pdf_sha256": doc.pdf_sha256,
        "fields": {name: f.get("value") for name, f in (doc.fields or {}).items()},
        "excerpt": collapse_whitespace(doc.text or "")[: defaults.EXCERPT_CHARS] or None,
        "page_flags": sorted(
            {flag for page in doc.page_info or [] for flag in page.get("flags", [])}
        ),
        "attempts": doc.attempts,
        "error": {"code": doc.error_code, "message": doc.error_message} if doc.error_code else None,
    }


def _component_view(component: Component) -> dict[str, Any]:
    return {
        "id": component.id,
        "label": component.label,
        "expected_type": component.expected_type,
        "required": component.required,
        "state": component.state.value,
        "documents": [d.id for d in component.documents],
    }


def _completeness(dossier: Dossier) -> dict[str, Any]:
    required = [c for c in dossier.components if c.required]
    missing = [
        c.label for c in required if c.state in (ComponentState.MISSING, ComponentState.FAILED)
    ]
    pending = [c.label for c in required if c.state is ComponentState.RECEIVED]
    return {
        "complete": not missing and not pending,
        "missing_required": missing,
        "pending_required": pending,
    }


def dossier_view(settings: Settings, code: str) -> dict[str, Any]:
    """Everything `sohoa dossier show` prints about a dossier."""
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        try:
            procedure_name = get_catalogue().procedure(dossier.procedure_code).name
        except NotFound:
            procedure_name = dossier.procedure_code
        unassigned = [d for d in dossier.documents if d.component_id is None]
        return {
            "code": dossier.code,
            "procedure": {"code": dossier.procedure_code, "name": procedure_name},
            "applicant": {"name": dossier.applicant_name, "id_number": dossier.applicant_id_number},
            "unit": dossier.unit_code,
            "status": dossier.status.value,
            "received_at": _local(settings, dossier.received_at),
            "appointment_at": _local(settings, dossier.appointment_at),
            "finished_at": _local(settings, dossier.finished_at),
            "components": [_component_view(c) for c in dossier.components],
            "documents": [_document_view(settings, d) for d in dossier.documents],
            "unassigned_documents": [d.id for d in unassigned],
            "completeness": _completeness(dossier),
        }


def queue_view(settings: Settings, conn: redis.Redis) -> dict[str, Any]:
    """Queue depths and failures from Redis, and document states from the database."""
    queues = {}
    for name in ALL_QUEUES:
        queue = get_queue(conn, name)
        queues[name.value] = {
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


def stats_view(
    settings: Settings,
    *,
    unit: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, Any]]:
    """The national index's four rates per unit and month (storage.stats), then the whole
    selection as a last row with unit and month "*": what `sohoa stats` prints and the
    dashboard shows. Each rate is {"numerator", "denominator", "rate"}."""
    with open_database(settings).session(readonly=True) as session:
        rows = unit_month_rates(session, settings.zone, unit=unit, start=start, end=end)
    return [*(r.to_dict() for r in rows), total_rates(rows).to_dict()]
