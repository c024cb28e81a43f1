"""A dossier's result through its signatures, as use cases: requested in Decree 30 order,
signed one by one (by a worker with a server-side key, or prepared for the leader's own
token via the agent), each step recorded."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from config import defaults
from config.catalogue import get_catalogue
from config.errors import NotFound
from config.formats import book_entry, document_date, document_number
from config.settings import Settings
from signing.batch import BatchItem, BatchResult, sign_batch
from signing.levels import PadesLevel
from signing.pades import DATE_FIELD, NUMBER_FIELD, SignOptions
from signing.plan import options_for, plan_for, require_complete
from signing.profiles import AgentKey, Role, signer_registry, signing_policy
from signing.remote import prepare_with_certificate
from signing.services import ServiceConfig
from signing.sources import key_source
from storage.blobs import blob_store
from storage.db import open_database
from storage.dossiers import get_dossier
from storage.enums import SignatureState
from storage.models import Document, Dossier, SignatureRequest
from storage.signatures import (
    OFFICE_REGISTER,
    SeenResult,
    allocate_issue_number,
    begin_signing,
    get_request,
    input_of,
    issue_register,
    record_prepared,
    record_signed,
    request_signatures,
    requests_of,
    require_seen,
    result_of,
    set_fill,
    shown_sha256,
    signed_pdf_of,
)

log = logging.getLogger(__name__)

ACTOR = "signing"


@dataclass(frozen=True)
class SigningOutcome:
    """What running one requested signature did."""

    request_id: int
    status: str
    """signed, awaiting_token (prepared for the leader's agent) or error."""
    next_request_id: int | None = None
    """The signature that may run now, if any (for the caller to queue)."""
    error: dict[str, str] | None = None


def result_document(session: Session, dossier: Dossier) -> Document:
    """The dossier's result: the document being (or already) signed, else its latest
    digitized document of the procedure's result type (storage.signatures.result_of)."""
    result_type = get_catalogue().procedure(dossier.procedure_code).result_type
    document = result_of(session, dossier, result_type)
    if document is None:
        raise NotFound(
            f"dossier {dossier.code} has no digitized {result_type} result to sign; "
            "add the result document first (sohoa dossier add)"
        )
    return document


def current_result(settings: Settings, code: str) -> SeenResult:
    """The dossier's result as a preview shows it now: what a leader who looked at it
    approves (the document and the SHA-256 of its PDF)."""
    with open_database(settings).session(readonly=True) as session:
        document = result_document(session, get_dossier(session, code))
        sha = shown_sha256(session, document)
        assert sha is not None  # result_of returns digitized documents only
        return SeenResult(code, document.id, sha)


def check_seen(settings: Settings, seen: SeenResult) -> None:
    """ResultChanged unless the dossier's result is still the one the leader was shown."""
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, seen.code)
        require_seen(session, result_document(session, dossier), seen)


def request_dossier_signing(
    settings: Settings, seen: SeenResult, *, leader: str | None, actor: str
) -> list[int]:
    """Queue the signatures of a dossier's result (idempotent); returns their ids in order.

    Only for the result the leader was shown (`seen`): another document, or other bytes,
    are refused (ResultChanged) with nothing asked. The first signature is fixed to that
    PDF, and the dossier's result frozen while its signatures are owed or made."""
    code = seen.code
    with open_database(settings).session() as session:
        dossier = get_dossier(session, code, for_update=True)
        document = result_document(session, dossier)
        require_seen(session, document, seen)
        require_complete(dossier)
        level = signing_policy(settings).level_for(dossier.procedure_code, document.document_type)
        requests, created = request_signatures(
            session, document, plan_for(dossier, settings, leader), level=level.value, actor=actor
        )
        if created:
            log.info("dossier %s: %d signatures requested at %s", code, len(requests), level)
        return [r.id for r in requests]


def asked_of(settings: Settings, code: str) -> str | None:
    """The leader profile the dossier's result signatures were asked of, if they were."""
    with open_database(settings).session(readonly=True) as session:
        document = result_document(session, get_dossier(session, code))
        leader = next((r for r in requests_of(session, document.id) if r.role == "leader"), None)
        return leader.profile if leader is not None else None


def next_runnable(settings: Settings, document_id: int) -> int | None:
    """The first signature still owed on a document, if the ones before it are made."""
    with open_database(settings).session(readonly=True) as session:
        for request in requests_of(session, document_id):
            if request.status is SignatureState.SIGNED:
                continue
            if request.status is SignatureState.QUEUED:
                return request.id
            return None
    return None


