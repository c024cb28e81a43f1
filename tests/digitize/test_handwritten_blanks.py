"""A document's number and day, written by hand into printed blanks and read by OCR without a
handwriting model: taken only when they read as print, never invented; a printed number
Tesseract was unsure of is still taken when the document's date is print. Texts and OCR
words are made up here, shaped like Tesseract's output on such scans; names are fictional.

Not tested because it cannot hold: ink read as confident, plausible wrong digits (an 11 read
as 44 at 90) is taken; nothing in the text or the word confidence tells it from print."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from digitize.extraction.admin import admin_fields
from digitize.extraction.text import pages_of
from digitize.fields import extract_fields
from digitize.ocr import TesseractEngine
from digitize.synthetic import default_family, degrade, make_document, render_page

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


def test_ink_digits_ocr_was_unsure_of_are_withheld() -> None:
    """GIVEN "Số: 12 /QĐ-UBND" read at 46, its day written by hand too (junk, or digits
    Tesseract was not sure of) WHEN fields are read THEN no number is given."""
    for day, day_sure in (("0?", 77.0), ("05", 60.0)):
        found = _read("12", 46.0, day, day_sure)
        assert "number_symbol" not in found, day  # though the body's "12/QĐ-UBND" reads at 96
        assert found["document_symbol"][0] == "QĐ-UBND"


def test_a_printed_number_ocr_was_unsure_of_is_kept_when_the_date_is_print() -> None:
    """GIVEN a typed decision whose lone number word Tesseract read at 24 (as it scores
    printed numbers on clean generated pages) and whose day it read at 97 WHEN fields are
    read THEN the number is kept: number and date are typed together. Digits read at 2 (a
    printed 57 read as 5) are still withheld."""
    found = _read("417", 24.0, "22", 97.0)
    assert found["number_symbol"][0] == "417/QĐ-UBND"
    assert found["issue_date"][0] == "2025-02-22"
    assert "number_symbol" not in _read("5", 2.0, "22", 97.0)


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


COPY_STAMP = """GIẤY KHAI SINH
Số: {number} Quyển số: 03/2025
Họ, chữ đệm, tên: Nguyễn Văn Hư
CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH
Số chứng thực: {certified} Quyển số: 05/2021-SCT/BS
Xã Hải Hư, ngày {day} tháng 3 năm 2021
"""


def _stamp_words(certified_sure: float, day: str, day_sure: float) -> list[tuple[str, float]]:
    """COPY_STAMP's words as Tesseract gives them on a worn scan of a generated copy: the
    lone number words read low (35-46) among words read at 92-97."""
    return [
        ("GIẤY", 95.0), ("KHAI", 95.0), ("SINH", 95.0), ("Số:", 92.0), ("40", 41.0),
        ("Quyển", 96.0), ("số:", 97.0), ("03/2025", 96.0), ("CHỨNG", 91.0), ("THỰC", 88.0),
        ("Số", 97.0), ("chứng", 97.0), ("thực:", 97.0), ("645", certified_sure),
        ("Quyển", 95.0), ("số:", 93.0), ("05/2021-SCT/BS", 92.0), ("Xã", 95.0), ("Hải", 97.0),
        ("Hư,", 96.0), ("ngày", 97.0), (day, day_sure), ("tháng", 97.0), ("3", 97.0),
        ("năm", 96.0), ("2021", 97.0),
    ]  # fmt: skip


def test_a_printed_certification_number_on_a_worn_scan_is_kept() -> None:
    """GIVEN a certified copy printed whole (the generated held-out set's), its
    certification number "645" read at 35 and the stamp's day at 97 WHEN read THEN the
    certification number and date are given, as before numbers were judged."""
    text = COPY_STAMP.format(number="40", certified="645", day="05")
    found = extract_fields([text], PROVINCES, words=[_stamp_words(35.0, "05", 97.0)])
    assert found["number_symbol"].value == "645"
    assert found["issue_date"].value == "2021-03-05"


def test_a_certification_number_filled_in_by_hand_is_withheld() -> None:
    """GIVEN the same stamp filled in by hand: "645" read at 35 and the day's ink read as
    junk, or as digits at 60 (taken as the day, not as proof of print) WHEN read THEN no
    number is given, nor another "Số:" in its place."""
    for day, day_sure in (("0†", 92.0), ("05", 60.0)):
        text = COPY_STAMP.format(number="40", certified="645", day=day)
        found = extract_fields([text], PROVINCES, words=[_stamp_words(35.0, day, day_sure)])
        assert "number_symbol" not in found, day


def test_a_register_number_is_vouched_for_by_a_printed_registration_date() -> None:
    """GIVEN a marriage certificate (no dateline: "Ngày đăng ký: 17/08/2012") whose number
    OCR glued to the blank's line ("Số:90_", read at 30) WHEN read THEN the number is 90
    when the registration date read at 96, withheld when at 40."""
    text = "GIẤY CHỨNG NHẬN KẾT HÔN\nSố:90_ Quyển số: 02/2012\nNgày đăng ký: 17/08/2012\n"

    def words(date_sure: float) -> list[tuple[str, float]]:
        return [
            ("GIẤY", 95.0), ("CHỨNG", 95.0), ("NHẬN", 95.0), ("KẾT", 93.0), ("HÔN", 90.0),
            ("Số:90_", 30.0), ("Quyển", 96.0), ("số:", 95.0), ("02/2012", 96.0),
            ("Ngày", 96.0), ("đăng", 96.0), ("ký:", 96.0), ("17/08/2012", date_sure),
        ]  # fmt: skip

    assert extract_fields([text], PROVINCES, words=[words(96.0)])["number_symbol"].value == "90"
    assert "number_symbol" not in extract_fields([text], PROVINCES, words=[words(40.0)])


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_a_generated_birth_certificates_printed_number_survives_a_worn_scan(
    tmp_path: Path,
) -> None:
    """GIVEN a generated birth certificate, its number printed, mildly damaged WHEN
    Tesseract reads it (its lone number word at about 30 while the page's words and the
    dateline's day read at 96-97) THEN the printed number is given, and the date."""
    doc = make_document("giay_khai_sinh", random.Random(1))
    image, _ = degrade(
        render_page(doc.pages[0], default_family("serif"), dpi=300), "mild", random.Random(1)
    )
    path = tmp_path / "page.png"
    image.save(path, dpi=(300, 300))
    page = TesseractEngine("vie", 120).recognize(path, tmp_path, dpi=300, what="page")
    words = [[(w.text, w.confidence) for w in page.words]]
    found = extract_fields([page.text], PROVINCES, words=words)
    assert found["number_symbol"].value == doc.fields["number_symbol"]
    assert found["issue_date"].value == doc.fields["issue_date"]
