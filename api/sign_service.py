"""A leader signs results from the web: with their own signer profile only, in one batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis

from config.errors import Forbidden, InvalidRequest
from config.settings import Settings
from signing.workflow import (
    queueable,
    request_dossier_signing,
    request_status,
    result_document,
)
from storage.db import open_database
from storage.dossiers import get_dossier
from storage.signatures import requests_of
from workers.jobs import JobKind, enqueue


def asked_of(settings: Settings, code: str) -> str | None:
    """The leader profile the dossier's result signatures were asked of, if they were."""
    with open_database(settings).session(readonly=True) as session:
        document = result_document(get_dossier(session, code))
        leader = next((r for r in requests_of(session, document.id) if r.role == "leader"), None)
        return leader.profile if leader is not None else None


def sign_results(
    settings: Settings,
    conn: redis.Redis,
    codes: Sequence[str],
    *,
    profile: str | None,
    actor: str,
) -> list[dict[str, Any]]:
    """Queue the signatures of these dossiers' results (leader first, then the seal), the
    leader's made with `profile`. A batch holding a result whose signatures were already
    asked of another leader is refused whole (Forbidden) before anything changes."""
    if not profile:
        raise InvalidRequest(f"{actor} has no signer profile; an admin must set one")
    for code in codes:
        asked = asked_of(settings, code)
        if asked is not None and asked != profile:
            raise Forbidden(f"dossier {code}: its result is for {asked} to sign")
    outcome = []
    for code in codes:
        ids = request_dossier_signing(settings, code, leader=profile, actor=actor)
        rows = request_status(settings, ids)
        leader = next((r for r in rows if r["role"] == "leader"), None)
        if leader is not None and leader["profile"] != profile:
            raise Forbidden(f"dossier {code}: its result is for {leader['profile']} to sign")
        for request_id in queueable(settings, ids):
            enqueue(conn, settings, JobKind.SIGN, request_id)
        outcome.append({"code": code, "signatures": request_status(settings, ids)})
    return outcome
