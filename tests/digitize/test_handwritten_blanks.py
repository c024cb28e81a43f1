"""A document's number and day, written by hand into printed blanks and read by OCR without a
handwriting model: taken only when they read as print, never invented. Texts and OCR words
are made up here, shaped like Tesseract's output on such scans; names are fictional.

Not tested because it cannot hold: ink read as confident, plausible wrong digits (an 11 read
as 44 at 90) is taken; nothing in the text or the word confidence tells it from print."""

from __future__ import annotations

from digitize.extraction.admin import admin_fields
from digitize.extraction.text import pages_of
from digitize.fields import extract_fields

PROVINCES = {"052": "Bình Định"}


def _letter(number: str, day: str) -> str:
    return (
        "ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH\n"
        f"Số: {number} /QĐ-UBND\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        f"Bình Định, ngày {day} tháng 02 năm 2025\n"
        "QUYẾT ĐỊNH\nVề việc một việc hư cấu\n"
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 12/02/2024 của Ủy ban nhân dân tỉnh;\n"
    )


def _words(number: str, number_sure: float, day: str, day_sure: float) -> list[tuple[str, float]]:
    """The OCR words of _letter's header, the number and day with the given confidences."""
    return [
        ("ỦY", 96.0), ("BAN", 96.0), ("NHÂN", 96.0), ("DÂN", 96.0), ("TỈNH", 95.0),
        ("BÌNH", 95.0), ("ĐỊNH", 95.0), ("Số:", 96.0), (number, number_sure),
        ("/QĐ-UBND", 90.0), ("Bình", 96.0), ("Định,", 96.0), ("ngày", 96.0), (day, day_sure),
        ("tháng", 96.0), ("02", 96.0), ("năm", 96.0), ("2025", 96.0), ("QUYẾT", 95.0),
        ("ĐỊNH", 95.0), ("số", 96.0), ("12/QĐ-UBND", 96.0), ("ngày", 96.0),
        ("12/02/2024", 96.0),
    ]  # fmt: skip


def _read(
    number: str, number_sure: float, day: str, day_sure: float
) -> dict[str, tuple[str, float]]:
    text = _letter(number, day)
    words = [_words(number, number_sure, day, day_sure)]
    found = extract_fields([text], PROVINCES, words=words)
    return {key: (f.value, f.confidence) for key, f in found.items()}


def test_a_junk_number_is_withheld_and_its_symbol_given_alone() -> None:
    """GIVEN "Số: 6Š /QĐ-UBND" (ink Tesseract read as junk) WHEN fields are read THEN no
    number and symbol is given, only the printed symbol, for a clerk to complete."""
    found = _read("6Š", 57.0, "05", 96.0)
    assert "number_symbol" not in found
    assert found["document_symbol"][0] == "QĐ-UBND"


def test_digits_ocr_was_unsure_of_are_withheld() -> None:
    found = _read("12", 46.0, "05", 96.0)
    assert "number_symbol" not in found  # though the body's "12/QĐ-UBND" reads at 96


def test_a_clean_printed_number_and_date_are_kept() -> None:
    found = _read("12", 95.0, "05", 95.0)
    assert found["number_symbol"][0] == "12/QĐ-UBND"
    assert found["issue_date"][0] == "2025-02-05"


def test_a_text_layers_number_is_print_and_kept() -> None:
    found = extract_fields([_letter("507", "15")], PROVINCES)
    assert found["number_symbol"].value == "507/QĐ-UBND"
    assert found["issue_date"].value == "2025-02-15"


def test_a_look_alike_letter_is_repaired_only_in_a_word_ocr_was_very_sure_of() -> None:
    assert _read("l2", 95.0, "05", 95.0)["number_symbol"][0] == "12/QĐ-UBND"
    assert "number_symbol" not in _read("l2", 75.0, "05", 95.0)


def test_a_junk_or_unsure_day_is_withheld_and_the_month_carried_alone() -> None:
    """GIVEN "ngày 0?" (junk), "ngày 20" read at 14 WHEN fields are read THEN there is no
    issue date, only the printed month and year (`issue_month`), not taken as the date."""
    for day, sure in (("0?", 77.0), ("/Ä}", 30.0), ("20", 14.0)):
        found = _read("12", 95.0, day, sure)
        assert "issue_date" not in found, day
        assert found["issue_month"][0] == "2025-02"


def test_a_day_glued_to_its_label_is_read_from_that_word() -> None:
    text = _letter("12", "05").replace("ngày 05", "ngày05")
    words = _words("12", 95.0, "05", 95.0)
    at = words.index(("ngày", 96.0))
    words[at : at + 2] = [("ngày05", 95.0)]
    assert admin_fields(pages_of([text]), [words])["issue_date"].value == "2025-02-05"
    words[at] = ("ngày05", 40.0)
    assert "issue_date" not in admin_fields(pages_of([text]), [words])


CERTIFICATE = """Số: {number}/GCS
GIẤY CHỨNG SINH
Họ và tên mẹ: Nguyễn Thị Hư
Sinh con vào lúc 08 giờ, ngày 02 tháng 01 năm 2025
Bình Định, ngày {day} tháng 01 năm 2025
GIÁM ĐỐC
"""


def test_a_document_without_an_official_header_invents_neither() -> None:
    """GIVEN a certificate (no agency block over its number) whose number and the day of
    its last dateline are junk WHEN read THEN neither is given, nor an earlier dateline's
    date in place of the unreadable one."""
    text = CERTIFICATE.format(number="2L", day="0?")
    words = [[("Số:", 95.0), ("2L/GCS", 40.0), ("ngày", 96.0), ("0?", 60.0), ("tháng", 96.0)]]
    found = extract_fields([text], PROVINCES, words=words)
    assert "number_symbol" not in found and "issue_date" not in found
    clean = CERTIFICATE.format(number="345", day="09")
    assert extract_fields([clean], PROVINCES)["number_symbol"].value == "345/GCS"
    assert extract_fields([clean], PROVINCES)["issue_date"].value == "2025-01-09"
