"""Signatures on result documents: requested in order, prepared, signed or failed; numbers.

A result is signed by a sequence of signers (Decree 30/2020: the leader, then văn thư's
organisation seal); each signature is one row, applied to the output of the one before.
The database, not the queue, is the record of which signatures are still owed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.catalogue import get_catalogue
from config.errors import InvalidRequest, NotFound, ResultChanged, ResultFrozen
from storage.enums import DocumentStatus, DossierStatus, EventKind, SignatureState
from storage.events import append_event
from storage.models import Document, Dossier, IssueSerial, SignatureRequest
from storage.outcomes import mark_processed

OPEN_STATES = (SignatureState.QUEUED, SignatureState.AWAITING_TOKEN)
"""States in which a signature is still owed."""

FROZEN_STATES = (*OPEN_STATES, SignatureState.SIGNED)
"""States in which a signature holds its document fast: owed on it, or made on it."""


@dataclass(frozen=True)
class SeenResult:
    """The result a leader was shown and signs: the dossier, the document and the SHA-256
    of its PDF. A signature is asked only for exactly this (require_seen)."""

    code: str
    document_id: int
    sha256: str


def signing_document(session: Session, dossier_id: int) -> Document | None:
    """The document whose signatures are owed or made, if any: from the moment they are
    asked, the dossier's result is this one, whatever is uploaded or retyped after."""
    request = session.scalars(
        select(SignatureRequest)
        .where(
            SignatureRequest.dossier_id == dossier_id,
            SignatureRequest.status.in_(FROZEN_STATES),
        )
        .order_by(SignatureRequest.id)
        .limit(1)
    ).one_or_none()
    return request.document if request is not None else None


def result_of(session: Session, dossier: Dossier, result_type: str) -> Document | None:
    """The dossier's result: the document being (or already) signed, else its latest
    digitized document of the procedure's result type."""
    pinned = signing_document(session, dossier.id)
    if pinned is not None:
        return pinned
    candidates = [
        d
        for d in dossier.documents
        if d.document_type == result_type and d.pdf_sha256 and d.status is DocumentStatus.DIGITIZED
    ]
    return candidates[-1] if candidates else None


def shown_sha256(session: Session, document: Document) -> str | None:
    """The PDF a leader is shown of a result: the one its first signature was asked on
    (fixed then), else the document's digitized PDF."""
    requests = requests_of(session, document.id)
    if requests and requests[0].input_sha256:
        return requests[0].input_sha256
    return document.pdf_sha256


def require_seen(session: Session, document: Document, seen: SeenResult) -> None:
    """ResultChanged unless `document`, as it is now, is the result the leader was shown:
    another document since (a clerk's upload or retype), or other bytes, are refused."""
    current = shown_sha256(session, document)
    if document.id != seen.document_id or current != seen.sha256.lower():
        raise ResultChanged(
            f"dossier {seen.code}: the result shown was document {seen.document_id} "
            f"(sha256 {seen.sha256[:12]}…), it is now document {document.id} "
            f"(sha256 {(current or 'none')[:12]}…); nothing was signed"
        )


def refuse_if_frozen(
    session: Session, dossier: Dossier, what: str, *, only: Sequence[Document] | None = None
) -> None:
    """ResultFrozen if the dossier's result has signatures owed or made (and, given `only`,
    is one of those documents): `what` (an upload, a retype, a re-split, a re-digitization)
    could change the document its signers saw."""
    document = signing_document(session, dossier.id)
    if document is None or (only is not None and document not in only):
        return
    raise ResultFrozen(
        f"dossier {dossier.code}: its result (document {document.id}) is being signed "
        f"or signed; {what} refused"
    )


@dataclass(frozen=True)
class PlannedSignature:
    """One signature of the signing order, as the caller resolved it from the profiles."""

    role: str
    profile: str
    signer_name: str


def requests_of(session: Session, document_id: int) -> list[SignatureRequest]:
    """A document's requested signatures, in signing order (cancelled ones left out)."""
    return list(
        session.scalars(
            select(SignatureRequest)
            .where(
                SignatureRequest.document_id == document_id,
                SignatureRequest.status != SignatureState.CANCELLED,
            )
            .order_by(SignatureRequest.position)
        )
    )


