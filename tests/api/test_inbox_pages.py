"""The scanner inbox on the clerk's pages and in the API: the unit's waiting files with a
first-page thumbnail rendered by the server, and a clerk filing one into a dossier under the
same policy row as every clerk route (refused to other roles, other units, forged forms)."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from PIL import Image

from api.accounts import Principal
from config.settings import Settings
from storage.db import open_database
from storage.enums import InboxStatus
from storage.inbox import get_item
from tests.api.inbox_support import open_dossier_of, session_of, waiting_file


def _status(settings: Settings, item_id: int) -> InboxStatus:
    with open_database(settings).session(readonly=True) as session:
        return get_item(session, item_id).status


def test_a_clerk_sees_the_waiting_files_with_thumbnails_and_assigns_one_on_the_page(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a two-page PDF and a JPEG waiting in unit xa-a's inbox, and one in xa-b's
    WHEN xa-a's clerk opens the inbox page and files the PDF by the dossier's code
    THEN the page lists xa-a's files only, with page counts and PNG first pages; the file is
    filed into the dossier, which lists it, and it leaves the inbox."""
    code = open_dossier_of(api_settings, "xa-a")
    pdf = waiting_file(api_settings, "xa-a", "quet-0001.pdf", pages=2, seed=1)
    jpeg = waiting_file(api_settings, "xa-a", "quet-0002.jpg", pages=0, seed=2)
    waiting_file(api_settings, "xa-b", "quet-xa-b.pdf", seed=3)
    headers, csrf = session_of(api_settings, accounts["clerk_a"])
    app_client.cookies.clear()
    page = app_client.get("/clerk/inbox", headers=headers)
    assert page.status_code == 200
    assert "quet-0001.pdf" in page.text and "quet-0002.jpg" in page.text
    assert "quet-xa-b.pdf" not in page.text and "<iframe" not in page.text
    assert f'src="/inbox/{pdf}/pages/1.png?w=160&amp;v=' in page.text
    for item in (pdf, jpeg):
        image = app_client.get(f"/inbox/{item}/pages/1.png?w=160", headers=headers)
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(image.content)).size[0] <= 160
    assert app_client.get(f"/inbox/{pdf}/pages/3.png", headers=headers).status_code == 404
    form = {"csrf": csrf, "dossier_code": f" {code} ", "component_id": ""}
    reply = app_client.post(
        f"/clerk/inbox/{pdf}/assign", data=form, headers=headers, follow_redirects=False
    )
    assert reply.status_code == 303, reply.text[:300]
    assert _status(api_settings, pdf) is InboxStatus.FILED
    after = app_client.get(reply.headers["location"], headers=headers).text
    assert "Đã xếp tệp vào hồ sơ" in after and "quet-0001.pdf" not in after
    assert app_client.get(f"/inbox/{pdf}/pages/1.png", headers=headers).status_code == 404
    assert "quet-0001.pdf" in app_client.get(f"/clerk/dossiers/{code}", headers=headers).text


