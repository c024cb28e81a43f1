"""The deadline, reuse and exchange commands as a clerk types them."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from api.cli import main
from api.receipts import dossier_receipt
from api.services import open_dossier
from config.calendar import get_calendar
from config.defaults import LATE_ENTRY_DAYS
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
    assert "Đơn vị Ủy ban nhân dân xã Hòa Bình: quá hạn 1" in backlog.output  # named, not coded
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


def test_a_birth_registration_entered_afterwards_past_the_cutoff_is_due_the_next_working_day(
    settings: Settings,
) -> None:
    """GIVEN a same-day procedure (birth registration, cut-off 15:00) WHEN a clerk enters a
    paper dossier received at 16:30 on the last working day THEN its appointment is the
    next working day; a reception time in the future or too long ago is refused."""
    zone = settings.zone
    calendar = get_calendar()
    now = datetime.now(zone)
    back = (now.date() - timedelta(days=k) for k in range(1, LATE_ENTRY_DAYS))
    day = next(d for d in back if calendar.is_working_day(d))
    runner = CliRunner()
    args = ["dossier", "new", "--procedure", "1.001193", "--applicant", "Lê Thị Hoa"]
    made = runner.invoke(main, [*args, "--received-at", f"{day.isoformat()}T16:30"])
    assert made.exit_code == 0, made.output
    shown = runner.invoke(main, ["dossier", "show", made.output.strip(), "--json"])
    view = json.loads(shown.output)
    appointment = datetime.fromisoformat(view["appointment_at"]).astimezone(zone)
    assert appointment.date() == calendar.next_working_day(day)
    later = (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert runner.invoke(main, [*args, "--received-at", later]).exit_code != 0
    old = (now - timedelta(days=LATE_ENTRY_DAYS + 1)).strftime("%Y-%m-%dT%H:%M")
    assert runner.invoke(main, [*args, "--received-at", old]).exit_code != 0


def _receipt_text(settings: Settings, code: str) -> str:
    pdf = dossier_receipt(settings, code)
    read = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(read.stdout.decode("utf-8").split())


def test_a_same_day_procedures_receipt_says_within_the_day_and_the_hour_it_is_due(
    settings: Settings,
) -> None:
    """GIVEN a birth registration (same day, cut-off 15:00) and a business registration (3
    working days) WHEN their receipts are printed THEN the first reads "Trong ngày" with its
    cut-off, never "00 ngày làm việc", the second "03 ngày làm việc"; both give the hour due."""
    received = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)  # Wednesday 09:00 office time
    same_day, later = (
        open_dossier(
            settings,
            procedure_code=procedure,
            applicant_name="Lê Thị Hoa",
            applicant_id_number=None,
            unit_code=None,
            actor="test",
            received_at=received,
        )
        for procedure in ("1.001193", "1.001612")
    )
    text = _receipt_text(settings, same_day)
    assert "quy định: Trong ngày (hồ sơ nhận sau 15 giờ 00 phút" in text
    assert "00 ngày làm việc" not in text
    assert re.search(r"trả kết quả giải quyết hồ sơ: \d\d giờ \d\d phút, ngày 04/03/2026", text)
    other = _receipt_text(settings, later)
    assert "quy định: 03 ngày làm việc" in other
    assert re.search(r"trả kết quả giải quyết hồ sơ: \d\d giờ \d\d phút, ngày 09/03/2026", other)
