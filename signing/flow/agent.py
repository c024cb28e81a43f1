"""Dossier signatures through the leader's agent, as use cases: each request loaded and
prepared here, one batch signed there, every outcome recorded.

The command line talks to the agent itself (sign_with_agent); the leader's browser does it
for the web, so the two halves are use cases of their own: prepare_for_agent answers the
items with a ref each, finish_from_agent takes signatures for refs still prepared."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import x509

from config.errors import SohoaError
from config.settings import Settings
from signing import pdfa, remote
from signing.agent_batch import ToSign
from signing.agent_client import AgentClient, AgentLink, leader_certificate, require_certificate
from signing.errors import AgentItemUnknown
from signing.levels import PadesLevel
from signing.plan import options_for
from signing.profiles import Role, signer_registry
from signing.services import ServiceConfig, SigningServices
from storage.blobs import BlobStore, blob_store
from storage.db import open_database
from storage.enums import SignatureState
from storage.models import SignatureRequest
from storage.search.index import type_name
from storage.signatures import (
    begin_signing,
    get_request,
    input_of,
    record_prepared,
    record_sign_failure,
    record_signed,
    requests_of,
)

log = logging.getLogger(__name__)

ACTOR = "signing-agent"


@dataclass(frozen=True)
class _Pending:
    request_id: int
    document_id: int
    code: str
    """The dossier's code."""
    title: str
    """What the leader reads at the agent's prompt: the result's type and its dossier."""
    source_sha: str
    prepared: remote.PreparedSignature
    source: bytes


async def _pending(
    settings: Settings,
    request_id: int,
    chain: list[x509.Certificate],
    services: SigningServices,
    blobs: BlobStore,
) -> _Pending:
    """The request prepared (now, with the agent's certificate, or earlier by a worker),
    once the agent's certificate is found to be the one its leader's profile names."""
    with open_database(settings).session() as session:
        request = begin_signing(session, request_id)
        source = input_of(session, request)
        status, state, prepared_sha = (
            request.status,
            dict(request.prepared),
            request.prepared_sha256,
        )
        profile_name, level, fill = request.profile, request.level, dict(request.fill)
        document_id = request.document_id
        document = request.document
        code = document.dossier.code
        title = f"{type_name(document.document_type) or 'Văn bản'} — hồ sơ {code}"
    profile = signer_registry(settings).get(profile_name)
    require_certificate(chain[0], leader_certificate(settings, profile), profile.name)
    data = blobs.read_bytes(source)
    if status is SignatureState.AWAITING_TOKEN and prepared_sha:
        tbs = blobs.read_bytes(prepared_sha)
        prepared = remote.PreparedSignature.from_state(state, tbs)
        return _Pending(request_id, document_id, code, title, source, prepared, data)
    options = options_for(profile, settings, PadesLevel(level), fill=fill)
    prepared = await remote.prepare(data, chain, options, services)
    stored = blobs.put_bytes(prepared.tbs_pdf)
    with open_database(settings).session() as session:
        record_prepared(
            session, request_id, state=prepared.state(), prepared_sha256=stored.sha256, actor=ACTOR
        )
    return _Pending(request_id, document_id, code, title, source, prepared, data)


def _fail(settings: Settings, request_id: int, error: SohoaError) -> None:
    with open_database(settings).session() as session:
        record_sign_failure(
            session,
            request_id,
            code=error.code,
            message=error.message,
            final=not error.transient,
            actor=ACTOR,
        )


async def _finish(
    settings: Settings,
    item: _Pending,
    value: bytes,
    services: SigningServices,
    blobs: BlobStore,
) -> str:
    try:
        signed = await remote.finish(item.prepared, value, services)
        pdfa.require_kept(item.source, signed.data, f"document {item.document_id}", full=True)
    except SohoaError as e:
        _fail(settings, item.request_id, e)
        return "error"
    blob = blobs.put_bytes(signed.data)
    with open_database(settings).session() as session:
        record_signed(
            session,
            item.request_id,
            input_sha256=item.source_sha,
            output_sha256=blob.sha256,
            signed_at=signed.signed_at,
            actor=ACTOR,
        )
    return "signed"


