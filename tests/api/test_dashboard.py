"""The dashboard: the national index's figures, sohoa's (storage.stats) and the portal's
(storage.portal), as a page, JSON and CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from api.accounts import Principal, issue_token
from api.office_views import figures_view
from config.settings import Settings
from storage.db import open_database
from storage.enums import TokenKind
from tests.support.office import build_office
from tests.support.portal_month import PORTAL_MARCH, STRICT_MARCH, fixture_month

Headers = Callable[[str], dict[str, str]]


def test_the_rates_come_as_json_and_csv_with_numerators_and_only_for_allowed_roles(
    app_client: TestClient, bearer: Headers, api_settings: Settings
) -> None:
    build_office(open_database(api_settings), api_settings, dossiers=40)
    expected = figures_view(api_settings)
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
    total = figures_view(api_settings)[-1]
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


def test_the_dashboard_gives_the_hand_computed_month_as_the_portal_and_sohoa_count_it(
    app_client: TestClient, accounts: dict[str, Principal], bearer: Headers,
    api_settings: Settings,
) -> None:  # fmt: skip
    """GIVEN the fixture month worked out by hand (tests/storage/test_portal.py) WHEN the
    dashboard and /api/stats are asked for March 2026 THEN both give sohoa's strict figures
    and the portal's with the hand-computed numerators and denominators."""
    with open_database(api_settings).session() as session:
        fixture_month(session, api_settings)
    period = "date_from=2026-03-01&date_to=2026-03-31"
    rows = app_client.get(f"/api/stats?{period}", headers=bearer("admin")).json()
    row = rows[0]
    assert (row["unit"], row["month"]) == ("xa-hoa-binh", "2026-03")
    assert {n: (row[n]["numerator"], row[n]["denominator"]) for n in STRICT_MARCH} == STRICT_MARCH
    portal = row["portal"]
    assert {n: (portal[n]["numerator"], portal[n]["denominator"]) for n in PORTAL_MARCH} == (
        PORTAL_MARCH
    )
    sheet = app_client.get(f"/api/stats.csv?{period}", headers=bearer("admin")).text
    first = next(iter(csv.DictReader(io.StringIO(sheet))))
    assert first["portal_dissatisfied_numerator"] == "1"
    app_client.cookies.set("sohoa_session", issue_token(
        api_settings, accounts["admin"], TokenKind.SESSION).token)  # fmt: skip
    page = app_client.get(f"/dashboard?{period}")
    assert page.status_code == 200
    portal_part = page.text[page.text.index('id="portal"') :]
    assert "Cổng Dịch vụ công quốc gia" in portal_part
    assert "5/7 (71.4%)" in portal_part and "1/2 (50.0%)" in portal_part  # on time, payment
    assert "38.1%" in portal_part  # satisfaction 8/21
    by_centre = app_client.get(f"/dashboard?{period}&by=receiving")
    assert "ttphcc-tinh" in by_centre.text
