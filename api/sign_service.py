"""A leader signs results from the web: with their own signer profile only, in one batch,
and only the results as they were shown to the leader (document and SHA-256)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import redis
from asn1crypto import x509

from api.dossier_views import ServedFile
from config.errors import Forbidden, InvalidRequest
from config.settings import Settings
from signing.agent_client import leader_certificate, require_certificate
from signing.flow.agent import (
    AgentBatch,
    AgentOutcome,
    AgentSigned,
    finish_from_agent,
    owed_by_leader,
    prepare_for_agent,
)
from signing.flow.results import (
    asked_of,
    check_seen,
    current_result,
    queueable,
    request_dossier_signing,
    request_status,
    signed_result,
)
from signing.profiles import SignerProfile, signer_registry
from storage.blobs import blob_store
from storage.signatures import SeenResult
from workers.jobs import JobKind, enqueue

_SEEN = re.compile(r"(?P<code>.+):(?P<document>\d+):(?P<sha>[0-9a-fA-F]{64})")


def parse_seen(text: str) -> SeenResult:
    """`CODE:DOCUMENT_ID:SHA256`, the result a leader approves as a form field or a command
    line argument carries it; InvalidRequest for anything else (a bare code included)."""
    found = _SEEN.fullmatch(text.strip())
    if found is None:
        raise InvalidRequest(
            f"{text.strip()!r}: name the result you reviewed as CODE:DOCUMENT_ID:SHA256 "
            "(sohoa dossier review CODE prints it, with the PDF to read first)"
        )
    return SeenResult(found["code"], int(found["document"]), found["sha"].lower())


def seen_form(seen: SeenResult) -> str:
    """The text parse_seen reads back (for a page's form)."""
    return f"{seen.code}:{seen.document_id}:{seen.sha256}"


def _leader_profile(
    settings: Settings, profile: str | None, signer_unit: str, actor: str
) -> SignerProfile:
    """The leader's own profile, refused if the account has none, or if it signs for
    another unit than the leader's (an account moved, or given the profile before
    accounts were checked, signs nothing)."""
    if not profile:
        raise InvalidRequest(f"{actor} has no signer profile; an admin must set one")
    found = signer_registry(settings).get(profile)
    if found.unit_code is not None and found.unit_code != signer_unit:
        raise Forbidden(
            f"{actor} is of unit {signer_unit}, but profile {profile} signs for unit "
            f"{found.unit_code}"
        )
    return found


def _ask(
    settings: Settings, results: Sequence[SeenResult], profile: str, actor: str
) -> dict[str, list[int]]:
    """The signatures of these results asked of `profile` (leader first, then the seal),
    each on exactly the PDF shown; by dossier code, their ids in order. A batch holding a
    result asked of another leader (Forbidden) or changed since it was shown
    (ResultChanged) is refused whole before anything is asked."""
    for seen in results:
        asked = asked_of(settings, seen.code)
        if asked is not None and asked != profile:
            raise Forbidden(f"dossier {seen.code}: its result is for {asked} to sign")
        check_seen(settings, seen)
    requests = {}
    for seen in results:
        ids = request_dossier_signing(settings, seen, leader=profile, actor=actor)
        leader = next((r for r in request_status(settings, ids) if r["role"] == "leader"), None)
        if leader is not None and leader["profile"] != profile:
            raise Forbidden(f"dossier {seen.code}: its result is for {leader['profile']} to sign")
        requests[seen.code] = ids
    return requests


def sign_results(
    settings: Settings,
    conn: redis.Redis,
    results: Sequence[SeenResult],
    *,
    profile: str | None,
    signer_unit: str,
    actor: str,
) -> list[dict[str, Any]]:
    """Queue the signatures of these dossiers' results (leader first, then the seal), the
    leader's made with `profile`, each on exactly the PDF the leader was shown (_ask; the
    change is checked again as each signature is made). A server-held key signs only for a
    leader of the unit its profile names (_leader_profile)."""
    leader = _leader_profile(settings, profile, signer_unit, actor)
    outcome = []
    for code, ids in _ask(settings, results, leader.name, actor).items():
        for request_id in queueable(settings, ids):
            enqueue(conn, settings, JobKind.SIGN, request_id)
        outcome.append({"code": code, "signatures": request_status(settings, ids)})
    return outcome


def _chain(certificates: Sequence[bytes]) -> list[x509.Certificate]:
    try:
        chain = [x509.Certificate.load(der, strict=True) for der in certificates]
        for cert in chain:
            _ = cert.subject.human_friendly  # parsed now, not halfway through signing
    except (ValueError, TypeError) as e:
        raise InvalidRequest(f"the signing agent's certificates are not DER X.509 ({e})") from e
    if not chain:
        raise InvalidRequest("the signing agent sent no certificate")
    return chain


def prepare_agent_batch(
    settings: Settings,
    results: Sequence[SeenResult],
    certificates: Sequence[bytes],
    *,
    profile: str | None,
    signer_unit: str,
    actor: str,
) -> AgentBatch:
    """The first half of signing with the leader's own token from the browser: the agent's
    certificate (signer first) must be the one the leader's own profile names (SHA-256;
    CertificateMismatch, nothing asked or recorded), then the results' signatures are
    asked as sign_results asks them and the leader's are prepared for the agent (their
    signed attributes to sign, each with the ref finish_agent_batch takes back)."""
    leader = _leader_profile(settings, profile, signer_unit, actor)
    chain = _chain(certificates)
    require_certificate(chain[0], leader_certificate(settings, leader), leader.name)
    requests = _ask(settings, results, leader.name, actor)
    owed = [i for ids in requests.values() for i in owed_by_leader(settings, ids)]
    return prepare_for_agent(settings, owed, chain)


def finish_agent_batch(
    settings: Settings,
    conn: redis.Redis,
    signed: Sequence[AgentSigned],
    *,
    profile: str | None,
    signer_unit: str,
    actor: str,
) -> list[AgentOutcome]:
    """The second half: the agent's signature of each prepared item embedded, checked and
    recorded (signing.flow.agent.finish_from_agent: only items prepared for this leader's
    profile, each in the dossier it names: the caller checks those are the leader's
    unit's), then the next signature of each document (the seal) queued."""
    leader = _leader_profile(settings, profile, signer_unit, actor)
    outcomes = finish_from_agent(settings, signed, profile=leader.name)
    for outcome in outcomes:
        for request_id in queueable(settings, outcome.document_requests):
            enqueue(conn, settings, JobKind.SIGN, request_id)
    return outcomes


def signed_result_file(settings: Settings, code: str) -> ServedFile:
    """The dossier's signed result (its latest signature's output), named
    `<code>-<document type>.signed.pdf`; NotFound before it is signed."""
    sha, document_type = signed_result(settings, code)
    name = f"{code}-{document_type}.signed.pdf"
    return ServedFile(blob_store(settings).path(sha), "application/pdf", name)


def result_to_review(settings: Settings, code: str) -> tuple[SeenResult, Path]:
    """The result a leader would sign now (document and SHA-256) and its PDF to read."""
    shown = current_result(settings, code)
    return shown, blob_store(settings).path(shown.sha256)
