"""Dossier signatures through the leader's agent, as use cases: each request loaded and
prepared here, one batch signed there, every outcome recorded."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import x509

from config.errors import SohoaError
from config.settings import Settings
from signing import pdfa, remote
from signing.agent_batch import ToSign
from signing.agent_client import AgentClient, AgentLink, leader_certificate, require_certificate
from signing.levels import PadesLevel
from signing.plan import options_for
from signing.profiles import Role, signer_registry
from signing.services import ServiceConfig, SigningServices
from storage.blobs import BlobStore, blob_store
from storage.db import open_database
from storage.enums import SignatureState
from storage.search.index import type_name
from storage.signatures import (
    begin_signing,
    get_request,
    input_of,
    record_prepared,
    record_sign_failure,
    record_signed,
)

log = logging.getLogger(__name__)

ACTOR = "signing-agent"


@dataclass(frozen=True)
class _Pending:
    request_id: int
    document_id: int
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
        title = f"{type_name(document.document_type) or 'Văn bản'} — hồ sơ {document.dossier.code}"
    profile = signer_registry(settings).get(profile_name)
    require_certificate(chain[0], leader_certificate(settings, profile), profile.name)
    data = blobs.read_bytes(source)
    if status is SignatureState.AWAITING_TOKEN and prepared_sha:
        tbs = blobs.read_bytes(prepared_sha)
        prepared = remote.PreparedSignature.from_state(state, tbs)
        return _Pending(request_id, document_id, title, source, prepared, data)
    options = options_for(profile, settings, PadesLevel(level), fill=fill)
    prepared = await remote.prepare(data, chain, options, services)
    stored = blobs.put_bytes(prepared.tbs_pdf)
    with open_database(settings).session() as session:
        record_prepared(
            session, request_id, state=prepared.state(), prepared_sha256=stored.sha256, actor=ACTOR
        )
    return _Pending(request_id, document_id, title, source, prepared, data)


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


async def sign_with_agent_async(
    settings: Settings, request_ids: Sequence[int], link: AgentLink
) -> dict[int, str]:
    """Sign the requests with the leader's agent: one request to it for all of them. A
    request whose profile names another certificate than the agent's fails, unsigned."""
    config = ServiceConfig.from_settings(settings)
    blobs = blob_store(settings)
    outcome: dict[int, str] = {}
    async with SigningServices(config) as services:
        client = AgentClient(link, services.session, config.timeout)
        chain = await client.certificates()
        pending = []
        for request_id in request_ids:
            try:
                pending.append(await _pending(settings, request_id, chain, services, blobs))
            except SohoaError as e:
                _fail(settings, request_id, e)
                outcome[request_id] = "error"
        if pending:
            algorithm = pending[0].prepared.md_algorithm
            items = [
                ToSign(p.title, p.prepared.document_digest, p.prepared.signed_attrs)
                for p in pending
            ]
            values = await client.sign(algorithm, items)
            for item, value in zip(pending, values, strict=True):
                outcome[item.request_id] = await _finish(settings, item, value, services, blobs)
    return outcome


def sign_with_agent(
    settings: Settings, request_ids: Sequence[int], link: AgentLink
) -> dict[int, str]:
    """sign_with_agent_async in its own event loop."""
    return asyncio.run(sign_with_agent_async(settings, request_ids, link))


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