def request_signatures(
    session: Session,
    document: Document,
    plan: Sequence[PlannedSignature],
    *,
    level: str,
    actor: str,
) -> tuple[list[SignatureRequest], bool]:
    """Queue the signatures of the plan on a document, once: asking again returns the
    requests already made. Returns them and whether they are new."""
    existing = requests_of(session, document.id)
    if existing:
        return existing, False
    if document.pdf_sha256 is None:
        raise InvalidRequest(f"document {document.id} has no digitized PDF to sign yet")
    pinned = document.pdf_sha256
    requests = [
        SignatureRequest(
            document_id=document.id,
            dossier_id=document.dossier_id,
            position=i,
            role=step.role,
            profile=step.profile,
            signer_name=step.signer_name,
            level=level,
            status=SignatureState.QUEUED,
            input_sha256=pinned if i == 0 else None,  # the first signs exactly what was seen
            prepared={},
            fill={},
            requested_by=actor,
        )
        for i, step in enumerate(plan)
    ]
    session.add_all(requests)
    document.dossier.status = DossierStatus.AWAITING_SIGNATURE
    session.flush()
    append_event(
        session,
        EventKind.SIGNATURE_REQUESTED,
        actor=actor,
        dossier_id=document.dossier_id,
        document_id=document.id,
        data={
            "level": level,
            "signers": [[s.role, s.profile] for s in plan],
            "pdf_sha256": pinned,
        },
    )
    return requests, True


def get_request(session: Session, request_id: int) -> SignatureRequest:
    """The signature request with this id; NotFound otherwise."""
    request = session.get(SignatureRequest, request_id)
    if request is None:
        raise NotFound(f"no signature request with id {request_id}")
    return request


def input_of(session: Session, request: SignatureRequest) -> str:
    """The PDF a request signs: the previous signature's output, or for the first one the
    PDF it was asked on (the one the leader saw).

    InvalidRequest if an earlier signature is not made yet (the order is the law's);
    ResultChanged if the document's PDF is no longer the one the first was asked on."""
    previous = None
    for earlier in requests_of(session, request.document_id):
        if earlier.position >= request.position:
            break
        if earlier.status is not SignatureState.SIGNED or earlier.output_sha256 is None:
            raise InvalidRequest(
                f"signature {request.position + 1} of document {request.document_id} waits "
                f"for signature {earlier.position + 1} ({earlier.role}, {earlier.status})"
            )
        previous = earlier.output_sha256
    if previous is not None:
        return previous
    current = request.document.pdf_sha256
    if current is None:
        raise InvalidRequest(f"document {request.document_id} has no PDF")
    if request.input_sha256 is not None and request.input_sha256 != current:
        raise ResultChanged(
            f"document {request.document_id}: its PDF changed after signature "
            f"{request.id} was asked; nothing was signed"
        )
    return current


def begin_signing(session: Session, request_id: int) -> SignatureRequest:
    """Count an attempt at a request."""
    request = get_request(session, request_id)
    request.attempts += 1
    return request


def record_prepared(
    session: Session, request_id: int, *, state: dict[str, Any], prepared_sha256: str, actor: str
) -> SignatureRequest:
    """The document is prepared for the leader's own token; its digest waits."""
    request = get_request(session, request_id)
    request.status = SignatureState.AWAITING_TOKEN
    request.prepared = state
    request.prepared_sha256 = prepared_sha256
    append_event(
        session,
        EventKind.SIGNATURE_PREPARED,
        actor=actor,
        dossier_id=request.dossier_id,
        document_id=request.document_id,
        data={"request": request.id, "profile": request.profile},
    )
    return request


