"""The office's printable forms (Circular 03/2025/TT-VPCP as reported: 01 to 07), printed by
the CLI from the dossier and its event log and read back with pdftotext."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from api.cli import main
from api.services import open_dossier
from config.settings import Settings


def _text(path: Path) -> str:
    """The PDF's words in drawing order (-raw keeps a wrapped table cell's lines together)."""
    read = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True)
    return " ".join(read.stdout.decode("utf-8").split())


def _dossier(
    settings: Settings, procedure: str, received: datetime, name: str = "Lê Thị Hoa"
) -> str:
    return open_dossier(
        settings, procedure_code=procedure, applicant_name=name, applicant_id_number=None,
        unit_code="xa-hoa-binh", actor="test", received_at=received,
    )  # fmt: skip


def _form(tmp_path: Path, code: str, number: str) -> str:
    out = tmp_path / f"{code}-{number}.pdf"
    done = CliRunner().invoke(main, ["dossier", "form", code, "--form", number, "--out", str(out)])
    assert done.exit_code == 0, done.output
    return _text(out)


def test_the_control_slip_lists_each_hand_over_including_the_routing(
    settings: Settings, tmp_path: Path
) -> None:
    """GIVEN a land dossier received at Xã Hòa Bình, a supplement asked and brought, then
    routed to the land registration office WHEN forms 02 and 06 are printed THEN the
    supplement request names the dossier and what to bring, and the control slip has one
    row per hand-over in order: reception, supplement asked, brought, routing."""
    code = _dossier(settings, "1.004227", datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    runner = CliRunner()
    for args in (
        ["dossier", "supplement", code, "--reason", "Thiếu bản đồ thửa đất"],
        ["dossier", "resume", code],
        ["dossier", "route", code, "--to", "vpdk-dat-dai", "--reason", "Thuộc thẩm quyền tỉnh"],
    ):
        assert runner.invoke(main, args).exit_code == 0
    request = _form(tmp_path, code, "02")
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in request
    assert f"Mã hồ sơ: {code}" in request and "Thiếu bản đồ thửa đất" in request
    assert (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in request and "Độc lập - Tự do - Hạnh phúc" in request
    )
    assert "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH" in request
    slip = _form(tmp_path, code, "06")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in slip and f"Mã hồ sơ: {code}" in slip
    office, citizen = "Bộ phận Một cửa, Ủy ban nhân dân xã Hòa Bình", "Công dân: Lê Thị Hoa"
    rows = [f"1 {citizen} {office} 09:00 02/03/2026", f"2 {office} {citizen}",
            f"3 {citizen} {office}", f"4 {office} Văn phòng Đăng ký đất đai tỉnh Mẫu"]  # fmt: skip
    at = [slip.index(row) for row in rows]
    assert at == sorted(at)
    for result in ("Tiếp nhận hồ sơ", "Yêu cầu bổ sung: Thiếu bản đồ thửa đất", "Đã bổ sung hồ sơ",
                   "Chuyển đơn vị có thẩm quyền: Thuộc thẩm quyền tỉnh"):  # fmt: skip
        assert result in slip


def test_refusal_and_stopping_notices_carry_the_reason_and_need_the_end(
    settings: Settings, tmp_path: Path
) -> None:
    """GIVEN one dossier refused and one stopped WHEN forms 03 and 05 are printed THEN each
    carries its title, the dossier code and the reason recorded; a refusal form for a
    dossier that was not refused is refused (exit 2), and so is an apology letter never
    recorded and an unknown form number."""
    received = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    refused, stopped = (_dossier(settings, "1.001193", received) for _ in range(2))
    runner = CliRunner()
    assert (
        runner.invoke(
            main, ["dossier", "refuse", refused, "--reason", "Không thuộc thẩm quyền"]
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(
            main, ["dossier", "stop", stopped, "--reason", "Công dân đề nghị dừng"]
        ).exit_code
        == 0
    )
    refusal = _form(tmp_path, refused, "03")
    assert (
        "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in refusal and f"Mã hồ sơ: {refused}" in refusal
    )
    assert "Lý do: Không thuộc thẩm quyền." in refusal
    stopping = _form(tmp_path, stopped, "05")
    assert (
        "PHIẾU THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in stopping
        and "Lý do: Công dân đề nghị dừng." in stopping
    )
    wrong = runner.invoke(
        main, ["dossier", "form", stopped, "--form", "03", "--out", str(tmp_path / "x.pdf")]
    )
    assert wrong.exit_code == 2 and not (tmp_path / "x.pdf").exists()
    assert runner.invoke(main, ["dossier", "form", stopped, "--form", "04"]).exit_code == 2
    assert runner.invoke(main, ["dossier", "form", stopped, "--form", "08"]).exit_code == 2


def test_the_receipt_and_the_apology_letter_with_its_new_date_are_forms_01_and_04(
    settings: Settings, tmp_path: Path
) -> None:
    """GIVEN a birth registration received on 2 March 2026 at 09:00, due the same day, and an
    apology letter recorded for it (reason, new date 10 March) WHEN forms 01 and 04 are
    printed THEN the receipt names the dossier and 'Trong ngày', and the apology letter its
    title, the appointment the receipt promised, the reason and the new date."""
    code = _dossier(settings, "1.001193", datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    receipt = _form(tmp_path, code, "01")
    assert code in receipt and "Trong ngày" in receipt
    asked = ["dossier", "apologize", code, "--reason", "Chờ xác minh", "--new-date", "2026-03-10"]
    done = CliRunner().invoke(main, asked)
    assert done.exit_code == 0, done.output
    letter = _form(tmp_path, code, "04")
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in letter and f"Mã hồ sơ: {code}" in letter
    assert "Kính gửi: Ông/Bà Lê Thị Hoa" in letter
    assert "Lý do: Chờ xác minh." in letter and "vào ngày 10/03/2026" in letter
    assert "ngày 02/03/2026" in letter  # the appointment the receipt promised (same day)


def test_the_tracking_book_has_one_row_per_dossier_of_the_month(
    settings: Settings, tmp_path: Path
) -> None:
    """GIVEN three dossiers received at Xã Hòa Bình in March 2026 (one refused) and one in
    April WHEN the book for March is printed THEN it lists the three in reception order,
    with their status, and not April's."""
    march = [
        _dossier(settings, "1.001193", datetime(2026, 3, day, 2, 0, tzinfo=UTC), name)
        for day, name in ((2, "Lê Thị Hoa"), (10, "Trần Văn Nam"), (31, "Phạm Thu Hà"))
    ]
    april = _dossier(settings, "1.001193", datetime(2026, 4, 1, 2, 0, tzinfo=UTC))
    runner = CliRunner()
    assert (
        runner.invoke(main, ["dossier", "refuse", march[1], "--reason", "Sai thủ tục"]).exit_code
        == 0
    )
    out = tmp_path / "book.pdf"
    args = ["book", "--unit", "xa-hoa-binh", "--from", "2026-03-01", "--to", "2026-03-31"]
    done = runner.invoke(main, [*args, "--out", str(out)])
    assert done.exit_code == 0, done.output
    book = _text(out)
    assert "SỔ THEO DÕI HỒ SƠ" in book and "Từ ngày 01/03/2026 đến ngày 31/03/2026" in book
    assert "Số hồ sơ: 03" in book and april not in book
    names = ("Lê Thị Hoa", "Trần Văn Nam", "Phạm Thu Hà")
    rows = enumerate(zip(march, names, strict=True), start=1)
    at = [book.index(f"{n} {code} {name}") for n, (code, name) in rows]
    assert at == sorted(at)
    assert "Từ chối" in book
    assert runner.invoke(main, ["book", "--unit", "huyen-cu", *args[3:]]).exit_code == 2
