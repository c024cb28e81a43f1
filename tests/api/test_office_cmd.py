"""The deadline, reuse and exchange commands as a clerk types them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from click.testing import CliRunner

from api.cli import main
from api.services import open_dossier
from config.settings import Settings


def test_a_clerk_pauses_resumes_sees_the_backlog_and_writes_the_apology(
    settings: Settings,
) -> None:
    code = open_dossier(
        settings,
        procedure_code="1.001193",
        applicant_name="Lê Thị Hoa",
        applicant_id_number="001301012345",
        unit_code="xa-hoa-binh",
        actor="test",
        received_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
    )
    runner = CliRunner()
    paused = runner.invoke(
        main, ["dossier", "supplement", code, "--reason", "Thiếu giấy chứng sinh"]
    )
    assert paused.exit_code == 0, paused.output
    waiting = json.loads(runner.invoke(main, ["backlog", "--json"]).output)
    assert [(i["code"], i["state"]) for i in waiting["items"]] == [(code, "waiting_supplement")]
    resumed = runner.invoke(main, ["dossier", "resume", code])
    assert resumed.exit_code == 0 and "hẹn trả mới" in resumed.output
    backlog = runner.invoke(main, ["backlog", "--unit", "xa-hoa-binh"])
    assert "QUÁ HẠN" in backlog.output and "CẦN THƯ XIN LỖI" in backlog.output
    letter = runner.invoke(
        main, ["dossier", "apologize", code, "--reason", "Chờ xác minh", "--new-date", "2026-12-01"]
    )
    assert letter.exit_code == 0, letter.output
    assert (
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in letter.output
        and "01/12/2026" in letter.output
    )
    after = json.loads(runner.invoke(main, ["backlog", "--json"]).output)
    assert after["apologies_due"] == [] and after["units"]["xa-hoa-binh"]["overdue"] == 1
    none = runner.invoke(main, ["dossier", "documents", code])
    assert "Không có giấy tờ" in none.output


def test_the_feed_command_pages_with_a_cursor(settings: Settings) -> None:
    open_dossier(
        settings, procedure_code="1.001193", applicant_name="Lê Thị Hoa",
        applicant_id_number=None, unit_code=None, actor="test",
    )  # fmt: skip
    runner = CliRunner()
    lines = runner.invoke(main, ["exchange", "feed"]).output.splitlines()
    received = json.loads(lines[0])
    assert received["type"] == "received" and json.loads(lines[-1]) == {"next": received["id"]}
    again = runner.invoke(main, ["exchange", "feed", "--after", str(received["id"])]).output
    assert again.splitlines() == [json.dumps({"next": received["id"]})]
    refused = runner.invoke(
        main,
        ["exchange", "add-endpoint", "tinh", "ftp://x"],
        env={"SOHOA_WEBHOOK_SECRET": "s" * 20},
    )
    assert refused.exit_code != 0 and "http" in refused.output
