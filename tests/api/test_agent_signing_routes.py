"""The leader's own token from the browser, at the HTTP edge: POST /api/signing/agent/prepare
checks the agent's certificate against the leader's profile and the dossier's unit before
anything is asked; POST /api/signing/agent/finish embeds only signatures of items it
prepared for this leader. The agent's half (the token's signature) is made here with the
leader's key, as the token holding it would. Real app, Redis, PKI, SQLite or PostgreSQL."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
import redis
from asn1crypto import pem
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from fastapi.testclient import TestClient

from config.settings import Settings
from signing.flow.results import current_result
from signing.testpki import TestPki
from storage.db import open_database
from storage.dossiers import get_dossier
from storage.enums import SignatureState
from storage.models import SignatureRequest
from storage.signatures import requests_of, result_of
from tests.signing.conftest import pki, pki_services, signing_settings
from tests.storage.archive_support import build_dossier
from workers.queues import get_queue

__all__ = ["pki", "pki_services", "signing_settings"]  # fixtures of the signing tests

Headers = Callable[[str], dict[str, str]]
PREPARE, FINISH = "/api/signing/agent/prepare", "/api/signing/agent/finish"


def _der(pki: TestPki, label: str) -> str:
    """A test PKI certificate as the agent's GET /certificate lists it (base64 DER)."""
    return base64.b64encode(pem.unarmor(pki.cert_path(label).read_bytes())[2]).decode()


def _seen(settings: Settings, code: str) -> dict[str, Any]:
    shown = current_result(settings, code)
    return {"code": code, "document_id": shown.document_id, "sha256": shown.sha256}


def _requests(settings: Settings, code: str) -> list[SignatureRequest]:
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        document = result_of(session, dossier, "giay_khai_sinh")
        return [] if document is None else requests_of(session, document.id)


