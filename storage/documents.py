"""Stored documents through digitization: uploaded, started, digitized or failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.errors import InvalidRequest, NotFound
from storage.dossiers import add_component
from storage.enums import ComponentState, DocumentStatus, EventKind
from storage.events import append_event
from storage.models import Component, Document, Dossier
from storage.search.index import index_document
from storage.signatures import refuse_if_frozen
from storage.types import utcnow


@dataclass(frozen=True)
class DigitizedOutcome:
    """What digitization made of a document, in storage's own terms."""

    pdf_sha256: str
    pdf_size: int
    pdfa: bool
    text: str
    page_count: int
    document_type: str
    type_confidence: float
    component_label: str
    """How to label a new component if no listed one expects this document type."""
    fields: dict[str, Any] = field(default_factory=dict)
    """Extracted fields by name: {"value", "page", "confidence"}."""
    type_candidates: list[list[Any]] = field(default_factory=list)
    """[[type code, probability], ...], best first, for a clerk to choose from."""
    page_info: list[dict[str, Any]] = field(default_factory=list)
    type_source: str = "model"
    """Why this type: model, rules, threshold (khac: none sure enough), empty, clerk."""


def add_document(
    session: Session,
    dossier: Dossier,
    *,
    filename: str,
    sha256: str,
    size: int,
    media_type: str,
    actor: str,
    component_id: int | None = None,
    first_page: int | None = None,
    force_ocr: bool = False,
) -> tuple[Document, bool]:
    """Record a stored file as a queued document; the same bytes twice give the same document.

    `first_page` 2 says page 1 is a cover sheet (the dossier's receipt), not a document;
    `force_ocr` asks for its PDF pages to be OCRed whatever their own text layer.
    ResultFrozen for a new file in a dossier whose result is being signed or signed: a
    file is typed only once digitized, so any of them could become a second result.

    Returns the document and whether it is new.
    """
    existing = session.scalars(
        select(Document).where(
            Document.dossier_id == dossier.id,
            Document.original_sha256 == sha256,
            Document.parent_id.is_(None),
        )
    ).one_or_none()
    if existing is not None:
        return existing, False
    refuse_if_frozen(session, dossier, f"adding {filename}")
    component = _component_of(dossier, component_id) if component_id is not None else None
    document = Document(
        dossier_id=dossier.id,
        component_id=component.id if component else None,
        original_filename=filename,
        original_sha256=sha256,
        original_size=size,
        media_type=media_type,
        first_page=first_page,
        force_ocr=force_ocr,
        status=DocumentStatus.QUEUED,
        fields={},
        page_info=[],
        type_candidates=[],
    )
    session.add(document)
    if component is not None and component.state is ComponentState.MISSING:
        component.state = ComponentState.RECEIVED
    session.flush()
    append_event(
        session,
        EventKind.DOCUMENT_UPLOADED,
        actor=actor,
        dossier_id=dossier.id,
        document_id=document.id,
        data={
            "filename": filename,
            "sha256": sha256,
            "size": size,
            "media_type": media_type,
            "component_id": document.component_id,
        },
    )
    return document, True


def _component_of(dossier: Dossier, component_id: int) -> Component:
    for component in dossier.components:
        if component.id == component_id:
            return component
    raise InvalidRequest(f"component {component_id} is not part of dossier {dossier.code}")