def queueable(settings: Settings, request_ids: Sequence[int]) -> list[int]:
    """Of a document's requests, the one a worker may take now: queued, with no job yet,
    and every signature before it made."""
    with open_database(settings).session(readonly=True) as session:
        for request_id in request_ids:
            request = get_request(session, request_id)
            if request.status is SignatureState.SIGNED:
                continue
            if request.status is SignatureState.QUEUED and request.job_id is None:
                return [request_id]
            return []
    return []


def signed_result(settings: Settings, code: str) -> tuple[str, str]:
    """The dossier result's latest signed PDF: its blob name and its document type."""
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        document = result_document(session, dossier)
        sha = signed_pdf_of(session, document.id)
        if sha is None:
            raise NotFound(f"dossier {code}: its result is not signed yet (sohoa dossier sign)")
        return sha, document.document_type or "result"


def _issue_fill(settings: Settings, request: SignatureRequest, session: Session) -> dict[str, str]:
    """văn thư's number and date for the result, allocated once per document from the
    issuing (competent) unit's register: a civil-status result from its book, written with
    the book ("05, Quyển số: 01/2026" after "Số:"; config.defaults.CIVIL_STATUS_BOOK), any
    other from the văn thư register with the type's symbol ("05/QĐ-UBND")."""
    if request.fill:
        return dict(request.fill)
    now = datetime.now(settings.zone)
    dossier = request.document.dossier
    document_type = request.document.document_type or ""
    register = issue_register(document_type)
    number = allocate_issue_number(session, dossier.competent_unit_code, now.year,
                                   register=register)  # fmt: skip
    if register == OFFICE_REGISTER:
        symbol = signing_policy(settings).number_symbols.get(document_type, "")
        written = document_number(number, symbol)
    else:
        written = book_entry(number, defaults.CIVIL_STATUS_BOOK.format(year=now.year))
    fill = {NUMBER_FIELD: written, DATE_FIELD: document_date(now.date())}
    set_fill(session, request.id, fill, ACTOR)
    return fill


def _load(settings: Settings, request_id: int) -> tuple[SignatureRequest, str, dict[str, str]]:
    with open_database(settings).session() as session:
        request = begin_signing(session, request_id)
        source = input_of(session, request)
        fill = _issue_fill(settings, request, session) if request.role == Role.ORGANISATION else {}
        session.flush()
        session.expunge(request)
        return request, source, fill


def run_signature(settings: Settings, request_id: int) -> SigningOutcome:
    """Apply one requested signature with its profile's server-side key, store the signed
    PDF and record it; a leader's own-token signature is prepared for the agent instead."""
    request, source_sha, fill = _load(settings, request_id)
    profile = signer_registry(settings).get(request.profile)
    blobs = blob_store(settings)
    data = blobs.read_bytes(source_sha)
    options = options_for(profile, settings, PadesLevel(request.level), fill=fill)
    if isinstance(profile.key, AgentKey):
        return _prepare_for_agent(settings, request, data, options, profile.key)
    item = BatchItem(f"document {request.document_id}", data, options)
    (result,) = sign_batch(
        [item], key_source(profile.key, settings), ServiceConfig.from_settings(settings)
    )
    return _record(settings, request, source_sha, result)


def _record(
    settings: Settings, request: SignatureRequest, source_sha: str, result: BatchResult
) -> SigningOutcome:
    if result.error is not None:
        raise result.error
    assert result.signed is not None
    blob = blob_store(settings).put_bytes(result.signed.data)
    with open_database(settings).session() as session:
        record_signed(
            session,
            request.id,
            input_sha256=source_sha,
            output_sha256=blob.sha256,
            signed_at=result.signed.signed_at,
            actor=ACTOR,
        )
    return SigningOutcome(request.id, "signed", next_runnable(settings, request.document_id))


def _prepare_for_agent(
    settings: Settings,
    request: SignatureRequest,
    data: bytes,
    options: SignOptions,
    key: AgentKey,
) -> SigningOutcome:
    state, tbs = prepare_with_certificate(settings, data, options, key)
    blob = blob_store(settings).put_bytes(tbs)
    with open_database(settings).session() as session:
        record_prepared(session, request.id, state=state, prepared_sha256=blob.sha256, actor=ACTOR)
    return SigningOutcome(request.id, "awaiting_token")


def request_status(settings: Settings, request_ids: Sequence[int]) -> list[dict[str, object]]:
    """The requests' states, for the command line."""
    with open_database(settings).session(readonly=True) as session:
        rows = []
        for request_id in request_ids:
            request = get_request(session, request_id)
            rows.append(
                {
                    "id": request.id,
                    "position": request.position,
                    "role": request.role,
                    "profile": request.profile,
                    "signer": request.signer_name,
                    "level": request.level,
                    "status": request.status.value,
                    "pdf": request.output_sha256,
                    "error": request.error_message,
                }
            )
        return rows
