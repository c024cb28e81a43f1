"""One dossier and what it holds, as people see it, ready for JSON or a terminal: the
dossier, a document and its files, its result's files, what its open page polls, the
applicant's reusable results, open rescan requests, its history, its archived record and
its apology letter."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select

from api.owners import document_owner
from config import defaults, labels
from config.catalogue import get_catalogue
from config.errors import NotFound
from config.settings import Settings
from config.text import collapse_whitespace
from config.units import resolves_level, unit_name
from digitize.fieldnames import WITHHELD
from storage.blobs import blob_store
from storage.completeness import check_completeness
from storage.db import open_database
from storage.digitization import valid_results
from storage.documents import get_document
from storage.dossiers import get_dossier
from storage.enums import (
    DocumentStatus,
    EventKind,
    PackageStatus,
)
from storage.events import events_of_dossier
from storage.models import (
    ArchivePackage,
    Component,
    DigitizationResult,
    Document,
    Dossier,
    Event,
)
from storage.national_checks import allowed_sources
from storage.search.index import procedure_name


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
        "to_complete": _to_complete(doc.fields or {}),
        "excerpt": collapse_whitespace(doc.text or "")[: defaults.EXCERPT_CHARS] or None,
        "page_flags": sorted(
            {flag for page in doc.page_info or [] for flag in page.get("flags", [])}
        ),
        "attempts": doc.attempts,
        "error": {"code": doc.error_code, "message": doc.error_message} if doc.error_code else None,
    }


def _to_complete(fields: dict[str, Any]) -> dict[str, str]:
    """The references OCR left out because their handwritten part did not read as print
    (digitize.fieldnames.WITHHELD), each with what was printed around the blank: "…/QĐ-UBND",
    "2025-02-…"."""
    out = {}
    for name, (printed, pattern) in WITHHELD.items():
        value = (fields.get(printed) or {}).get("value")
        if name not in fields and value:
            out[name] = pattern.format(value)
    return out


def _component_view(settings: Settings, component: Component) -> dict[str, Any]:
    return {
        "id": component.id,
        "label": component.label,
        "expected_type": component.expected_type,
        "required": component.required,
        "state": component.state.value,
        "documents": [d.id for d in component.documents],
        "result": _result_view(settings, component.result, component.dossier_id),
        "national_check": _national_check_view(settings, component),
        "national_sources": list(allowed_sources(component.expected_type)),
    }


def _needs_routing(dossier: Dossier) -> bool:
    """Whether the unit holding the dossier cannot resolve its procedure's level, so it must
    still be routed to a competent unit (a provincial procedure received at a commune)."""
    catalogue = get_catalogue()
    try:
        level = catalogue.procedure(dossier.procedure_code).level
    except NotFound:
        return False
    return not resolves_level(catalogue.units, dossier.competent_unit_code, level)


def _national_check_view(settings: Settings, component: Component) -> dict[str, Any] | None:
    """The national-database lookup that satisfied the component, if one did."""
    if component.national_source is None:
        return None
    return {
        "source": component.national_source,
        "reference": component.national_reference,
        "by": component.national_checked_by,
        "at": local_time(settings, component.national_checked_at),
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
        "scope": result.data.get("scope"),
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
        procedure = procedure_name(dossier.procedure_code)
        unassigned = [
            d
            for d in dossier.documents
            if d.component_id is None
            and d.status not in (DocumentStatus.SPLIT, DocumentStatus.SUPERSEDED)
        ]
        stacks = [d for d in dossier.documents if d.status is DocumentStatus.SPLIT]
        return {
            "code": dossier.code,
            "procedure": {"code": dossier.procedure_code, "name": procedure},
            "applicant": {"name": dossier.applicant_name, "id_number": dossier.applicant_id_number},
            "unit": dossier.unit_code,
            "unit_name": unit_name(get_catalogue().units, dossier.unit_code),
            "competent_unit": dossier.competent_unit_code,
            "competent_unit_name": unit_name(get_catalogue().units, dossier.competent_unit_code),
            "needs_routing": _needs_routing(dossier),
            "status": dossier.status.value,
            "received_at": local_time(settings, dossier.received_at),
            "rules": dossier.rules,
            "appointment_at": local_time(settings, dossier.appointment_at),
            "finished_at": local_time(settings, dossier.finished_at),
            "components": [_component_view(settings, c) for c in dossier.components],
            "documents": [_document_view(d) for d in dossier.documents],
            "unassigned_documents": [d.id for d in unassigned],
            "stacks": [d.id for d in stacks],
            "national_data": list(dossier.national_data or []),
            "fee": dossier.fee_amount,
            "payment": dossier.payment_status.value,
            "rating": dossier.rating.value if dossier.rating else None,
            "completeness": check_completeness(dossier, settings.zone).to_dict(),
        }


def document_view(settings: Settings, document_id: int) -> dict[str, Any]:
    """One document as its dossier's view shows it, with its dossier's code and the text
    of each page and the types a clerk may choose from."""
    _, code = document_owner(settings, document_id)
    view = dossier_view(settings, code)
    found = next(d for d in view["documents"] if d["id"] == document_id)
    with open_database(settings).session(readonly=True) as session:
        document = get_document(session, document_id)
        pages = (document.text or "").split("\f") if document.text else []
        candidates = [list(c) for c in document.type_candidates or []]
        source = document.type_source
    return {
        **found,
        "dossier_code": code,
        "page_texts": pages,
        "type_candidates": candidates,
        "type_source": source,
    }


@dataclass(frozen=True)
class DocumentFile:
    """One of a document's files in the blob store, as a response names it."""

    sha256: str | None
    """None: not made yet (a searchable PDF before digitization)."""
    media_type: str
    filename: str
    pages: int
    """The document's page count (0 before digitization)."""
    path: Path | None
    """Where the blob store keeps it, to send or render (None: not made yet)."""


