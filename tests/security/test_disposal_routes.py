"""Disposal of an archived record past its retention period on the archivist's record page
and through the API (`sohoa dispose` on the web): archivists only, with the page's CSRF
token, by a named decision, never a record still kept."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from api.accounts import Principal
from api.dossier_views import record_view
from config.settings import Settings
from storage.blobs import blob_store
from storage.db import open_database
from storage.dossiers import get_dossier
from tests.api.counter_support import Clerk
from tests.api.disposal_support import expired_record
from tests.storage.archive_support import archive, build_dossier

DECISION = {"decision": "QĐ số 7/QĐ-UBND ngày 01/12/2026", "decided_by": "Chủ tịch UBND xã"}


def _files(settings: Settings, code: str) -> list[bool]:
    """Whether each original of the dossier is still in the blob store."""
    with open_database(settings).session(readonly=True) as session:
        shas = [d.original_sha256 for d in get_dossier(session, code).documents]
    return [blob_store(settings).exists(sha) for sha in shas if sha]


def test_an_archivist_disposes_of_an_expired_record_from_its_page(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a record past its retention period WHEN the archivist opens it and names the
    decision THEN its files are gone and its page says so, the metadata still shown; a
    cross-site form (no CSRF token), a clerk and a leader of its unit destroy nothing."""
    code = expired_record(api_settings, "xa-a", seed=31)
    archivist = Clerk(app_client, api_settings, accounts["archivist"])
    page = archivist.get(f"/archive/records/{code}")
    assert f'action="/archive/records/{code}/dispose"' in page and "Hủy hồ sơ" in page
    assert f'href="/archive/records/{code}#disposal"' in archivist.get("/archive")
    url = f"/archive/records/{code}/dispose"
    assert archivist.post_without_csrf(url, **DECISION) == 403
    for who in ("clerk_a", "leader_a"):
        assert Clerk(app_client, api_settings, accounts[who]).post(url, **DECISION) == 403
    assert archivist.post(url, decision="   ", decided_by="Chủ tịch") == 400
    assert all(_files(api_settings, code)) and record_view(api_settings, code)["status"] == "active"

    assert archivist.post(url, **DECISION) == 303
    assert not any(_files(api_settings, code))
    page = archivist.get(f"/archive/records/{code}?done=disposed")
    assert "Đã hủy hồ sơ theo quyết định" in page and 'id="disposal"' not in page


def test_the_api_refuses_to_dispose_of_a_record_still_kept(
    app_client: TestClient,
    accounts: dict[str, Principal],
    api_settings: Settings,
    bearer: Callable[[str], dict[str, str]],
) -> None:
    """GIVEN a record archived today (kept 20 years) and one past its period
    WHEN an archivist asks the API to dispose of each THEN the kept one is refused
    (`disposal_refused`) with its files intact and no form on its page, the other
    destroyed with its decision; a clerk is 403."""
    db = open_database(api_settings)
    kept = build_dossier(db, api_settings, unit="xa-a", seed=32).code
    archive(db, api_settings, kept)
    refused = app_client.post(f"/api/archive/records/{kept}/dispose", json=DECISION,
                              headers=bearer("archivist"))  # fmt: skip
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "disposal_refused"
    assert all(_files(api_settings, kept))
    page = Clerk(app_client, api_settings, accounts["archivist"]).get(f"/archive/records/{kept}")
    assert "Thời hạn bảo quản" in page and 'id="disposal"' not in page

    code = expired_record(api_settings, "xa-b", seed=33)
    url = f"/api/archive/records/{code}/dispose"
    assert app_client.post(url, json=DECISION, headers=bearer("clerk_a")).status_code == 403
    done = app_client.post(url, json=DECISION, headers=bearer("archivist"))
    assert done.status_code == 200, done.text
    assert done.json()["decision"] == DECISION["decision"]
    assert not any(_files(api_settings, code))
