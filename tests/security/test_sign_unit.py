"""A server-held key signs only for a leader of the unit its profile names."""

from __future__ import annotations

import redis
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.accounts import Principal, issue_token
from config.settings import Settings
from signing.flow.results import current_result
from storage.accounts import add_user
from storage.db import open_database
from storage.enums import TokenKind, UserRole
from storage.models import Dossier, SignatureRequest
from tests.storage.archive_support import build_dossier
from workers.queues import get_queue


def test_a_leader_of_another_unit_holding_the_profile_signs_nothing(
    app_client: TestClient, api_settings: Settings, password_hash: str, redis_conn: redis.Redis
) -> None:
    """ATTACK: an admin gives (or once gave, before accounts were checked) the profile of
    unit xa-a's chairman, whose key the server holds, to a leader account of unit xa-b,
    who then signs xa-b's results with the chairman's key.
    BOUNDARY: sign_results checks the leader's unit against the profile's before anything is
    asked: 403, no signature request, no job."""
    with open_database(api_settings).session() as session:
        user = add_user(  # straight into the database: the account check is not the one tested
            session, username="leader_x", full_name="Leader X", role=UserRole.LEADER,
            unit_code="xa-b", password_hash=password_hash, signer_profile="chu-tich",
            actor="test",
        )  # fmt: skip
        leader_x = Principal.of(user)
    token = issue_token(api_settings, leader_x, TokenKind.API).token
    code = build_dossier(open_database(api_settings), api_settings, unit="xa-b", signed=False).code
    shown = current_result(api_settings, code)
    jobs = get_queue(redis_conn, "sign").count

    seen = {"code": code, "document_id": shown.document_id, "sha256": shown.sha256}
    reply = app_client.post(
        "/api/signing",
        json={"results": [seen]},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert reply.status_code == 403, reply.text
    assert "xa-a" in reply.json()["error"]["message"]
    with open_database(api_settings).session(readonly=True) as session:
        asked = session.scalars(
            select(SignatureRequest.id)
            .join(Dossier, SignatureRequest.dossier_id == Dossier.id)
            .where(Dossier.code == code)
        ).all()
    assert asked == []
    assert get_queue(redis_conn, "sign").count == jobs