def stored_file(
    settings: Settings, document_id: int, which: Literal["pdf", "original"]
) -> DocumentFile:
    """A document's searchable PDF (`pdf`) or its original as uploaded (`original`)."""
    with open_database(settings).session(readonly=True) as session:
        document = get_document(session, document_id)
        pages = document.page_count or 0
        if which == "pdf":
            sha, media = document.pdf_sha256, "application/pdf"
            name = Path(document.original_filename).stem + ".pdf"
        else:
            sha, media = document.original_sha256, document.media_type
            name = document.original_filename
    path = blob_store(settings).path(sha) if sha else None
    return DocumentFile(sha, media, name, pages, path)


@dataclass(frozen=True)
class ServedFile:
    """A stored file to hand out: where to read it, its media type and the name to give it."""

    path: Path
    media_type: str
    filename: str


def local_dossier_view(settings: Settings, code: str) -> dict[str, Any]:
    """`dossier_view` for the operator at the server's terminal: each document's searchable
    PDF named by its file in the blob store, not by the API's URL."""
    view = dossier_view(settings, code)
    store = blob_store(settings)
    for doc in view["documents"]:
        doc["pdf"] = str(store.path(doc["pdf_sha256"])) if doc["pdf_sha256"] else None
    return view


def dossier_status(settings: Settings, code: str) -> dict[str, Any]:
    """What a dossier's open page shows that workers change: the dossier's, components' and
    documents' states (with their Vietnamese labels and badge tones) and its completeness.
    Pages poll it while `pending` (a document still queued or being read)."""
    view = dossier_view(settings, code)
    documents = [
        {
            "id": d["id"],
            "file": d["file"],
            "status": d["status"],
            "status_vi": labels.state(d["status"]),
            "tone": labels.tone(d["status"]),
            "type_name": d["type_name"],
            "type_confidence": d["type_confidence"],
            "pages": d["pages"],
            "error": labels.error(d["error"]["code"], d["error"]["message"])
            if d["error"]
            else None,
            "thumbnail": (
                f"/documents/{d['id']}/pages/1.png?w=160"
                if d["pdf_sha256"] and d["pages"]
                else None
            ),
        }
        for d in view["documents"]
    ]
    components = [
        {
            "id": c["id"],
            "state": c["state"],
            "state_vi": labels.component_state(c["state"]),
            "tone": labels.tone(c["state"], c["required"]),
        }
        for c in view["components"]
    ]
    checks = view["completeness"]["checks"]
    completeness = view["completeness"] | {
        "checks": [c | {"verdict_vi": labels.CHECKS[c["verdict"]]} for c in checks]
    }
    return {
        "code": code,
        "unit": view["unit"],
        "status": view["status"],
        "status_vi": labels.state(view["status"]),
        "pending": any(d["status"] in labels.PENDING_DOCUMENT for d in documents),
        "completeness": completeness,
        "completeness_vi": labels.completeness(
            len(view["completeness"]["missing"]), len(view["completeness"]["uncertain"])
        ),
        "components": components,
        "documents": documents,
    }


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