def item_ref(request_id: int, signed_attrs: bytes) -> str:
    """How a requester names a prepared item back: the request and the SHA-256 of the
    signed attributes it was prepared with (opaque to the requester)."""
    return f"{request_id}.{hashlib.sha256(signed_attrs).hexdigest()}"


@dataclass(frozen=True)
class AgentItem:
    """One prepared document as the requester carries it to the agent and back."""

    code: str
    """The dossier's code."""
    ref: str
    """item_ref: finish_from_agent takes a signature only for a ref that is still the
    request's prepared state."""
    to_sign: ToSign


@dataclass(frozen=True)
class AgentBatch:
    """What the leader's agent is asked to sign, one PIN entry for all of it."""

    md_algorithm: str
    items: tuple[AgentItem, ...]
    failed: dict[int, str]
    """Requests that could not be prepared (recorded on them): id -> error code."""


@dataclass(frozen=True)
class AgentOutcome:
    """One signature the agent returned, embedded or not."""

    request_id: int
    code: str
    """The dossier's code."""
    status: str
    """signed or error (the error recorded on the request)."""
    document_requests: tuple[int, ...]
    """Every signature request of the document, in order (the seal's is next)."""


async def _prepare_all(
    settings: Settings,
    request_ids: Sequence[int],
    chain: list[x509.Certificate],
    services: SigningServices,
    blobs: BlobStore,
) -> tuple[list[_Pending], dict[int, str]]:
    """Each request prepared for the chain's holder; one that cannot be is failed (recorded)."""
    pending, failed = [], {}
    for request_id in request_ids:
        try:
            pending.append(await _pending(settings, request_id, chain, services, blobs))
        except SohoaError as e:
            _fail(settings, request_id, e)
            failed[request_id] = e.code
    return pending, failed


async def _finish_all(
    settings: Settings,
    pending: Sequence[_Pending],
    values: Sequence[bytes],
    services: SigningServices,
    blobs: BlobStore,
) -> dict[int, str]:
    return {
        item.request_id: await _finish(settings, item, value, services, blobs)
        for item, value in zip(pending, values, strict=True)
    }


def _items(pending: Sequence[_Pending]) -> list[ToSign]:
    return [ToSign(p.title, p.prepared.document_digest, p.prepared.signed_attrs) for p in pending]


async def sign_with_agent_async(
    settings: Settings, request_ids: Sequence[int], link: AgentLink
) -> dict[int, str]:
    """Sign the requests with the leader's agent: one request to it for all of them. A
    request whose profile names another certificate than the agent's fails, unsigned."""
    config = ServiceConfig.from_settings(settings)
    blobs = blob_store(settings)
    async with SigningServices(config) as services:
        client = AgentClient(link, services.session, config.timeout)
        chain = await client.certificates()
        pending, failed = await _prepare_all(settings, request_ids, chain, services, blobs)
        outcome = dict.fromkeys(failed, "error")
        if pending:
            algorithm = pending[0].prepared.md_algorithm
            values = await client.sign(algorithm, _items(pending))
            outcome |= await _finish_all(settings, pending, values, services, blobs)
    return outcome


def sign_with_agent(
    settings: Settings, request_ids: Sequence[int], link: AgentLink
) -> dict[int, str]:
    """sign_with_agent_async in its own event loop."""
    return asyncio.run(sign_with_agent_async(settings, request_ids, link))


def prepare_for_agent(
    settings: Settings, request_ids: Sequence[int], chain: list[x509.Certificate]
) -> AgentBatch:
    """The first half of sign_with_agent, for a requester that talks to the agent itself
    (the leader's browser): the requests prepared for the chain's holder, each item named
    by its ref. The certificate is checked against each request's profile (a mismatch
    fails the request, as on the command line)."""

    async def run() -> tuple[list[_Pending], dict[int, str]]:
        async with SigningServices(ServiceConfig.from_settings(settings)) as services:
            return await _prepare_all(settings, request_ids, chain, services, blob_store(settings))

    pending, failed = asyncio.run(run())
    algorithm = pending[0].prepared.md_algorithm if pending else "sha256"
    items = tuple(
        AgentItem(p.code, item_ref(p.request_id, p.prepared.signed_attrs), to_sign)
        for p, to_sign in zip(pending, _items(pending), strict=True)
    )
    return AgentBatch(algorithm, items, failed)