def get_document(session: Session, document_id: int) -> Document:
    """The document with this id; NotFound otherwise."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(f"no document with id {document_id}")
    return document


def begin_digitizing(session: Session, document_id: int, *, actor: str) -> Document:
    """Mark a document as being digitized and count the attempt."""
    document = get_document(session, document_id)
    document.status = DocumentStatus.PROCESSING
    document.attempts += 1
    append_event(
        session,
        EventKind.DIGITIZE_STARTED,
        actor=actor,
        dossier_id=document.dossier_id,
        document_id=document.id,
        data={"attempt": document.attempts},
    )
    return document


def record_digitized(
    session: Session, document_id: int, outcome: DigitizedOutcome, *, actor: str
) -> Document:
    """Attach the searchable PDF and what was read to the document and its component.

    Idempotent: running it again for the same document replaces the earlier result,
    it never adds a second record.
    """
    document = get_document(session, document_id)
    attach_outcome(session, document, outcome, actor=actor)
    return document


def attach_outcome(
    session: Session, document: Document, outcome: DigitizedOutcome, *, actor: str
) -> None:
    """Make `document` digitized with `outcome`: its component filled, its event written and
    its search entry refreshed, all in the caller's transaction. ResultFrozen for a result
    being signed or signed: its PDF stays the one its signers saw."""
    refuse_if_frozen(session, document.dossier, "digitizing it again", only=[document])
    document.status = DocumentStatus.DIGITIZED
    document.pdf_sha256 = outcome.pdf_sha256
    document.pdf_size = outcome.pdf_size
    document.pdfa = outcome.pdfa
    document.text = outcome.text
    document.page_count = outcome.page_count
    document.page_info = outcome.page_info
    document.document_type = outcome.document_type
    document.type_confidence = outcome.type_confidence
    document.type_source = outcome.type_source
    document.fields = outcome.fields
    document.type_candidates = outcome.type_candidates
    document.error_code = document.error_message = None
    document.digitized_at = utcnow()
    if document.component_id is None:
        component = component_for_type(
            session, document.dossier, outcome.document_type, outcome.component_label
        )
        document.component_id = component.id
        document.component = component
    else:
        component = _component_of(document.dossier, document.component_id)
    component.state = ComponentState.DIGITIZED
    append_event(
        session,
        EventKind.DOCUMENT_DIGITIZED,
        actor=actor,
        dossier_id=document.dossier_id,
        document_id=document.id,
        data={
            "pdf_sha256": outcome.pdf_sha256,
            "pages": outcome.page_count,
            "document_type": outcome.document_type,
            "type_confidence": round(outcome.type_confidence, 4),
            "component_id": component.id,
        },
    )
    index_document(session, document)  # same transaction: the index never lags the document


def component_for_type(
    session: Session, dossier: Dossier, document_type: str, label: str
) -> Component:
    """The listed component expecting this type, one still missing first; else a new one
    with this label."""
    matching = [c for c in dossier.components if c.expected_type == document_type]
    for component in matching:
        if component.state in (ComponentState.MISSING, ComponentState.FAILED):
            return component
    if matching:
        return matching[0]
    return add_component(session, dossier, expected_type=document_type, label=label)


def release_component(document: Document) -> None:
    """Take a document off its component (it was split, superseded or retyped); the component
    goes back to missing unless another of its documents still fills it."""
    component = document.component
    document.component_id = None
    document.component = None
    if component is None:
        return
    others = [d for d in component.documents if d is not document]
    if any(d.status is DocumentStatus.DIGITIZED for d in others):
        component.state = ComponentState.DIGITIZED
    elif any(d.status in (DocumentStatus.QUEUED, DocumentStatus.PROCESSING) for d in others):
        component.state = ComponentState.RECEIVED
    else:
        component.state = ComponentState.MISSING


def record_failure(
    session: Session,
    document_id: int,
    *,
    code: str,
    message: str,
    final: bool,
    actor: str,
) -> Document:
    """Record why digitizing failed: for good when `final`, else as the reason for a retry."""
    document = get_document(session, document_id)
    document.error_code = code
    document.error_message = message
    if not final:
        document.status = DocumentStatus.QUEUED
        kind = EventKind.RETRY_SCHEDULED
    else:
        document.status = DocumentStatus.FAILED
        kind = EventKind.DOCUMENT_FAILED
        if document.component_id is not None:
            component = _component_of(document.dossier, document.component_id)
            if not any(d.status is DocumentStatus.DIGITIZED for d in component.documents):
                component.state = ComponentState.FAILED
    append_event(
        session,
        kind,
        actor=actor,
        dossier_id=document.dossier_id,
        document_id=document.id,
        data={"code": code, "message": message, "attempt": document.attempts},
    )
    return document


def waiting_jobs(session: Session) -> list[tuple[int, str | None, datetime | None]]:
    """(document id, job id, the dossier's appointment) of every document queued or in
    progress, in one query: what the priority pass weighs."""
    rows = session.execute(
        select(Document.id, Document.job_id, Dossier.appointment_at)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(Document.status.in_([DocumentStatus.QUEUED, DocumentStatus.PROCESSING]))
    )
    return [(row[0], row[1], row[2]) for row in rows]


def documents_waiting(session: Session) -> list[Document]:
    """Documents queued or in progress: what the queue should hold jobs for."""
    return list(
        session.scalars(
            select(Document).where(
                Document.status.in_([DocumentStatus.QUEUED, DocumentStatus.PROCESSING])
            )
        )
    )
