"""A leader signs results from the web: with their own signer profile only, in one batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis

from config.errors import Forbidden, InvalidRequest
from config.settings import Settings
from signing.workflow import queueable, request_dossier_signing, request_status, set_job
from workers.sign_queue import enqueue_sign


def sign_results(
    settings: Settings,
    conn: redis.Redis,
    codes: Sequence[str],
    *,
    profile: str | None,
    actor: str,
) -> list[dict[str, Any]]:
    """Queue the signatures of these dossiers' results (leader first, then the seal), the
    leader's made with `profile`. A result whose signatures were already asked of another
    leader is refused (Forbidden) before anything changes for it."""
    if not profile:
        raise InvalidRequest(f"{actor} has no signer profile; an admin must set one")
    outcome = []
    for code in codes:
        ids = request_dossier_signing(settings, code, leader=profile, actor=actor)
        rows = request_status(settings, ids)
        leader = next((r for r in rows if r["role"] == "leader"), None)
        if leader is not None and leader["profile"] != profile:
            raise Forbidden(f"dossier {code}: its result is for {leader['profile']} to sign")
        for request_id in queueable(settings, ids):
            set_job(settings, request_id, enqueue_sign(conn, settings, request_id))
        outcome.append({"code": code, "signatures": request_status(settings, ids)})
    return outcome
