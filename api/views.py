"""Read models: a dossier and the queue as people see them, ready for JSON or a terminal."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

import redis
from rq.job import JobStatus
from sqlalchemy import func, select

from config import defaults
from config.calendar import get_calendar
from config.catalogue import get_catalogue
from config.errors import NotFound
from config.retention import get_retention_policy
from config.settings import Settings
from config.text import collapse_whitespace
from storage.archive.status import archive_status
from storage.backlog import DUE_SOON, OVERDUE, WAITING, backlog
from storage.completeness import check_completeness
from storage.db import open_database
from storage.digitization import valid_results
from storage.dossiers import get_dossier
from storage.enums import DocumentStatus
from storage.exchange import delivery_log, feed, fill_outbox, settled_before
from storage.models import Component, DigitizationResult, Document
from storage.portal import PORTAL_RATE_NAMES, PortalRow, portal_rates
from storage.stats import RATE_NAMES, RateRow, total_rates, unit_month_rates
from storage.types import utcnow
from workers.queues import ALL_QUEUES, get_queue


def local_time(settings: Settings, moment: datetime | None) -> str | None:
    """ISO 8601 in the office's time zone, as clerks read dates."""
    return moment.astimezone(settings.zone).isoformat(timespec="seconds") if moment else None


def _type_name(code: str | None) -> str | None:
    if code is None:
        return None
    try:
        return get_catalogue().document_type(code).name
    except NotFound:
        return code


def _procedure_name(code: str) -> str:
    try:
        return get_catalogue().procedure(code).name
    except NotFound:
        return code


def document_pdf_url(document_id: int) -> str:
    """Where the HTTP API serves a document's searchable PDF: what answers name, never the
    blob's place on the server's disk."""
    return f"/api/documents/{document_id}/pdf"


def _document_view(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "file": doc.original_filename,
        "sha256": doc.original_sha256,
        "status": doc.status.value,
        "component_id": doc.component_id,
        "parent_id": doc.parent_id,
        "pages_of_file": [doc.first_page, doc.last_page] if doc.parent_id else None,
        "parts": [p.id for p in doc.parts if p.status is not DocumentStatus.SUPERSEDED],
        "document_type": doc.document_type,
        "type_name": _type_name(doc.document_type),
        "type_confidence": doc.type_confidence,
        "type_source": doc.type_source,
        "type_candidates": doc.type_candidates,
        "pages": doc.page_count,
        "pdfa": doc.pdfa,
        "pdf": document_pdf_url(doc.id) if doc.pdf_sha256 else None,
        "pdf_sha256": doc.pdf_sha256,
        "fields": {name: f.get("value") for name, f in (doc.fields or {}).items()},
        "excerpt": collapse_whitespace(doc.text or "")[: defaults.EXCERPT_CHARS] or None,
        "page_flags": sorted(
            {flag for page in doc.page_info or [] for flag in page.get("flags", [])}
        ),
        "attempts": doc.attempts,
        "error": {"code": doc.error_code, "message": doc.error_message} if doc.error_code else None,
    }


def _component_view(settings: Settings, component: Component) -> dict[str, Any]:
    return {
        "id": component.id,
        "label": component.label,
        "expected_type": component.expected_type,
        "required": component.required,
        "state": component.state.value,
        "documents": [d.id for d in component.documents],
        "result": _result_view(settings, component.result, component.dossier_id),
    }


def _result_view(
    settings: Settings, result: DigitizationResult | None, dossier_id: int | None = None
) -> dict[str, Any] | None:
    """A digitization result as clerks see it: its code, signed file, owner and validity;
    `reused_from` names the dossier it was made for when that is another one."""
    if result is None:
        return None
    return {
        "code": result.code,
        "status": result.status.value,
        "document_type": result.document_type,
        "type_name": _type_name(result.document_type),
        "owner_id_number": result.owner_id_number,
        "issued_on": result.issued_on.isoformat() if result.issued_on else None,
        "valid_until": result.valid_until.isoformat() if result.valid_until else None,
        "unit": result.unit_code,
        "signer": result.signer_name,
        "signed_at": local_time(settings, result.signed_at),
        "pdf_sha256": result.pdf_sha256,
        "dossier": result.dossier.code,
        "reused_from": result.dossier.code if dossier_id not in (None, result.dossier_id) else None,
    }


