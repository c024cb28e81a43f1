"""Lists people work from, as JSON-ready dicts: a unit's dossiers, a leader's signing inbox,
the archive's records. The HTTP API returns them as they are; the pages render them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from api.paging import Page, cut
from api.views import dossier_view, local_time
from config import defaults, labels
from config.catalogue import get_catalogue
from config.errors import NotFound
from config.settings import Settings
from storage.db import open_database
from storage.documents import get_document
from storage.enums import (
    ComponentState,
    DossierStatus,
    EventKind,
    PackageStatus,
    SignatureState,
)
from storage.events import events_of_dossier
from storage.models import (
    ArchivePackage,
    Component,
    DigitizationResult,
    Document,
    Dossier,
    SignatureRequest,
)
from storage.signatures import requests_of, result_of, shown_sha256


def _procedure_name(code: str) -> str:
    try:
        return get_catalogue().procedure(code).name
    except NotFound:
        return code


def dossier_row(settings: Settings, dossier: Dossier) -> dict[str, Any]:
    """A dossier as a list shows it (components and documents loaded with it)."""
    required = [c for c in dossier.components if c.required]
    done = sum(1 for c in required if c.state is ComponentState.DIGITIZED)
    return {
        "code": dossier.code,
        "procedure": {
            "code": dossier.procedure_code,
            "name": _procedure_name(dossier.procedure_code),
        },
        "applicant": dossier.applicant_name,
        "unit": dossier.unit_code,
        "status": dossier.status.value,
        "received_at": local_time(settings, dossier.received_at),
        "appointment_at": local_time(settings, dossier.appointment_at),
        "components_digitized": done,
        "components_required": len(required),
        "documents": len(dossier.documents),
    }


def dossier_owner(settings: Settings, code: str) -> str:
    """The unit a dossier belongs to (NotFound if there is none): one indexed lookup, for
    routes that check access before acting, without building the dossier's view."""
    with open_database(settings).session(readonly=True) as session:
        unit = session.scalars(
            select(Dossier.unit_code).where(Dossier.code == code.strip())
        ).one_or_none()
    if unit is None:
        raise NotFound(f"no dossier with code {code!r}")
    return unit


def document_owner(settings: Settings, document_id: int) -> tuple[str, str]:
    """The unit and dossier code a document belongs to (NotFound if there is none)."""
    with open_database(settings).session(readonly=True) as session:
        document = get_document(session, document_id)
        return document.dossier.unit_code, document.dossier.code


@dataclass(frozen=True)
class HeldBlob:
    """A stored file, and the dossiers (code, unit) holding it."""

    sha256: str
    media_type: str
    name: str
    holders: list[tuple[str, str]]


def blob_holders(settings: Settings, sha256: str) -> HeldBlob:
    """The dossiers holding a blob: as a document's original or searchable PDF, as a
    digitization result (its own dossier's and every dossier reusing it) or as a signature's
    output. NotFound if none does (a blob no record names is nobody's to read)."""
    sha = sha256.lower()
    name, media = f"{sha[:16]}.pdf", "application/pdf"
    with open_database(settings).session(readonly=True) as session:
        dossier_ids = set(
            session.scalars(
                select(Document.dossier_id).where(
                    (Document.original_sha256 == sha) | (Document.pdf_sha256 == sha)
                )
            )
        )
        original = session.scalars(
            select(Document).where(Document.original_sha256 == sha).limit(1)
        ).one_or_none()
        if original is not None and original.pdf_sha256 != sha:
            name, media = original.original_filename, original.media_type
        results = list(
            session.scalars(
                select(
                    DigitizationResult.id,
                ).where(DigitizationResult.pdf_sha256 == sha)
            )
        )
        dossier_ids |= set(
            session.scalars(
                select(DigitizationResult.dossier_id).where(DigitizationResult.pdf_sha256 == sha)
            )
        )
        if results:
            dossier_ids |= set(
                session.scalars(
                    select(Component.dossier_id).where(Component.result_id.in_(results))
                )
            )
        dossier_ids |= set(
            session.scalars(
                select(SignatureRequest.dossier_id).where(SignatureRequest.output_sha256 == sha)
            )
        )
        holders = [
            (code, unit)
            for code, unit in session.execute(
                select(Dossier.code, Dossier.unit_code).where(Dossier.id.in_(dossier_ids))
            )
        ]
    if not holders:
        raise NotFound(f"no record holds file {sha}")
    return HeldBlob(sha, media, name, holders)


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