def _parse_ref(ref: str) -> int:
    """The request id of an item ref (AgentItemUnknown for what no ref looks like)."""
    request_id, _, digest = ref.partition(".")
    if not request_id.isdigit() or len(digest) != 64:
        raise AgentItemUnknown(f"{ref[:80]!r} names no item the server prepared")
    return int(request_id)


@dataclass(frozen=True)
class AgentSigned:
    """The agent's signature of one item, as the requester hands it back."""

    code: str
    """The dossier the item is of (the route checks it is the leader's unit's)."""
    ref: str
    """The item's ref, as prepare_for_agent gave it."""
    value: bytes
    """The token's signature of the item's signed attributes."""


def _is_prepared(request: SignatureRequest | None, signed: AgentSigned, profile: str) -> bool:
    """Whether the request is the one the ref names, of the named dossier and this leader's
    profile, waiting for the token with the very signed attributes the ref was made of."""
    if request is None or request.document.dossier.code != signed.code.strip():
        return False
    if request.profile != profile or request.status is not SignatureState.AWAITING_TOKEN:
        return False
    attrs = base64.b64decode(str(request.prepared.get("signed_attrs", "")))
    return bool(request.prepared_sha256) and item_ref(request.id, attrs) == signed.ref


def _prepared(
    settings: Settings, signed: Sequence[AgentSigned], profile: str, blobs: BlobStore
) -> list[tuple[_Pending, str, tuple[int, ...]]]:
    """The prepared requests the items name, each with its dossier's code and its document's
    requests in order;
    AgentItemUnknown (nothing is finished) if one is not prepared for this leader in the
    named dossier, or was prepared again since with other signed attributes."""
    if len({s.ref for s in signed}) != len(signed):
        raise AgentItemUnknown("an item is named twice")
    found = []
    with open_database(settings).session(readonly=True) as session:
        for item in signed:
            request = session.get(SignatureRequest, _parse_ref(item.ref))
            if not _is_prepared(request, item, profile):
                raise AgentItemUnknown(f"{item.ref[:80]!r} is no item prepared for {profile}")
            assert request is not None and request.prepared_sha256 is not None
            source = input_of(session, request)
            prepared = remote.PreparedSignature.from_state(
                dict(request.prepared), blobs.read_bytes(request.prepared_sha256)
            )
            code = request.document.dossier.code
            data = blobs.read_bytes(source)
            pending = _Pending(request.id, request.document_id, code, code, source, prepared, data)
            found.append(
                (pending, code, tuple(r.id for r in requests_of(session, request.document_id)))
            )
    return found


def finish_from_agent(
    settings: Settings, signed: Sequence[AgentSigned], *, profile: str
) -> list[AgentOutcome]:
    """The second half of sign_with_agent: the agent's signature values, each for the item
    prepare_for_agent named, embedded, checked and recorded as the command line does.
    Refused whole, nothing finished, if an item is not a request prepared for this leader's
    profile in the dossier it names (AgentItemUnknown)."""
    blobs = blob_store(settings)
    found = _prepared(settings, signed, profile, blobs)

    async def run() -> dict[int, str]:
        async with SigningServices(ServiceConfig.from_settings(settings)) as services:
            pending = [item for item, _, _ in found]
            values = [s.value for s in signed]
            return await _finish_all(settings, pending, values, services, blobs)

    statuses = asyncio.run(run())
    return [
        AgentOutcome(item.request_id, code, statuses[item.request_id], ids)
        for item, code, ids in found
    ]


def owed_by_leader(settings: Settings, request_ids: Sequence[int]) -> list[int]:
    """Of these requests, the ones the leader's agent should sign now: a person's (never
    the organisation's seal), still open, and first in line."""
    runnable = []
    with open_database(settings).session(readonly=True) as session:
        for request_id in request_ids:
            request = get_request(session, request_id)
            if request.status not in (SignatureState.QUEUED, SignatureState.AWAITING_TOKEN):
                continue
            if request.role == Role.ORGANISATION:
                continue
            try:
                input_of(session, request)
            except SohoaError:
                continue
            runnable.append(request_id)
    return runnable
