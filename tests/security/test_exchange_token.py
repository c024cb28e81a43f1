"""A provincial system's exchange token pulls its unit's feed and nothing else, and the
feed is the provincial system's alone."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.accounts import active_principal, issue_token
from api.http.auth import SESSION_COOKIE
from config.settings import Settings
from storage.db import open_database
from storage.enums import TokenKind
from storage.models import Document, Dossier, SignatureRequest
from tests.api.conftest import PASSWORD
from tests.api.exchange_support import exchange_bearer, published_dossiers, unit_message_ids

Headers = Callable[[str], dict[str, str]]


def _records(settings: Settings, code: str) -> tuple[int, str]:
    """A document of the dossier and its signed result's SHA-256."""
    with open_database(settings).session(readonly=True) as session:
        document = session.scalars(
            select(Document.id).join(Dossier).where(Dossier.code == code).limit(1)
        ).one()
        signed = session.scalars(
            select(SignatureRequest.output_sha256)
            .join(Dossier, SignatureRequest.dossier_id == Dossier.id)
            .where(Dossier.code == code, SignatureRequest.output_sha256.is_not(None))
            .order_by(SignatureRequest.id.desc())
            .limit(1)
        ).one()
    assert signed is not None
    return document, signed


def test_an_exchange_token_reads_no_dossier_or_document_and_signs_nothing(
    app_client: TestClient, api_settings: Settings
) -> None:
    """ATTACK: the provincial system's token (kept on another organisation's server) leaks,
    or the system is compromised; its holder reads the unit's dossiers, documents, scans and
    searches, signs results, makes accounts, or signs in on the pages with it.
    BOUNDARY: the token's account has role exchange, which the policy table grants the
    feed, its acknowledgement and the files the feed links only: every other API route is
    403; the account has no password (no login, no new token); a session of it opens no
    page."""
    code = published_dossiers(api_settings, "xa-a", 1, seed=1)[0]
    document, _ = _records(api_settings, code)
    headers = exchange_bearer(api_settings, "xa-a")
    seen = {"code": code, "document_id": document, "sha256": "0" * 64}
    account = {"username": "x", "password": PASSWORD, "full_name": "X", "role": "clerk",
               "unit": "xa-a"}  # fmt: skip
    asks = [
        ("GET", "/api/dossiers", None),
        ("GET", f"/api/dossiers/{code}", None),
        ("GET", f"/api/dossiers/{code}/status", None),
        ("GET", f"/api/dossiers/{code}/result", None),
        ("GET", f"/api/documents/{document}", None),
        ("GET", f"/api/documents/{document}/pdf", None),
        ("GET", f"/api/documents/{document}/original", None),
        ("GET", "/api/search?q=khai+sinh", None),
        ("GET", "/api/signing/inbox", None),
        ("POST", "/api/signing", {"results": [seen]}),
        ("GET", "/api/me", None),
        ("GET", "/api/users", None),
        ("POST", "/api/users", account),
        ("GET", "/api/inbox", None),
        ("GET", "/api/stats?unit=xa-a", None),
        ("GET", "/api/backlog", None),
    ]
    for method, url, body in asks:
        reply = app_client.request(method, url, json=body, headers=headers)
        assert reply.status_code == 403, f"{method} {url}: {reply.status_code} {reply.text}"
        assert reply.json()["error"]["code"] == "forbidden"
    login = {"username": "lien-thong-xa-a", "password": PASSWORD}
    assert app_client.post("/api/auth/token", json=login).status_code == 401
    session = issue_token(
        api_settings, active_principal(api_settings, "lien-thong-xa-a"), TokenKind.SESSION
    )
    app_client.cookies.set(SESSION_COOKIE, session.token)
    assert app_client.get("/clerk", follow_redirects=False).status_code == 403


def test_another_units_feed_messages_and_files_are_not_readable(
    app_client: TestClient, api_settings: Settings
) -> None:
    """ATTACK: xa-a's provincial system asks for xa-b's messages (a cursor before them, a
    large page), acknowledges xa-b's messages to hide them from xa-b's system, or downloads
    xa-b's signed result by its SHA-256.
    BOUNDARY: the feed is filtered by the token's unit whatever the request names, an
    acknowledgement must name a message of the token's unit (404 otherwise), and a file is
    served only if a dossier of the token's unit holds it and its feed links it."""
    published_dossiers(api_settings, "xa-a", 1, seed=1)
    theirs = published_dossiers(api_settings, "xa-b", 1, seed=7)[0]
    _, their_result = _records(api_settings, theirs)
    own = exchange_bearer(api_settings, "xa-a")
    seen = app_client.get("/api/exchange/feed?cursor=0&limit=500", headers=own).json()
    assert seen["messages"] and theirs not in str(seen)
    their_ids = unit_message_ids(api_settings, "xa-b")
    for through in their_ids:
        refused = app_client.post("/api/exchange/ack", json={"through": through}, headers=own)
        assert refused.status_code == 404
    assert app_client.get(f"/api/files/{their_result}", headers=own).status_code == 404
    other = exchange_bearer(api_settings, "xa-b")
    theirs_seen = app_client.get("/api/exchange/feed", headers=other).json()
    assert [m["id"] for m in theirs_seen["messages"]] == their_ids
    assert theirs_seen["acknowledged"] == 0
    assert app_client.get(f"/api/files/{their_result}", headers=other).status_code == 200


def test_a_staff_token_cannot_pull_or_acknowledge_the_feed(
    app_client: TestClient, api_settings: Settings, bearer: Headers
) -> None:
    """ATTACK: a clerk (or a leader, an archivist, an admin) uses their own token on the
    feed, to read the unit's exchange messages or to acknowledge them in the provincial
    system's place, so that it never gets them.
    BOUNDARY: the policy grants exchange.read and exchange.ack to the exchange role only:
    403; and an admin cannot make an exchange account with a password (400)."""
    published_dossiers(api_settings, "xa-a", 1, seed=1)
    first = unit_message_ids(api_settings, "xa-a")[0]
    for who in ("clerk_a", "leader_a", "archivist", "admin"):
        feed = app_client.get("/api/exchange/feed", headers=bearer(who))
        assert feed.status_code == 403, f"{who}: {feed.text}"
        ack = app_client.post("/api/exchange/ack", json={"through": first}, headers=bearer(who))
        assert ack.status_code == 403, f"{who}: {ack.text}"
    made = app_client.post(
        "/api/users",
        json={"username": "gia-mao", "password": PASSWORD, "full_name": "Giả mạo",
              "role": "exchange", "unit": "xa-a"},
        headers=bearer("admin"),
    )  # fmt: skip
    assert made.status_code == 400, made.text
    assert app_client.get("/api/exchange/feed").status_code == 401