def dossier_view(settings: Settings, code: str) -> dict[str, Any]:
    """Everything `sohoa dossier show` prints about a dossier. Files are named by SHA-256
    and by the API's URL: no answer of the web service tells where its data lives."""
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code, detail=True)
        procedure_name = _procedure_name(dossier.procedure_code)
        unassigned = [
            d
            for d in dossier.documents
            if d.component_id is None
            and d.status not in (DocumentStatus.SPLIT, DocumentStatus.SUPERSEDED)
        ]
        stacks = [d for d in dossier.documents if d.status is DocumentStatus.SPLIT]
        return {
            "code": dossier.code,
            "procedure": {"code": dossier.procedure_code, "name": procedure_name},
            "applicant": {"name": dossier.applicant_name, "id_number": dossier.applicant_id_number},
            "unit": dossier.unit_code,
            "competent_unit": dossier.competent_unit_code,
            "status": dossier.status.value,
            "received_at": local_time(settings, dossier.received_at),
            "rules": dossier.rules,
            "appointment_at": local_time(settings, dossier.appointment_at),
            "finished_at": local_time(settings, dossier.finished_at),
            "components": [_component_view(settings, c) for c in dossier.components],
            "documents": [_document_view(d) for d in dossier.documents],
            "unassigned_documents": [d.id for d in unassigned],
            "stacks": [d.id for d in stacks],
            "completeness": check_completeness(dossier).to_dict(),
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


def figures_view(
    settings: Settings,
    *,
    by: str = "competent",
    unit: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, Any]]:
    """Both figure sets per unit (competent or receiving: `by`) and month: sohoa's stricter
    rates (storage.stats) at the top level, as stats_view gives them, and under "portal" the
    national portal's (storage.portal); then the whole selection as unit and month "*"."""
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


def citizen_documents_view(
    settings: Settings, code: str, *, units: Collection[str] | None = None
) -> dict[str, Any]:
    """The applicant's still-valid digitization results, for the clerk opening this dossier
    to reuse instead of rescanning; only those of `units` (the units the clerk may see;
    None: every unit). Each result says which components of this dossier it may serve."""
    today = datetime.now(settings.zone).date()
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        found = (
            valid_results(session, dossier.applicant_id_number, on=today, units=units)
            if dossier.applicant_id_number
            else []
        )
        documents = []
        for result in found:
            if result.dossier_id == dossier.id:
                continue
            view = _result_view(settings, result)
            assert view is not None
            view["components"] = [
                c.id
                for c in dossier.components
                if c.expected_type == result.document_type and c.result_id is None
            ]
            documents.append(view)
        return {
            "code": dossier.code,
            "id_number": dossier.applicant_id_number,
            "documents": documents,
        }


