"""The dashboard: the national index's rates from storage.stats, as a page, JSON and CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from api.accounts import Principal, issue_token
from api.office_views import stats_view
from config.settings import Settings
from storage.db import open_database
from storage.enums import TokenKind
from tests.support.office import build_office

Headers = Callable[[str], dict[str, str]]


def test_the_rates_come_as_json_and_csv_with_numerators_and_only_for_allowed_roles(
    app_client: TestClient, bearer: Headers, api_settings: Settings
) -> None:
    build_office(open_database(api_settings), api_settings, dossiers=40)
    expected = stats_view(api_settings)
    assert app_client.get("/api/stats", headers=bearer("clerk_a")).status_code == 403
    got = app_client.get("/api/stats", headers=bearer("admin"))
    assert got.status_code == 200 and got.json() == expected
    other = app_client.get("/api/stats?unit=xa-tan-phu", headers=bearer("leader_a"))
    assert other.status_code == 404  # a leader reads their own unit's figures only
    one = app_client.get("/api/stats?unit=xa-tan-phu", headers=bearer("archivist")).json()
    assert {r["unit"] for r in one} <= {"xa-tan-phu", "*"}
    sheet = app_client.get("/api/stats.csv", headers=bearer("archivist"))
    assert sheet.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(sheet.text)))
    assert len(lines) == len(expected)
    total = expected[-1]["digitization"]
    assert lines[-1]["digitization_numerator"] == str(total["numerator"])
    assert lines[-1]["digitization_denominator"] == str(total["denominator"])


def test_the_dashboard_page_shows_each_rate_with_its_chart(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    build_office(open_database(api_settings), api_settings, dossiers=40)
    total = stats_view(api_settings)[-1]
    issued = issue_token(api_settings, accounts["admin"], TokenKind.SESSION)
    app_client.cookies.set("sohoa_session", issued.token)
    page = app_client.get("/dashboard")
    assert page.status_code == 200
    assert page.text.count("<svg") == 4
    shown = f"({total['on_time']['numerator']}/{total['on_time']['denominator']})"
    assert shown in page.text
    assert re.search(r'href="/api/stats.csv"', page.text)
    app_client.cookies.set("sohoa_session", issue_token(
        api_settings, accounts["clerk_a"], TokenKind.SESSION).token)  # fmt: skip
    assert app_client.get("/dashboard").status_code == 403
