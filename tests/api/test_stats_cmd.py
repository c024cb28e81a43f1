"""`sohoa stats` and `sohoa dossier return` on the command line: the figures as JSON, CSV
and text, each rate with its numerator and denominator."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from click.testing import CliRunner

from api.cli import main
from api.services import open_dossier
from config.settings import Settings
from storage.db import open_database
from tests.support.office import build_office
from tests.support.portal_month import PORTAL_MARCH, STRICT_MARCH, fixture_month


def test_stats_prints_json_csv_and_text_rows_with_a_total(settings: Settings) -> None:
    build_office(open_database(settings), settings, dossiers=30, seed=5)
    runner = CliRunner()
    as_json = runner.invoke(main, ["stats", "--json", "--from", "2026-02-01", "--to", "2026-03-31"])
    assert as_json.exit_code == 0, as_json.output
    rows = [json.loads(line) for line in as_json.output.splitlines()]
    assert rows[-1]["unit"] == rows[-1]["month"] == "*"
    assert {r["month"] for r in rows[:-1]} <= {"2026-02", "2026-03"}
    for name in ("digitization", "electronic_result", "reuse", "on_time"):
        total = rows[-1][name]
        assert total["numerator"] == sum(r[name]["numerator"] for r in rows[:-1])
        assert total["denominator"] == sum(r[name]["denominator"] for r in rows[:-1])
    as_csv = runner.invoke(main, ["stats", "--csv", "--unit", "xa-tan-phu"])
    table = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert table and {r["unit"] for r in table} == {"xa-tan-phu", "*"}
    assert int(table[-1]["reuse_denominator"]) >= 1
    text = runner.invoke(main, ["stats"])
    assert "Đúng hạn" in text.output and "Ủy ban nhân dân xã Hòa Bình ·" in text.output


def test_returning_a_result_finishes_the_dossier_once(settings: Settings) -> None:
    code = open_dossier(
        settings,
        procedure_code="1.001193",
        applicant_name="Lê Thị Hoa",
        applicant_id_number=None,
        unit_code=None,
        actor="test",
        received_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
    )
    runner = CliRunner()
    first = runner.invoke(main, ["dossier", "return", code, "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["on_time"] is False  # returned now, months after 3 March
    again = runner.invoke(main, ["dossier", "return", code])
    assert again.exit_code != 0 and "already finished" in again.output


def test_intake_payment_and_rating_options_feed_the_portals_figures(settings: Settings) -> None:
    """A dossier received online with national data, fees paid online, returned with a
    rating: `sohoa stats --json` carries the portal's figures beside sohoa's."""
    runner = CliRunner()
    opened = runner.invoke(main, [
        "dossier", "new", "--procedure", "1.001612", "--applicant", "Đỗ Văn Nam",
        "--unit", "ttphcc-tinh", "--competent", "xa-tan-phu", "--channel", "online",
        "--data-from", "vneid", "--data-from", "population",
    ])  # fmt: skip
    assert opened.exit_code == 0, opened.output
    code = opened.output.strip()
    assert runner.invoke(main, ["dossier", "pay", code, "--how", "online"]).exit_code == 0
    early = runner.invoke(main, ["dossier", "rate", code, "--rating", "satisfied"])
    assert early.exit_code == 2 and "not been returned" in early.output
    returned = runner.invoke(main, ["dossier", "return", code, "--rating", "dissatisfied"])
    assert returned.exit_code == 0, returned.output
    lines = runner.invoke(main, ["stats", "--json", "--by", "receiving"]).output.splitlines()
    total = json.loads(lines[-1])["portal"]
    assert total["online_payment"]["numerator"] == total["online_payment"]["denominator"] == 1
    assert (total["population_data"]["numerator"], total["dissatisfied"]["numerator"]) == (1, 1)
    assert [json.loads(line)["unit"] for line in lines[:-1]] == ["ttphcc-tinh"]
    text = runner.invoke(main, ["stats"]).output
    assert "Cổng Dịch vụ công quốc gia" in text and "Ủy ban nhân dân xã Tân Phú ·" in text


def test_sohoa_stats_gives_the_hand_computed_month_in_both_sets(settings: Settings) -> None:
    """GIVEN the fixture month worked out by hand (tests/storage/test_portal.py) WHEN
    `sohoa stats --json` is asked for March 2026 THEN its row of xa-hoa-binh carries sohoa's
    strict figures and, under "portal", the portal's, each numerator and denominator as
    computed by hand; the CSV and the text say the same."""
    with open_database(settings).session() as session:
        fixture_month(session, settings)
    runner = CliRunner()
    period = ["--from", "2026-03-01", "--to", "2026-03-31"]
    got = runner.invoke(main, ["stats", "--json", *period])
    assert got.exit_code == 0, got.output
    rows = [json.loads(line) for line in got.output.splitlines()]
    assert [(r["unit"], r["month"]) for r in rows] == [("xa-hoa-binh", "2026-03"), ("*", "*")]
    row = rows[0]
    assert {n: (row[n]["numerator"], row[n]["denominator"]) for n in STRICT_MARCH} == STRICT_MARCH
    portal = row["portal"]
    assert {n: (portal[n]["numerator"], portal[n]["denominator"]) for n in PORTAL_MARCH} == (
        PORTAL_MARCH
    )
    assert portal["satisfaction"] == round(8 / 21, 4)
    sheet = runner.invoke(main, ["stats", "--csv", *period]).output
    table = list(csv.DictReader(io.StringIO(sheet)))
    assert (table[0]["portal_on_time_numerator"], table[0]["on_time_numerator"]) == ("5", "1")
    text = runner.invoke(main, ["stats", *period]).output
    assert "Đúng hạn (2.1) 5/7" in text and "1/3 (33.33%)" in text
