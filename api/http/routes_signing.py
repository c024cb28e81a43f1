"""API: a leader's signing inbox and batch signing, signed results, and the public check of
a signed PDF a citizen received."""

from __future__ import annotations

import base64
import functools
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import Base64Bytes, BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from api.accounts import Principal
from api.archive_service import log_record_access
from api.http.auth import allow
from api.http.context import service
from api.http.headers import FRAMED_PDF_HEADERS
from api.http.policy import Action, unit_filter
from api.http.routes_accounts import client_address
from api.http.routes_dossiers import owned_dossier
from api.http.schemas_errors import ERRORS, FILE
from api.http.schemas_signing import SigningQueued, SigningRow, VerifyReport
from api.http.uploads import received_files
from api.http.verify_pool import CheckPool
from api.paging import next_link
from api.sign_service import (
    finish_agent_batch,
    prepare_agent_batch,
    sign_results,
    signed_result_file,
)
from api.throttle import Throttle
from api.worklists import signing_inbox
from config import defaults
from config.errors import FileTooLarge, InvalidRequest
from config.settings import Settings
from signing.flow.agent import AgentSigned
from signing.verification.run import VerifyOptions, verify_pdf
from storage.signatures import SeenResult

router = APIRouter(prefix="/api", tags=["signing"], responses=ERRORS)

VERIFY_MAX_BYTES = 50 * 1024 * 1024
"""A signed result a citizen uploads to check: results are a few pages, 50 MB is ample."""


VERIFY_THROTTLE = Throttle(
    "verify", defaults.VERIFY_MAX_PER_ADDRESS, defaults.VERIFY_WINDOW_SECONDS
)
"""Checks per client address: the route is public and each check costs a chain validation."""


class ShownResult(BaseModel):
    """A result as the leader was shown it (the inbox's `document_id` and `sha256`)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=100)
    document_id: int
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    """SHA-256 of the result's PDF as previewed: another PDF is refused (409)."""


class SignRequest(BaseModel):
    """Results the leader signs now, as one batch, each as the leader saw it. Nothing else:
    the signer profile is the signed-in leader's own, and a request naming one is refused."""

    model_config = ConfigDict(extra="forbid")

    results: list[ShownResult] = Field(min_length=1, max_length=200)


@router.get("/signing/inbox", response_model=list[SigningRow])
def inbox(
    request: Request,
    response: Response,
    principal: Annotated[Principal, allow(Action.SIGN_INBOX)],
    cursor: Annotated[int | None, Query(description="The previous page's next cursor.")] = None,
    limit: Annotated[int, Query(ge=1, le=defaults.LIST_PAGE_MAX)] = defaults.LIST_PAGE_SIZE,
) -> list[dict[str, Any]]:
    """The unit's results: to sign, being signed, signed; each with the `document_id` and
    `sha256` a sign request names it by. Newest dossier first, a page at a time: when more
    follow, the `Link` header names the next page (rel="next", a cursor)."""
    unit = unit_filter(principal, Action.SIGN_INBOX) or principal.unit_code
    found = signing_inbox(
        service(request).settings, unit, principal.signer_profile, cursor=cursor, limit=limit
    )
    link = next_link("/api/signing/inbox", {"limit": str(limit)}, found.next_cursor)
    if link is not None:
        response.headers["Link"] = link
    return found.rows


@router.post("/signing", response_model=list[SigningQueued])
def sign(
    body: SignRequest, request: Request, principal: Annotated[Principal, allow(Action.SIGN)]
) -> list[dict[str, Any]]:
    """Sign results with the leader's own signer profile: the leader's signatures and the
    seal's are queued in order and made by the signing workers, on exactly the PDFs named
    (409 `result_changed` if a result is no longer the one shown, nothing queued)."""
    svc = service(request)
    for shown in body.results:
        owned_dossier(svc, principal, Action.SIGN, shown.code)
    return sign_results(
        svc.settings,
        svc.conn,
        [SeenResult(r.code, r.document_id, r.sha256.lower()) for r in body.results],
        profile=principal.signer_profile,
        signer_unit=principal.unit_code,
        actor=principal.username,
    )


class AgentPrepareRequest(BaseModel):
    """Results the leader signs now with their own token, through the sign agent, and the
    certificates the agent's GET /certificate answered (base64 DER, the signer's first)."""

    model_config = ConfigDict(extra="forbid")

    results: list[ShownResult] = Field(min_length=1, max_length=200)
    certificates: list[Base64Bytes] = Field(min_length=1, max_length=10)


class AgentItemOut(BaseModel):
    """One document for the agent's POST /sign, and the `code` and `id` to name its
    signature by."""

    code: str
    id: str
    title: str
    document_digest: str
    """Base64 of the document's hash, the messageDigest of its signed attributes."""
    signed_attrs: str
    """Base64 DER of the CMS signed attributes the token signs."""


class AgentPrepareAnswer(BaseModel):
    """The batch to hand to the agent (one PIN entry), and the requests that failed."""

    md_algorithm: str
    items: list[AgentItemOut]
    failed: list[int]
    """Signature requests that could not be prepared (their error is on the inbox)."""