def backlog_view(
    settings: Settings,
    *,
    unit: str | None = None,
    leader: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Open dossiers overdue, due by the end of the next working day, or waiting for the
    citizen's supplement, most urgent first, with counts per unit and per leader; overdue
    ones say whether their apology letter is still owed (storage.backlog)."""
    moment = now or datetime.now(settings.zone)
    with open_database(settings).session(readonly=True) as session:
        items = backlog(
            session,
            now=moment,
            zone=settings.zone,
            calendar=get_calendar(),
            unit=unit,
            leader=leader,
        )
    per_unit: dict[str, dict[str, int]] = {}
    per_leader: dict[str, dict[str, int]] = {}
    for item in items:
        for table, key in ((per_unit, item.unit), (per_leader, item.leader or "-")):
            counts = table.setdefault(key, {OVERDUE: 0, DUE_SOON: 0, WAITING: 0})
            counts[item.state] += 1
    return {
        "now": moment.astimezone(settings.zone).isoformat(timespec="seconds"),
        "items": [i.to_dict(settings.zone) for i in items],
        "units": per_unit,
        "leaders": per_leader,
        "apologies_due": [i.code for i in items if i.apology_due],
    }


def apology_letter(settings: Settings, code: str, *, reason: str, new_date: date) -> dict[str, Any]:
    """The apology letter and new appointment for an overdue dossier ("Phiếu xin lỗi và hẹn
    lại ngày trả kết quả", Circular 03/2025/TT-VPCP form 04 as reported), as fields and text."""
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code, detail=True)
        procedure_name = _procedure_name(dossier.procedure_code)
        appointment = dossier.appointment_at
        fields = {
            "code": dossier.code,
            "applicant": dossier.applicant_name,
            "procedure": procedure_name,
            "received_at": local_time(settings, dossier.received_at),
            "appointment_at": local_time(settings, appointment),
            "reason": reason,
            "new_date": new_date.isoformat(),
        }
    received = dossier.received_at.astimezone(settings.zone)
    due = appointment.astimezone(settings.zone) if appointment else None
    lines = [
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        f"Kính gửi: Ông/Bà {dossier.applicant_name}",
        f"Ngày {received:%d/%m/%Y}, Bộ phận Một cửa tiếp nhận hồ sơ số {dossier.code} "
        f"về thủ tục {procedure_name}.",
        f"Thời hạn trả kết quả theo giấy hẹn: {due:%H giờ %M phút, ngày %d/%m/%Y}."
        if due
        else "Thời hạn trả kết quả theo giấy hẹn: -",
        f"Hồ sơ chưa giải quyết xong đúng hẹn. Lý do: {reason}.",
        "Cơ quan giải quyết hồ sơ thành thật xin lỗi Ông/Bà vì sự chậm trễ này và hẹn lại "
        f"thời gian trả kết quả vào ngày {new_date:%d/%m/%Y}.",
        "Mong nhận được sự thông cảm của Ông/Bà.",
    ]
    return {**fields, "text": "\n".join(lines)}


def feed_view(settings: Settings, *, after: int = 0, limit: int = 100) -> dict[str, Any]:
    """The data-exchange feed: messages after the cursor `after` (an event id), oldest
    first, and the cursor to ask with next. The outbox first catches up with the event log
    (settled events), so a system that only pulls never waits for the webhooks worker."""
    db = open_database(settings)
    with db.session() as session:
        fill_outbox(
            session,
            public_url=settings.public_url,
            settled_before=settled_before(db.dialect, utcnow()),
        )
    with open_database(settings).session(readonly=True) as session:
        messages, cursor = feed(session, after=after, limit=limit)
    return {"messages": messages, "next": cursor}


def deliveries_view(settings: Settings, *, limit: int = 50) -> dict[str, Any]:
    """The webhook delivery log: per endpoint, what is pending and the latest tries."""
    with open_database(settings).session(readonly=True) as session:
        return {"endpoints": delivery_log(session, limit=limit)}


def stats_csv(rows: list[dict[str, Any]]) -> str:
    """stats_view's rows as CSV with a header line: per rate its numerator, denominator and
    rate (`sohoa stats --csv` and the dashboard's export)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["unit", "month"]
    for name in RATE_NAMES:
        header += [f"{name}_numerator", f"{name}_denominator", f"{name}_rate"]
    writer.writerow(header)
    for row in rows:
        cells = [row["unit"], row["month"]]
        for name in RATE_NAMES:
            rate = row[name]
            cells += [rate["numerator"], rate["denominator"], rate["rate"]]
        writer.writerow(cells)
    return out.getvalue()


def figures_csv(rows: list[dict[str, Any]]) -> str:
    """figures_view's rows as CSV: stats_csv's columns, then each portal figure's
    numerator, denominator and rate (prefixed portal_) and the portal's satisfaction."""
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
