"""Clerks search their unit's dossiers (code, applicant with or without diacritics, ID
number, procedure, state, reception dates) and page through them by cursor, in the API and
on their page; another unit's dossiers never show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from api.accounts import Principal, issue_token
from api.http.auth import SESSION_COOKIE
from api.services import open_dossier
from config.settings import Settings
from storage.enums import TokenKind
from storage.types import utcnow

Headers = Callable[[str], dict[str, str]]
NAMES = ["Lê Thị Hoà Bình", "Nguyễn Văn An", "Trần Đức Minh", "Phạm Thị Lan", "Đỗ Văn Hùng"]


def _open(settings: Settings, unit: str, name: str, procedure: str = "1.001193") -> str:
    id_number = "001190012345" if name == "Trần Đức Minh" else None
    return open_dossier(
        settings, procedure_code=procedure, applicant_name=name, applicant_id_number=id_number,
        unit_code=unit, actor="test",
    )  # fmt: skip


def _codes(reply_json: list[dict[str, object]]) -> list[str]:
    return [str(d["code"]) for d in reply_json]


def test_a_clerk_finds_the_units_dossiers_by_what_the_citizen_says(
    app_client: TestClient, bearer: Headers, api_settings: Settings
) -> None:
    codes = {name: _open(api_settings, "xa-a", name) for name in NAMES}
    theirs = _open(api_settings, "xa-b", "Lê Thị Hoà Bình")
    clerk = bearer("clerk_a")

    def find(**params: str) -> list[str]:
        reply = app_client.get("/api/dossiers", params=params, headers=clerk)
        assert reply.status_code == 200, reply.text
        return _codes(reply.json())

    assert find(q="le thi hoa") == [codes["Lê Thị Hoà Bình"]]  # typed without diacritics
    assert find(q="TRẦN đức") == [codes["Trần Đức Minh"]]
    assert find(q="do van hung") == [codes["Đỗ Văn Hùng"]]  # đ folds to d
    assert find(q="001190012345") == [codes["Trần Đức Minh"]]
    assert find(q=codes["Nguyễn Văn An"][-4:]) == [codes["Nguyễn Văn An"]]
    assert set(find(status="received")) == set(codes.values())
    assert find(status="archived") == [] and find(procedure="9.999") == []
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    assert find(received_from=tomorrow) == []
    assert set(find(received_to=tomorrow)) == set(codes.values())
    assert theirs not in find() and theirs not in find(q="le thi hoa")
    bad = app_client.get("/api/dossiers", params={"status": "lost"}, headers=clerk)
    assert bad.status_code == 400 or bad.status_code == 422


def test_the_api_pages_by_cursor_without_gaps_or_repeats(
    app_client: TestClient, bearer: Headers, api_settings: Settings
) -> None:
    made = [_open(api_settings, "xa-a", f"Người nộp {n}") for n in range(7)]
    clerk = bearer("clerk_a")
    seen: list[str] = []
    url: str | None = "/api/dossiers?limit=3"
    pages = 0
    while url:
        reply = app_client.get(url, headers=clerk)
        seen += _codes(reply.json())
        link = reply.headers.get("link")
        url = link[1 : link.index(">")] if link else None
        pages += 1
    assert pages == 3 and seen == list(reversed(made))


def test_the_clerks_page_searches_and_links_the_next_page(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    for n in range(52):
        _open(api_settings, "xa-a", f"Công dân {n}")
    wanted = _open(api_settings, "xa-a", "Lê Thị Hoà Bình", procedure="1.001193")
    token = issue_token(api_settings, accounts["clerk_a"], TokenKind.SESSION).token
    cookie = {"Cookie": f"{SESSION_COOKIE}={token}"}
    app_client.cookies.clear()
    first = app_client.get("/clerk", headers=cookie).text
    assert first.count('href="/clerk/dossiers/') == 50
    next_url = first[first.index('href="/clerk?cursor=') + 6 :].split('"')[0].replace("&amp;", "&")
    second = app_client.get(next_url, headers=cookie).text
    assert second.count('href="/clerk/dossiers/') == 3 and 'rel="next"' not in second
    assert "Trang đầu" in second
    found = app_client.get(
        "/clerk", params={"q": "hoa binh", "status": "", "received_from": ""}, headers=cookie
    )
    assert found.status_code == 200
    assert found.text.count('href="/clerk/dossiers/') == 1 and wanted in found.text
    assert urlsplit(next_url).path == "/clerk"