def rescan_requests(settings: Settings, code: str) -> list[dict[str, Any]]:
    """A dossier's open rescan requests: asked for, and no file added to it since."""
    with open_database(settings).session(readonly=True) as session:
        dossier_id = session.scalars(select(Dossier.id).where(Dossier.code == code)).one_or_none()
        if dossier_id is None:
            raise NotFound(f"no dossier with code {code!r}")
        events = events_of_dossier(session, dossier_id)
    requests: list[dict[str, Any]] = []
    for event in events:
        if event.kind == EventKind.RESCAN_REQUESTED:
            requests.append(
                {
                    "document_id": event.document_id,
                    "file": event.data.get("file"),
                    "reason": event.data.get("reason"),
                    "by": event.actor,
                    "at": local_time(settings, event.at),
                }
            )
        elif event.kind == EventKind.DOCUMENT_UPLOADED:
            requests = []  # a new scan answers the requests before it
    return requests


def dossier_history(settings: Settings, code: str) -> list[dict[str, Any]]:
    """The dossier's events a person did or waits on (config.labels.HISTORY), oldest first:
    when (office time), who, what, and a detail (a field's change, a reason, a file)."""
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        events = events_of_dossier(session, dossier.id)
        files = {d.id: d.original_filename for d in dossier.documents}
        return [
            {
                "at": event.at.astimezone(settings.zone).strftime("%d/%m/%Y %H:%M"),
                "actor": event.actor,
                "kind": event.kind,
                "what": labels.HISTORY[event.kind],
                "file": files.get(event.document_id) if event.document_id else None,
                "detail": _detail(event),
            }
            for event in events
            if event.kind in labels.HISTORY
        ]


def _detail(event: Event) -> str:
    """A field's change as «before» → «after»; else the reason or file the event names."""
    data = event.data or {}
    if event.kind == EventKind.FIELD_CORRECTED:
        before, after = data.get("from") or "—", data.get("to") or "—"
        return f"{labels.field(str(data.get('field')))}: {before} → {after}"
    if event.kind == EventKind.DOCUMENT_CORRECTED:
        return _type_name(str(data.get("to"))) or ""
    return str(data.get("reason") or "")


def record_view(settings: Settings, code: str) -> dict[str, Any]:
    """An archived record's current package: its metadata as sealed, and every version."""
    with open_database(settings).session(readonly=True) as session:
        packages = list(
            session.scalars(
                select(ArchivePackage)
                .join(Dossier)
                .where(Dossier.code == code.strip())
                .order_by(ArchivePackage.version)
            )
        )
        if not packages:
            raise NotFound(f"record {code} is not archived")
        current = [p for p in packages if p.status is PackageStatus.ACTIVE]
        head = current[-1] if current else packages[-1]
        return {
            "code": code,
            "record_code": head.record_code,
            "title": head.title,
            "status": head.status.value,
            "retention": head.retention,
            "retain_until": head.retain_until.isoformat() if head.retain_until else None,
            "access_regime": head.access_regime,
            "documents": head.record.get("documents", []),
            "record": head.record.get("record", {}),
            "versions": [
                {
                    "version": p.version,
                    "status": p.status.value,
                    "created_at": local_time(settings, p.created_at),
                    "created_by": p.created_by,
                    "correction_reason": p.correction_reason,
                    "last_fixity_ok": p.last_fixity_ok,
                }
                for p in packages
            ],
        }


def apology_letter(settings: Settings, code: str, *, reason: str, new_date: date) -> dict[str, Any]:
    """The apology letter and new appointment for an overdue dossier ("Phiếu xin lỗi và hẹn
    lại ngày trả kết quả", Circular 03/2025/TT-VPCP form 04 as reported), as fields and text."""
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code, detail=True)
        procedure = procedure_name(dossier.procedure_code)
        appointment = dossier.appointment_at
        fields = {
            "code": dossier.code,
            "applicant": dossier.applicant_name,
            "procedure": procedure,
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
        f"về thủ tục {procedure}.",
        f"Thời hạn trả kết quả theo giấy hẹn: {due:%H giờ %M phút, ngày %d/%m/%Y}."
        if due
        else "Thời hạn trả kết quả theo giấy hẹn: -",
        f"Hồ sơ chưa giải quyết xong đúng hẹn. Lý do: {reason}.",
        "Cơ quan giải quyết hồ sơ thành thật xin lỗi Ông/Bà vì sự chậm trễ này và hẹn lại "
        f"thời gian trả kết quả vào ngày {new_date:%d/%m/%Y}.",
        "Mong nhận được sự thông cảm của Ông/Bà.",
    ]
    return {**fields, "text": "\n".join(lines)}
