"""A leader signs results from the web: with their own signer profile only, in one batch,
and only the results as they were shown to the leader (document and SHA-256)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import redis

from api.dossier_views import ServedFile
from config.errors import Forbidden, InvalidRequest
from config.settings import Settings
from signing.flow.results import (
    asked_of,
    check_seen,
    current_result,
    queueable,
    request_dossier_signing,
    request_status,
    signed_result,
)
from signing.profiles import signer_registry
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
    leader's made with `profile`, each on exactly the PDF the leader was shown. A batch
    holding a result whose signatures were already asked of another leader (Forbidden), or
    a result changed since it was shown (ResultChanged), is refused whole before anything
    changes; the change is checked again as each signature is asked. A server-held key signs
    only for a leader of the unit its profile names (Forbidden otherwise: an account moved to
    another unit, or given the profile before accounts were checked, signs nothing)."""
    if not profile:
        raise InvalidRequest(f"{actor} has no signer profile; an admin must set one")
    signs_for = signer_registry(settings).get(profile).unit_code
    if signs_for is not None and signs_for != signer_unit:
        raise Forbidden(
            f"{actor} is of unit {signer_unit}, but profile {profile} signs for unit {signs_for}"
        )
    for seen in results:
        asked = asked_of(settings, seen.code)
        if asked is not None and asked != profile:
            raise Forbidden(f"dossier {seen.code}: its result is for {asked} to sign")
        check_seen(settings, seen)
    outcome = []
    for seen in results:
        ids = request_dossier_signing(settings, seen, leader=profile, actor=actor)
        rows = request_status(settings, ids)
        leader = next((r for r in rows if r["role"] == "leader"), None)
        if leader is not None and leader["profile"] != profile:
            raise Forbidden(f"dossier {seen.code}: its result is for {leader['profile']} to sign")
        for request_id in queueable(settings, ids):
            enqueue(conn, settings, JobKind.SIGN, request_id)
        outcome.append({"code": seen.code, "signatures": request_status(settings, ids)})
    return outcome


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
