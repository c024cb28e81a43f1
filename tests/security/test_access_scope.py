"""Reads that crossed units: an archivist's search reaching the live dossiers of every unit
(their text in the snippets, no access logged), a leader reading every unit's figures. The
policy table (api.http.policy) now says: an archivist finds archived records of every unit,
each found one logged, and live documents of their own unit only (SEARCH_LIVE is unit
scoped); a leader's statistics are their own unit's, another unit is a 404, on the API, the
dashboard, its CSV and `sohoa stats --as`."""

from __future__ import annotations

import json
from collections.abc import Callable

from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.accounts import Principal, issue_token
from api.cli import main
from api.http.auth import SESSION_COOKIE
from config.settings import Settings
from storage.db import open_database
from storage.enums import TokenKind
from tests.storage.archive_support import archive, build_dossier, record_accesses
from tests.support.office import build_office

Headers = Callable[[str], dict[str, str]]


def test_an_archivist_search_finds_no_live_dossier_of_another_unit(
    app_client: TestClient,
    api_settings: Settings,
    accounts: dict[str, Principal],
    bearer: Headers,
) -> None:
    """ATTACK: the archivist (unit "kho") searches for words, a unit, or a dossier code, and
    reads the text of dossiers still being worked on in unit xa-b.
    BOUNDARY: SEARCH_LIVE in the policy table, applied as a filter of the search itself:
    another unit's live documents are not found (the answer is the one for a code that does
    not exist); that unit's archived record is found and its access logged."""
    db = open_database(api_settings)
    sealed = build_dossier(db, api_settings, unit="xa-b", seed=1)
    archive(db, api_settings, sealed.code)
    live = build_dossier(db, api_settings, unit="xa-b", seed=2)
    archivist = bearer("archivist")

    for query in ("q=khai+sinh", "q=khai+sinh&unit=xa-b", "unit=xa-b", f"dossier={live.code}",
                  "id_number=036185000123"):  # fmt: skip
        reply = app_client.get(f"/api/search?{query}", headers=archivist)
        assert reply.status_code == 200, query
        found = {h["dossier_code"] for h in reply.json()}
        assert live.code not in found, query
        if not query.startswith("dossier="):
            assert sealed.code in found, query
    assert app_client.get(f"/api/search?dossier={live.code}", headers=archivist).json() == []
    assert app_client.get("/api/search?dossier=000.00.00.H00-260101-9999",
                          headers=archivist).json() == []  # fmt: skip
    assert [how["how"] for _, how in record_accesses(api_settings, sealed.code)] == ["search"] * 4
    assert record_accesses(api_settings, live.code) == []

    session = issue_token(api_settings, accounts["archivist"], TokenKind.SESSION)
    app_client.cookies.clear()
    page = app_client.get(
        "/archive?q=khai+sinh&unit=xa-b", headers={"Cookie": f"{SESSION_COOKIE}={session.token}"}
    )
    assert page.status_code == 200
    results = page.text.split('<ol class="results">', 1)[1].split("</ol>", 1)[0]
    assert sealed.code in results and live.code not in results  # (it is a candidate to seal)
    # the unit's own people still read the live dossier as before
    clerk = app_client.get(f"/api/dossiers/{live.code}", headers=bearer("clerk_b"))
    assert clerk.status_code == 200
    other = app_client.get(f"/api/dossiers/{live.code}", headers=bearer("clerk_a"))
    assert other.status_code == 404


def test_a_leader_reads_the_figures_of_their_own_unit_only(
    app_client: TestClient,
    api_settings: Settings,
    accounts: dict[str, Principal],
    bearer: Headers,
) -> None:
    """ATTACK: leader_a (unit xa-a) asks for the statistics of every unit, or of xa-tan-phu,
    by the API, its CSV, the dashboard page and the command line.
    BOUNDARY: STATS_READ is unit scoped for leaders (archivists and admins work for the whole
    agency): another unit is a 404, no unit means their own."""
    db = open_database(api_settings)
    build_office(db, api_settings, dossiers=30, seed=5)
    build_dossier(db, api_settings, unit="xa-a", seed=3)
    leader = bearer("leader_a")

    for path in ("/api/stats?unit=xa-tan-phu", "/api/stats.csv?unit=xa-tan-phu"):
        assert app_client.get(path, headers=leader).status_code == 404, path
    own = app_client.get("/api/stats", headers=leader).json()
    assert {r["unit"] for r in own} == {"xa-a", "*"}
    assert "xa-tan-phu" not in app_client.get("/api/stats.csv", headers=leader).text
    everyone = app_client.get("/api/stats", headers=bearer("admin")).json()
    assert {"xa-a", "xa-tan-phu", "*"} <= {r["unit"] for r in everyone}
    archivist = app_client.get("/api/stats?unit=xa-tan-phu", headers=bearer("archivist"))
    assert archivist.status_code == 200

    issued = issue_token(api_settings, accounts["leader_a"], TokenKind.SESSION)
    cookie = {"Cookie": f"{SESSION_COOKIE}={issued.token}"}
    app_client.cookies.clear()
    assert app_client.get("/dashboard?unit=xa-tan-phu", headers=cookie).status_code == 404
    page = app_client.get("/dashboard", headers=cookie)
    assert page.status_code == 200 and "xa-tan-phu" not in page.text

    runner = CliRunner()
    refused = runner.invoke(main, ["stats", "--as", "leader_a", "--unit", "xa-tan-phu"])
    assert refused.exit_code != 0 and "xa-tan-phu" in refused.output
    mine = runner.invoke(main, ["stats", "--as", "leader_a", "--json"])
    assert mine.exit_code == 0, mine.output
    assert {json.loads(line)["unit"] for line in mine.output.splitlines()} == {"xa-a", "*"}
    clerk = runner.invoke(main, ["stats", "--as", "clerk_a"])
    assert clerk.exit_code != 0
