"""Every access of an archived record over HTTP is an event of its log: a search that finds
it (API and page), its record view, its dossier and documents opened, its files and signed
result downloaded, its access copy. Reading a dossier that is not archived, or being
refused, logs no access; the chained log still verifies afterwards."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from api.accounts import Principal, issue_token
from api.http.auth import SESSION_COOKIE
from config.settings import Settings
from storage.audit import verify_chain
from storage.db import open_database
from storage.enums import TokenKind
from tests.storage.archive_support import archive, build_dossier, record_accesses

Headers = Callable[[str], dict[str, str]]


def _page(client: TestClient, settings: Settings, who: Principal, url: str) -> int:
    issued = issue_token(settings, who, TokenKind.SESSION)
    client.cookies.clear()
    reply = client.get(url, headers={"Cookie": f"{SESSION_COOKIE}={issued.token}"})
    return int(reply.status_code)


def test_each_access_of_an_archived_record_is_logged_and_nothing_else_is(
    app_client: TestClient,
    api_settings: Settings,
    accounts: dict[str, Principal],
    bearer: Headers,
) -> None:
    """GIVEN an archived dossier and a dossier not archived, both of unit xa-a
    WHEN the archivist searches, views the record and takes an access copy, and the unit's
    clerk opens the dossier, its document, its files and its result, by API and page
    THEN each of these is one record.accessed event of the archived record with who and
    how; the other dossier, read the same ways, gets none; a refused read gets none."""
    db = open_database(api_settings)
    sealed = build_dossier(db, api_settings, unit="xa-a", seed=1)
    archive(db, api_settings, sealed.code)
    live = build_dossier(db, api_settings, unit="xa-a", seed=2)
    code, doc = sealed.code, sealed.documents["to_khai_khai_sinh"]
    archivist, clerk = bearer("archivist"), bearer("clerk_a")

    found = app_client.get("/api/search?q=khai+sinh&unit=xa-a", headers=archivist).json()
    assert code in {h["dossier_code"] for h in found}
    assert live.code not in {h["dossier_code"] for h in found}  # live: its unit's, not archived
    assert record_accesses(api_settings, code) == [
        ("archivist", {"how": "search", "query": "khai sinh", "filters": {"unit": "xa-a"}})
    ]
    none = app_client.get("/api/search?q=giay+phep+lai+xe", headers=archivist).json()
    assert code not in {h["dossier_code"] for h in none}
    assert len(record_accesses(api_settings, code)) == 1  # a search that misses it is no access
    assert _page(app_client, api_settings, accounts["archivist"], "/archive?q=khai+sinh") == 200
    assert app_client.get(f"/api/archive/records/{code}", headers=archivist).status_code == 200
    assert _page(app_client, api_settings, accounts["archivist"], f"/archive/records/{code}") == 200
    copy = app_client.post(
        f"/api/archive/records/{code}/access-copy", json={"reason": "thanh tra"}, headers=archivist
    )
    assert copy.status_code == 200

    for path in (f"/api/dossiers/{code}", f"/api/documents/{doc}", f"/api/documents/{doc}/pdf",
                 f"/api/documents/{doc}/original", f"/api/dossiers/{code}/result"):  # fmt: skip
        assert app_client.get(path, headers=clerk).status_code == 200, path
    for url in (f"/clerk/dossiers/{code}", f"/clerk/documents/{doc}"):
        assert _page(app_client, api_settings, accounts["clerk_a"], url) == 200
    assert app_client.get(f"/api/dossiers/{code}", headers=bearer("clerk_b")).status_code == 404

    logged = [
        (who, data["how"], data.get("file")) for who, data in record_accesses(api_settings, code)
    ]
    assert logged == [
        ("archivist", "search", None),
        ("archivist", "search", None),  # the page's search
        ("archivist", "view", None),
        ("archivist", "view", None),  # the record's page
        ("archivist", "access_copy", None),
        ("clerk_a", "view", None),
        ("clerk_a", "view", None),
        ("clerk_a", "download", "pdf"),
        ("clerk_a", "download", "original"),
        ("clerk_a", "download", "result"),
        ("clerk_a", "view", None),
        ("clerk_a", "view", None),
    ]
    other = live.documents["to_khai_khai_sinh"]
    for path in (f"/api/dossiers/{live.code}", f"/api/documents/{other}/pdf",
                 f"/api/dossiers/{live.code}/result"):  # fmt: skip
        assert app_client.get(path, headers=clerk).status_code == 200
    assert record_accesses(api_settings, live.code) == []
    with db.session(readonly=True) as session:
        assert verify_chain(session).ok