def _token_signature(pki: TestPki, item: dict[str, str]) -> str:
    """What the leader's token returns for an item: its key's signature of the attributes."""
    key = serialization.load_pem_private_key(pki.key_path("leader").read_bytes(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    attrs = base64.b64decode(item["signed_attrs"])
    return base64.b64encode(key.sign(attrs, padding.PKCS1v15(), hashes.SHA256())).decode()


@pytest.fixture
def world(
    signing_settings: Settings, app_client: TestClient, api_settings: Settings
) -> tuple[TestClient, Settings]:
    """The app on settings holding the test PKI's keys (signing_settings comes first)."""
    return app_client, api_settings


def _dossier(settings: Settings, unit: str = "xa-a", seed: int = 1) -> str:
    return build_dossier(open_database(settings), settings, unit=unit, signed=False, seed=seed).code


def test_prepare_refuses_a_certificate_that_is_not_the_leaders_profiles(
    world: tuple[TestClient, Settings], bearer: Headers, pki: TestPki
) -> None:
    """GIVEN leader_a's profile names the chairman's certificate
    WHEN the agent presents the deputy's (another person's token plugged in)
    THEN 403 certificate_mismatch, with the Vietnamese hint; no signature is asked."""
    client, settings = world
    code = _dossier(settings)
    body = {"results": [_seen(settings, code)], "certificates": [_der(pki, "deputy")]}
    reply = client.post(PREPARE, json=body, headers=bearer("leader_a"))
    assert reply.status_code == 403, reply.text
    error = reply.json()["error"]
    assert error["code"] == "certificate_mismatch" and "USB token" in error["hint"]
    assert _requests(settings, code) == []


def test_prepare_hides_another_units_dossier_and_refuses_a_clerk(
    world: tuple[TestClient, Settings], bearer: Headers, pki: TestPki
) -> None:
    client, settings = world
    theirs = _dossier(settings, unit="xa-b")
    body = {"results": [_seen(settings, theirs)], "certificates": [_der(pki, "leader")]}
    reply = client.post(PREPARE, json=body, headers=bearer("leader_a"))
    assert reply.status_code == 404, reply.text
    assert _requests(settings, theirs) == []
    ours = _dossier(settings, seed=2)
    body = {"results": [_seen(settings, ours)], "certificates": [_der(pki, "leader")]}
    reply = client.post(PREPARE, json=body, headers=bearer("clerk_a"))
    assert reply.status_code == 403, reply.text
    assert _requests(settings, ours) == []


def test_prepare_refuses_a_result_changed_since_the_preview(
    world: tuple[TestClient, Settings], bearer: Headers, pki: TestPki
) -> None:
    client, settings = world
    code = _dossier(settings)
    seen = _seen(settings, code) | {"sha256": "0" * 64}
    body = {"results": [seen], "certificates": [_der(pki, "leader")]}
    reply = client.post(PREPARE, json=body, headers=bearer("leader_a"))
    assert reply.status_code == 409 and reply.json()["error"]["code"] == "result_changed"
    assert _requests(settings, code) == []


def test_finish_refuses_signatures_for_items_it_did_not_prepare_then_signs_the_batch(
    world: tuple[TestClient, Settings],
    bearer: Headers,
    pki: TestPki,
    redis_conn: redis.Redis,
) -> None:
    """GIVEN two results prepared for leader_a's token
    WHEN finish names an item it did not prepare (a made-up id, the seal's request, an id
    whose signed attributes are not the ones prepared, an item under another dossier, one
    twice), beside a good one; or names another unit's dossier
    THEN 409 agent_item_unknown (404 for the other unit) and nothing is embedded; the
    honest batch then signs both, and each dossier's seal is queued."""
    client, settings = world
    codes = [_dossier(settings, seed=n) for n in (3, 4)]
    body = {"results": [_seen(settings, c) for c in codes], "certificates": [_der(pki, "leader")]}
    prepared = client.post(PREPARE, json=body, headers=bearer("leader_a"))
    assert prepared.status_code == 200, prepared.text
    items = prepared.json()["items"]
    assert len(items) == 2 and prepared.json()["md_algorithm"] == "sha256"
    assert all(codes[n] in items[n]["title"] for n in range(2))
    assert [i["code"] for i in items] == codes
    good = {"code": codes[0], "id": items[0]["id"], "signature": _token_signature(pki, items[0])}
    seal = next(r for r in _requests(settings, codes[0]) if r.role == "organisation")
    request_id, digest = items[1]["id"].split(".")
    for code, forged in (
        (codes[1], f"99999.{digest}"),  # no such request
        (codes[0], f"{seal.id}.{digest}"),  # the seal's, never prepared
        (codes[1], f"{request_id}.{'ab' * 32}"),  # other signed attributes
        (codes[0], items[1]["id"]),  # prepared, but in the other dossier
        (codes[1], "x"),
        (codes[0], items[0]["id"]),  # the good one twice
    ):
        bad = {"code": code, "id": forged, "signature": _token_signature(pki, items[1])}
        reply = client.post(FINISH, json={"signatures": [good, bad]}, headers=bearer("leader_a"))
        assert reply.status_code == 409, (forged, reply.text)
        assert reply.json()["error"]["code"] == "agent_item_unknown"
    theirs = _dossier(settings, unit="xa-b", seed=5)
    bad = {"code": theirs, "id": items[1]["id"], "signature": _token_signature(pki, items[1])}
    reply = client.post(FINISH, json={"signatures": [good, bad]}, headers=bearer("leader_a"))
    assert reply.status_code == 404, reply.text
    for code in codes:
        assert [r.status for r in _requests(settings, code)] == [
            SignatureState.AWAITING_TOKEN,
            SignatureState.QUEUED,
        ]
    jobs = get_queue(redis_conn, "sign").count
    signatures = [
        {"code": i["code"], "id": i["id"], "signature": _token_signature(pki, i)} for i in items
    ]
    done = client.post(FINISH, json={"signatures": signatures}, headers=bearer("leader_a"))
    assert done.status_code == 200, done.text
    assert done.json() == [{"code": c, "status": "signed"} for c in codes]
    for code in codes:
        leader, _ = _requests(settings, code)
        assert leader.status is SignatureState.SIGNED and leader.output_sha256
    assert get_queue(redis_conn, "sign").count == jobs + 2
    again = client.post(FINISH, json={"signatures": signatures}, headers=bearer("leader_a"))
    assert again.status_code == 409, again.text  # signed: nothing prepared is left


def test_finish_needs_the_pages_csrf_token_with_a_cookie_session(
    app_client: TestClient, accounts: dict[str, Any]
) -> None:
    """A cookie session's POST without X-CSRF-Token is refused before anything is read."""
    login = app_client.get("/")
    csrf = login.cookies.get("sohoa_login_csrf") or ""
    form = {"username": "leader_a", "password": "mat-khau-rat-dai-1", "csrf": csrf}
    app_client.post("/login", data=form, follow_redirects=False)
    signatures = [{"code": "x", "id": "1." + "0" * 64, "signature": "AAAA"}]
    reply = app_client.post(FINISH, json={"signatures": signatures})
    assert reply.status_code == 403 and reply.json()["error"]["code"] == "csrf_rejected"