def record_signed(
    session: Session,
    request_id: int,
    *,
    input_sha256: str,
    output_sha256: str,
    signed_at: datetime,
    actor: str,
) -> SignatureRequest:
    """A signature is made; when it is the last one owed, the dossier's result is signed."""
    request = get_request(session, request_id)
    request.status = SignatureState.SIGNED
    request.input_sha256 = input_sha256
    request.output_sha256 = output_sha256
    request.signed_at = signed_at
    request.error_code = request.error_message = None
    request.prepared = {}
    append_event(
        session,
        EventKind.DOCUMENT_SIGNED,
        actor=actor,
        dossier_id=request.dossier_id,
        document_id=request.document_id,
        data={
            "request": request.id,
            "role": request.role,
            "profile": request.profile,
            "level": request.level,
            "pdf_sha256": output_sha256,
            "final": all(
                r.status is SignatureState.SIGNED for r in requests_of(session, request.document_id)
            ),
        },
    )
    if all(r.status is SignatureState.SIGNED for r in requests_of(session, request.document_id)):
        dossier = session.get(Dossier, request.dossier_id)
        assert dossier is not None
        dossier.status = DossierStatus.SIGNED
        mark_processed(session, dossier, at=signed_at, actor=actor)
    return request


def record_sign_failure(
    session: Session, request_id: int, *, code: str, message: str, final: bool, actor: str
) -> SignatureRequest:
    """Why a signature failed: for good when `final`, else the reason for a retry."""
    request = get_request(session, request_id)
    request.error_code = code
    request.error_message = message
    if final:
        request.status = SignatureState.FAILED
    append_event(
        session,
        EventKind.SIGNATURE_FAILED if final else EventKind.SIGNATURE_RETRY,
        actor=actor,
        dossier_id=request.dossier_id,
        document_id=request.document_id,
        data={"request": request.id, "code": code, "message": message},
    )
    return request


def set_fill(session: Session, request_id: int, fill: dict[str, str], actor: str) -> None:
    """Record the field values (number, date) a signature writes, once."""
    request = get_request(session, request_id)
    if request.fill:
        return
    request.fill = fill
    append_event(
        session,
        EventKind.NUMBER_ISSUED,
        actor=actor,
        dossier_id=request.dossier_id,
        document_id=request.document_id,
        data={"request": request.id, **fill},
    )


OFFICE_REGISTER = "van-thu"
"""The văn thư's register: every issued document without a book of its own."""


def issue_register(document_type: str) -> str:
    """The register a result of this type takes its number from: its book where the
    catalogue names one (civil-status results: the civil-status book), else the văn thư's."""
    try:
        return get_catalogue().document_type(document_type).number_book or OFFICE_REGISTER
    except NotFound:
        return OFFICE_REGISTER


def allocate_issue_number(
    session: Session, unit_code: str, year: int, *, register: str = OFFICE_REGISTER
) -> int:
    """The next number in the unit's register (or book) for the year (1, 2, ...), never
    given twice: the row is locked (SQLite: the transaction holds the write lock from its
    BEGIN)."""
    serial = session.scalars(
        select(IssueSerial)
        .where(
            IssueSerial.unit_code == unit_code,
            IssueSerial.year == year,
            IssueSerial.register == register,
        )
        .with_for_update()
    ).one_or_none()
    if serial is None:
        serial = IssueSerial(unit_code=unit_code, year=year, register=register, last=0)
        session.add(serial)
    serial.last += 1
    session.flush()
    return serial.last


def awaiting_token(session: Session, profile: str | None = None) -> list[SignatureRequest]:
    """Prepared signatures waiting for a leader's own token, oldest first."""
    stmt = select(SignatureRequest).where(SignatureRequest.status == SignatureState.AWAITING_TOKEN)
    if profile is not None:
        stmt = stmt.where(SignatureRequest.profile == profile)
    return list(session.scalars(stmt.order_by(SignatureRequest.id)))


def signed_pdf_of(session: Session, document_id: int) -> str | None:
    """The latest signed PDF of a document (its last signature's output), if any."""
    signed = [
        r.output_sha256
        for r in requests_of(session, document_id)
        if r.status is SignatureState.SIGNED and r.output_sha256
    ]
    return signed[-1] if signed else None


def open_requests(session: Session) -> list[SignatureRequest]:
    """Every signature still owed (queued or waiting for a token), oldest first."""
    return list(
        session.scalars(
            select(SignatureRequest)
            .where(SignatureRequest.status.in_(OPEN_STATES))
            .order_by(SignatureRequest.id)
        )
    )