class AgentSignature(BaseModel):
    """The agent's signature of one prepared item."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=100)
    id: str = Field(min_length=1, max_length=200)
    signature: Base64Bytes


class AgentFinishRequest(BaseModel):
    """The agent's signatures, each for an item the prepare answer named."""

    model_config = ConfigDict(extra="forbid")

    signatures: list[AgentSignature] = Field(min_length=1, max_length=200)


class AgentOutcomeOut(BaseModel):
    """One dossier's leader signature: `signed`, or `error` (the reason is on the inbox)."""

    code: str
    status: str


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@router.post("/signing/agent/prepare")
def agent_prepare(
    body: AgentPrepareRequest,
    request: Request,
    principal: Annotated[Principal, allow(Action.SIGN)],
) -> AgentPrepareAnswer:
    """Sign results with the leader's own token, first half: given the certificates the
    leader's sign agent presented, which must be the leader profile's (SHA-256; else 403
    `certificate_mismatch`, nothing asked), the results are asked exactly as shown (409
    `result_changed`) and prepared; the answer is the agent's POST /sign body's items."""
    svc = service(request)
    for shown in body.results:
        owned_dossier(svc, principal, Action.SIGN, shown.code)
    batch = prepare_agent_batch(
        svc.settings,
        [SeenResult(r.code, r.document_id, r.sha256.lower()) for r in body.results],
        body.certificates,
        profile=principal.signer_profile,
        signer_unit=principal.unit_code,
        actor=principal.username,
    )
    items = [
        AgentItemOut(
            code=i.code,
            id=i.ref,
            title=i.to_sign.title,
            document_digest=_b64(i.to_sign.document_digest),
            signed_attrs=_b64(i.to_sign.signed_attrs),
        )
        for i in batch.items
    ]
    return AgentPrepareAnswer(
        md_algorithm=batch.md_algorithm, items=items, failed=list(batch.failed)
    )


@router.post("/signing/agent/finish")
def agent_finish(
    body: AgentFinishRequest,
    request: Request,
    principal: Annotated[Principal, allow(Action.SIGN)],
) -> list[AgentOutcomeOut]:
    """Second half: the agent's signatures, each embedded in the document prepared for it
    (checked against the certificate, timestamped, verified), then the seal queued. An id
    the server did not prepare for this leader in the dossier named, or prepared again
    since, refuses the whole batch (409 `agent_item_unknown`; another unit's dossier: 404)."""
    svc = service(request)
    for signed in body.signatures:
        owned_dossier(svc, principal, Action.SIGN, signed.code)
    outcomes = finish_agent_batch(
        svc.settings,
        svc.conn,
        [AgentSigned(s.code, s.id, s.signature) for s in body.signatures],
        profile=principal.signer_profile,
        signer_unit=principal.unit_code,
        actor=principal.username,
    )
    return [AgentOutcomeOut(code=o.code, status=o.status) for o in outcomes]


@router.get("/dossiers/{code}/result", response_class=FileResponse, responses=FILE)
def get_signed_result(
    code: str, request: Request, principal: Annotated[Principal, allow(Action.RESULT_READ)]
) -> FileResponse:
    """The dossier's signed result (its latest signature's output)."""
    svc = service(request)
    owned_dossier(svc, principal, Action.RESULT_READ, code)
    signed = signed_result_file(svc.settings, code)
    log_record_access(svc.settings, [code], by=principal.username, how="download", file="result")
    return FileResponse(
        signed.path,
        media_type=signed.media_type,
        filename=signed.filename,
        headers=FRAMED_PDF_HEADERS,  # the leader's preview frames it
    )


VERIFY_POOL = CheckPool(defaults.VERIFY_WORKERS, defaults.VERIFY_QUEUE)
"""The threads public checks run on (each server process has its own)."""


def _verify(settings: Settings, data: bytes, name: str) -> dict[str, Any]:
    options = VerifyOptions.from_settings(settings, deadline=settings.verify_deadline)
    return verify_pdf(data, name, options).to_dict()


@router.post("/verify", response_model=VerifyReport)
async def verify(request: Request) -> dict[str, Any]:
    """Public: check the signatures of a PDF (multipart, field `file`): signer, trust,
    signing time, integrity, revocation, PAdES level. Nothing is stored. Each address may
    ask VERIFY_MAX_PER_ADDRESS checks a minute; past that, 429 `rate_limited` with
    Retry-After, before the file is even read. Checks run on VERIFY_POOL: when it is full,
    503 `verify_busy` at once; a check past SOHOA_VERIFY_DEADLINE is 422 `verify_timeout`,
    a PDF past the verifier's limits 422 `pdf_too_complex`."""
    svc = service(request)
    await run_in_threadpool(VERIFY_THROTTLE.hit, svc.conn, client_address(request))
    directory = svc.settings.data_path / "tmp" / "verify"
    async with received_files(request, directory, max_bytes=VERIFY_MAX_BYTES, max_files=1) as files:
        if not files:
            raise InvalidRequest("send the PDF to check as a file part")
        (part,) = files
        if part.too_large:
            raise FileTooLarge(part.name, f"larger than {VERIFY_MAX_BYTES} bytes")
        data = part.path.read_bytes()
    check = functools.partial(_verify, svc.settings, data, part.name)
    return await VERIFY_POOL.run(check, name=part.name, deadline=svc.settings.verify_deadline)
