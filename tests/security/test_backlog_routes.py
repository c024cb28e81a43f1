"""The backlog over HTTP (`sohoa backlog` on the web): a clerk's or leader's own unit's
overdue, due and waiting dossiers only, whatever the request asks for."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from api.accounts import Principal
from config.settings import Settings
from storage.db import open_database
from tests.api.counter_support import Clerk
from tests.storage.archive_support import build_dossier


def test_the_backlog_shows_the_units_overdue_dossiers_and_never_another_units(
    app_client: TestClient,
    accounts: dict[str, Principal],
    api_settings: Settings,
    bearer: Callable[[str], dict[str, str]],
) -> None:
    """GIVEN an overdue dossier in xa-a and one in xa-b (received in March, never returned)
    WHEN xa-a's clerk and leader read the backlog, page and API, even naming xa-b
    THEN they see xa-a's, flagged overdue with its apology letter owed, and never xa-b's;
    an archivist and an admin, who act on no dossier, get 403."""
    db = open_database(api_settings)
    own = build_dossier(db, api_settings, unit="xa-a", seed=41).code
    other = build_dossier(db, api_settings, unit="xa-b", seed=42).code
    for who in ("clerk_a", "leader_a"):
        answer = app_client.get("/api/backlog?unit=xa-b", headers=bearer(who))
        assert answer.status_code == 200
        items = {i["code"]: i for i in answer.json()["items"]}
        assert set(items) == {own} and items[own]["state"] == "overdue"
        assert items[own]["apology_due"] and answer.json()["apologies_due"] == [own]
        page = Clerk(app_client, api_settings, accounts[who]).get("/backlog?unit=xa-b")
        assert own in page and other not in page and "QUÁ HẠN" in page
    clerk_b = app_client.get("/api/backlog", headers=bearer("clerk_b")).json()
    assert [i["code"] for i in clerk_b["items"]] == [other]
    for who in ("archivist", "admin"):
        assert app_client.get("/api/backlog", headers=bearer(who)).status_code == 403
        app_client.cookies.clear()
        headers = Clerk(app_client, api_settings, accounts[who]).headers
        assert app_client.get("/backlog", headers=headers).status_code == 403