def _result_of(session: Session, dossier: Dossier) -> Document | None:
    """The result a leader is shown: the one being signed, else the latest digitized one
    (the same the signing workflow signs, storage.signatures.result_of)."""
    try:
        result_type = get_catalogue().procedure(dossier.procedure_code).result_type
    except NotFound:
        return None
    return result_of(session, dossier, result_type)


def _inbox_row(
    settings: Settings, session: Session, dossier: Dossier, profile: str | None
) -> dict[str, Any] | None:
    """A dossier as the signing inbox shows it; None when it has no result yet."""
    result = _result_of(session, dossier)
    if result is None:
        return None
    requests = requests_of(session, result.id)
    states = [r.status.value for r in requests]
    leader = next((r for r in requests if r.role == "leader"), None)
    to_sign = leader is None or leader.status is SignatureState.FAILED
    if leader is not None and profile is not None and leader.profile != profile:
        to_sign = False  # another leader's to sign
    return {
        "code": dossier.code,
        "procedure": _procedure_name(dossier.procedure_code),
        "applicant": dossier.applicant_name,
        "document_id": result.id,
        "document_type": result.document_type,
        "sha256": shown_sha256(session, result),
        "to_sign": to_sign,
        "signatures": [
            {
                "role": r.role,
                "signer": r.signer_name,
                "status": r.status.value,
                "status_vi": labels.signature_state(r.status.value),
                "tone": labels.tone(r.status.value),
            }
            for r in requests
        ],
        "signed": bool(states) and all(s == "signed" for s in states),
        "appointment_at": local_time(settings, dossier.appointment_at),
    }


def _inbox_dossiers(unit_code: str) -> Select[Dossier]:
    return (
        select(Dossier)
        .where(Dossier.unit_code == unit_code, Dossier.status != DossierStatus.ARCHIVED)
        .options(selectinload(Dossier.documents))
    )


def signing_inbox(
    settings: Settings,
    unit_code: str,
    profile: str | None,
    *,
    cursor: int | None = None,
    limit: int = defaults.LIST_PAGE_SIZE,
) -> Page[dict[str, Any]]:
    """A page of a unit's results, newest dossier first, after `cursor` (the previous
    page's next_cursor), and where their signatures are: `to_sign` when nothing was asked
    yet or the leader's signature failed, else the leader's and the seal's states.
    Dossiers without a result are passed over: they are read a page's worth at a time
    until the page is full or none are left."""
    found: list[tuple[int, dict[str, Any]]] = []
    after = cursor
    with open_database(settings).session(readonly=True) as session:
        while len(found) <= limit:
            stmt = _inbox_dossiers(unit_code)
            if after is not None:
                stmt = stmt.where(Dossier.id < after)
            batch = list(session.scalars(stmt.order_by(Dossier.id.desc()).limit(limit + 1)))
            for dossier in batch:
                row = _inbox_row(settings, session, dossier, profile)
                if row is not None:
                    found.append((dossier.id, row))
            if len(batch) <= limit:
                break
            after = batch[-1].id
    shown, next_cursor = cut(found, limit, lambda f: f[0])
    return Page([row for _, row in shown], next_cursor)


def inbox_row(
    settings: Settings, unit_code: str, profile: str | None, code: str
) -> dict[str, Any] | None:
    """One dossier's row of the unit's signing inbox (None: it is not in it), whichever
    page it is on."""
    stmt = _inbox_dossiers(unit_code).where(Dossier.code == code.strip())
    with open_database(settings).session(readonly=True) as session:
        dossier = session.scalars(stmt).one_or_none()
        return None if dossier is None else _inbox_row(settings, session, dossier, profile)


def archive_candidates(
    settings: Settings, *, cursor: int | None = None, limit: int = defaults.LIST_PAGE_SIZE
) -> Page[dict[str, Any]]:
    """A page of the signed dossiers not archived yet (what an archivist seals next),
    newest first, after `cursor` (the previous page's next_cursor)."""
    stmt = (
        select(Dossier)
        .where(Dossier.status == DossierStatus.SIGNED)
        .options(selectinload(Dossier.components), selectinload(Dossier.documents))
    )
    if cursor is not None:
        stmt = stmt.where(Dossier.id < cursor)
    with open_database(settings).session(readonly=True) as session:
        found = list(session.scalars(stmt.order_by(Dossier.id.desc()).limit(limit + 1)))
        shown, next_cursor = cut(found, limit, lambda d: d.id)
        return Page([dossier_row(settings, d) for d in shown], next_cursor)


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