def test_the_api_lists_and_assigns_for_a_clerk_of_the_unit_only(
    app_client: TestClient,
    accounts: dict[str, Principal],
    api_settings: Settings,
    bearer: Callable[[str], dict[str, str]],
) -> None:
    """GIVEN waiting files in xa-a's inbox WHEN the API lists and assigns them
    THEN xa-a's clerk sees them (paged, newest first) and files one into a component;
    a leader or archivist is refused (403) for both; xa-b's clerk is told it does not exist."""
    code = open_dossier_of(api_settings, "xa-a")
    first = waiting_file(api_settings, "xa-a", "a.pdf", seed=4)
    second = waiting_file(api_settings, "xa-a", "b.pdf", pages=3, seed=5)
    app_client.cookies.clear()
    listed = app_client.get("/api/inbox?limit=1", headers=bearer("clerk_a"))
    assert listed.status_code == 200
    (row,) = listed.json()
    assert (row["id"], row["file"], row["pages"]) == (second, "b.pdf", 3)
    assert 'rel="next"' in listed.headers["link"]
    assert app_client.get("/api/inbox", headers=bearer("clerk_b")).json() == []
    component = app_client.get(f"/api/dossiers/{code}", headers=bearer("clerk_a")).json()[
        "components"
    ][0]["id"]
    body = {"dossier_code": code, "component_id": component}
    for who in ("leader_a", "archivist", "admin"):
        assert app_client.get("/api/inbox", headers=bearer(who)).status_code == 403
        refused = app_client.post(f"/api/inbox/{first}/assign", json=body, headers=bearer(who))
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    other = app_client.post(f"/api/inbox/{first}/assign", json=body, headers=bearer("clerk_b"))
    assert other.status_code == 404 and other.json()["error"]["code"] == "not_found"
    assert _status(api_settings, first) is InboxStatus.WAITING
    filed = app_client.post(f"/api/inbox/{first}/assign", json=body, headers=bearer("clerk_a"))
    assert filed.status_code == 200, filed.text
    assert filed.json()["dossier_code"] == code
    document = filed.json()["document_id"]
    view = app_client.get(f"/api/dossiers/{code}", headers=bearer("clerk_a")).json()
    assert document in view["components"][0]["documents"]
    assert [r["id"] for r in app_client.get("/api/inbox", headers=bearer("clerk_a")).json()] == [
        second
    ]


def test_an_unknown_dossier_code_is_refused_in_vietnamese_and_the_file_stays_waiting(
    app_client: TestClient,
    accounts: dict[str, Principal],
    api_settings: Settings,
    bearer: Callable[[str], dict[str, str]],
) -> None:
    """GIVEN a waiting file WHEN a clerk assigns it to a code no dossier has, through the API,
    the page, and a dossier of another unit THEN each answer is 404 `unknown_dossier` with a
    Vietnamese hint naming the code, and the file is still waiting."""
    item = waiting_file(api_settings, "xa-a", "c.pdf", seed=6)
    elsewhere = open_dossier_of(api_settings, "xa-b")
    app_client.cookies.clear()
    for code in ("000.00.00.H00-990101-0001", elsewhere):
        reply = app_client.post(
            f"/api/inbox/{item}/assign", json={"dossier_code": code}, headers=bearer("clerk_a")
        )
        assert reply.status_code == 404
        error = reply.json()["error"]
        assert error["code"] == "unknown_dossier"
        assert error["hint"].startswith(f"Không có hồ sơ mã “{code}”")
    headers, csrf = session_of(api_settings, accounts["clerk_a"])
    form = {"csrf": csrf, "dossier_code": "KHONG-CO"}
    page = app_client.post(f"/clerk/inbox/{item}/assign", data=form, headers=headers)
    assert page.status_code == 404
    assert "Không có hồ sơ mã “KHONG-CO”; hãy kiểm tra lại mã trên giấy tiếp nhận." in page.text
    assert _status(api_settings, item) is InboxStatus.WAITING


def test_a_form_without_the_session_token_is_refused(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a waiting file and a dossier WHEN the assign form is posted with the clerk's
    session but no CSRF token, or a wrong one THEN it is refused (403) and nothing is filed."""
    code = open_dossier_of(api_settings, "xa-a")
    item = waiting_file(api_settings, "xa-a", "d.pdf", seed=7)
    headers, _csrf = session_of(api_settings, accounts["clerk_a"])
    app_client.cookies.clear()
    for form in ({"dossier_code": code}, {"dossier_code": code, "csrf": "forged"}):
        reply = app_client.post(f"/clerk/inbox/{item}/assign", data=form, headers=headers)
        assert reply.status_code == 403
        assert "Biểu mẫu đã hết hạn" in reply.text
    assert _status(api_settings, item) is InboxStatus.WAITING
