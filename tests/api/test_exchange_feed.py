"""The exchange feed over HTTP, as a provincial system pulls it with the token the operator
issued: its unit's messages a page at a time, acknowledgements, and the files they link."""

from __future__ import annotations

from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.cli import main
from config.settings import Settings
from storage.db import open_database
from storage.models import Document, ExchangeMessage
from tests.api.exchange_support import (
    exchange_bearer,
    published_dossiers,
    unit_message_ids,
)


def _walk(client: TestClient, headers: dict[str, str], limit: int) -> tuple[list[int], int]:
    """Every message id the feed gives from the start, following next_cursor; and the
    number of pages. A feed that ignored the cursor would repeat its first page: stopped
    after more pages than the unit has messages."""
    ids: list[int] = []
    cursor: int | None = 0
    pages = 0
    while cursor is not None:
        reply = client.get(
            "/api/exchange/feed", params={"cursor": cursor, "limit": limit}, headers=headers
        )
        assert reply.status_code == 200, reply.text
        body = reply.json()
        ids += [m["id"] for m in body["messages"]]
        pages += 1
        assert pages <= 50, f"the feed does not move on: {ids[:10]}..."
        cursor = body["next_cursor"]
        assert ("Link" in reply.headers) == (cursor is not None)
        if cursor is not None:
            assert f"cursor={cursor}" in reply.headers["Link"]
    return ids, pages


def test_the_feed_walks_every_message_of_the_unit_page_by_page(
    app_client: TestClient, api_settings: Settings
) -> None:
    """GIVEN three signed dossiers of xa-a and one of xa-b, their changes in the outbox
    WHEN xa-a's provincial system pages through its feed two messages at a time
    THEN it gets each message of xa-a's dossiers once, in event order, and none of xa-b's."""
    own = published_dossiers(api_settings, "xa-a", 3, seed=1)
    other = published_dossiers(api_settings, "xa-b", 1, seed=7)
    expected = unit_message_ids(api_settings, "xa-a")
    assert len(expected) >= 6
    headers = exchange_bearer(api_settings, "xa-a")
    ids, pages = _walk(app_client, headers, limit=2)
    assert ids == expected
    assert pages == (len(expected) + 1) // 2
    whole = app_client.get("/api/exchange/feed?cursor=0&limit=500", headers=headers).json()
    codes = {m["dossier"]["code"] for m in whole["messages"]}
    assert codes == set(own) and other[0] not in codes
    assert whole["next_cursor"] is None and whole["acknowledged"] == 0


def test_acknowledged_messages_are_not_served_again(
    app_client: TestClient, api_settings: Settings
) -> None:
    """GIVEN xa-a's feed WHEN its system acknowledges the second message THEN the feed
    without a cursor starts after it; an earlier acknowledgement does not move it back;
    another unit's message or none at all cannot be acknowledged (404)."""
    published_dossiers(api_settings, "xa-a", 2, seed=1)
    published_dossiers(api_settings, "xa-b", 1, seed=7)
    ids = unit_message_ids(api_settings, "xa-a")
    headers = exchange_bearer(api_settings, "xa-a")
    acked = app_client.post("/api/exchange/ack", json={"through": ids[1]}, headers=headers)
    assert acked.status_code == 200, acked.text
    assert acked.json() == {"acknowledged": ids[1]}
    rest = app_client.get("/api/exchange/feed?limit=500", headers=headers).json()
    assert [m["id"] for m in rest["messages"]] == ids[2:]
    assert rest["acknowledged"] == ids[1]
    back = app_client.post("/api/exchange/ack", json={"through": ids[0]}, headers=headers)
    assert back.json() == {"acknowledged": ids[1]}
    theirs = unit_message_ids(api_settings, "xa-b")[0]
    for through in (theirs, max(ids) + 1000):
        refused = app_client.post("/api/exchange/ack", json={"through": through}, headers=headers)
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "not_found"


def test_the_files_the_feed_links_are_served_to_its_system(
    app_client: TestClient, api_settings: Settings
) -> None:
    """GIVEN a signed dossier of xa-a in the feed WHEN its system follows the result's link
    THEN it downloads the signed PDF as an attachment; a file of the unit the feed does not
    link (a scan as uploaded) is the 404 of a file that does not exist."""
    published_dossiers(api_settings, "xa-a", 1, seed=1)
    headers = exchange_bearer(api_settings, "xa-a")
    messages = app_client.get("/api/exchange/feed?limit=500", headers=headers).json()["messages"]
    signed = next(m for m in messages if m["type"] == "result_signed")
    link = signed["dossier"]["result"]["file"]
    path = link[link.index("/api/files/") :]
    got = app_client.get(path, headers=headers)
    assert got.status_code == 200, got.text
    assert got.content.startswith(b"%PDF")
    assert got.headers["content-disposition"].startswith("attachment")
    original = _original_sha(api_settings)
    assert app_client.get(f"/api/files/{original}", headers=headers).status_code == 404


def _original_sha(settings: Settings) -> str:
    with open_database(settings).session(readonly=True) as session:
        return session.scalars(select(Document.original_sha256).limit(1)).one()


def test_sohoa_exchange_token_makes_the_systems_account_once(
    app_client: TestClient, api_settings: Settings
) -> None:
    """GIVEN no account for xa-a's provincial system WHEN the operator runs `sohoa exchange
    token xa-a` twice THEN each run prints a working token of the one account (made the
    first time, role exchange); a name already taken by staff is refused."""
    runner = CliRunner()
    tokens = []
    for _ in range(2):
        run = runner.invoke(main, ["exchange", "token", "xa-a"])
        assert run.exit_code == 0, run.output
        tokens.append(run.stdout.strip())
        assert "lien-thong-xa-a (xa-a)" in run.stderr
    assert tokens[0] != tokens[1]
    for token in tokens:
        reply = app_client.get("/api/exchange/feed", headers={"Authorization": f"Bearer {token}"})
        assert reply.status_code == 200, reply.text
    listed = runner.invoke(main, ["user", "list", "--json"])
    assert '"role": "exchange"' in listed.stdout and listed.stdout.count("lien-thong") == 1
    taken = runner.invoke(main, ["exchange", "token", "xa-b", "--account", "lien-thong-xa-a"])
    assert taken.exit_code != 0 and "not the exchange account of xa-b" in taken.output


def test_a_message_the_outbox_held_before_the_sync_schema_is_still_served(
    app_client: TestClient, api_settings: Settings
) -> None:
    """GIVEN an outbox message written before messages carried "sync" WHEN the system pulls
    the feed THEN it gets the message with "sync": null, not a failed page."""
    published_dossiers(api_settings, "xa-a", 1, seed=1)
    first = unit_message_ids(api_settings, "xa-a")[0]
    with open_database(api_settings).session() as session:
        message = session.get(ExchangeMessage, first)
        assert message is not None
        message.payload = {k: v for k, v in message.payload.items() if k != "sync"}
    headers = exchange_bearer(api_settings, "xa-a")
    reply = app_client.get("/api/exchange/feed", headers=headers)
    assert reply.status_code == 200, reply.text
    old = reply.json()["messages"][0]
    assert old["id"] == first and old["sync"] is None
