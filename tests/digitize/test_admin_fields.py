"""Fields of administrative documents (Decree 30/2020 layout) read from text shaped like real
OCR output: columns read apart or interleaved, OCR noise, handwritten blanks. Numbers, names
and places here are fictional."""

from __future__ import annotations

from digitize.extraction.admin import admin_fields, agency_names
from digitize.extraction.text import pages_of
from digitize.fields import extract_fields

PROVINCES = {"051": "Quảng Ngãi", "052": "Bình Định"}

COLUMNS = """Ký bởi: Văn phòng
TRUNG TÂM CÔNG BÁO VÀ TIN HỌC
UBND TỈNH BÌNH ĐỊNH
BAN CHỈ ĐẠO 999
Số: 07 /QĐ-BCĐ999
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Bình Định, ngày 09 tháng 02 năm 2025
QUYẾT ĐỊNH
Về việc công nhận một việc hư cấu
trên địa bàn tỉnh
TRƯỞNG BAN CHỈ ĐẠO 999
Căn cứ Quyết định số 12/QĐ-UBND ngày 01/01/2024 của Chủ tịch UBND tỉnh;
QUYẾT ĐỊNH:
Điều 1. Công nhận việc hư cấu.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
TRƯỞNG BAN
Trần Văn Hư
"""

INTERLEAVED = """ỦY BAN NHÂN DÂN CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH QUANG NGAI Độc lập - Tự do - Hạnh phúc
S6: 2L / CT -UBND Quảng Ngãi, ngày 0# thángớ? năm 2021
CHỈ THỊ
Về việc một việc hư cấu
Trong thời gian qua, các cơ quan đã làm nhiều việc.
"""

CONG_VAN = """ỦY BAN NHÂN DÂN
TỈNH BÌNH ĐỊNH
Số : 321 /UBND-KTTH
V/v một việc hư cấu
cần báo cáo
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Bình Định, ngày tháng 3 năm 2025
Kính gửi: Sở Tài chính
Nội dung công văn.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Thị Giả
"""


def _values(text: str) -> dict[str, str]:
    return {k: v.value for k, v in admin_fields(pages_of([text]), None, PROVINCES.values()).items()}


def test_a_parent_over_its_issuer_and_the_widget_text_above_them_are_told_apart() -> None:
    found = _values(COLUMNS)
    assert found["number_symbol"] == "07/QĐ-BCĐ999"
    assert found["issue_date"] == "2025-02-09"
    assert found["issuing_body"] == "Ban chỉ đạo 999"
    assert found["parent_body"] == "Ủy ban nhân dân tỉnh Bình Định"
    assert found["summary"] == "Về việc công nhận một việc hư cấu trên địa bàn tỉnh"
    assert found["signer_position"] == "TRƯỞNG BAN"
    assert found["signer_name"] == "Trần Văn Hư"


def test_interleaved_columns_and_handwriting_read_without_inventing_number_or_date() -> None:
    """GIVEN the motto on the agency's lines, the dateline on the number's, "S6:" for "Số:",
    a handwritten number and day OCR could not read WHEN the header is read THEN the symbol,
    the agency (province spelt as the catalogue spells it) come out; no number, no date."""
    found = _values(INTERLEAVED)
    assert found["document_symbol"] == "CT-UBND"
    assert found["issuing_body"] == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert "number_symbol" not in found and "issue_date" not in found
    assert "issue_month" not in found  # the month was unreadable too


def test_a_cong_van_gives_its_v_v_summary_and_a_blank_day_only_its_month() -> None:
    found = _values(CONG_VAN)
    assert found["number_symbol"] == "321/UBND-KTTH"
    assert found["summary"] == "V/v một việc hư cấu cần báo cáo"
    assert found["issue_month"] == "2025-03" and "issue_date" not in found
    assert found["issuing_body"] == "Ủy ban nhân dân tỉnh Bình Định"
    assert found["signer_position"] == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    assert found["signer_name"] == "Lê Thị Giả"


def test_one_name_wrapped_over_two_lines_is_not_a_parent() -> None:
    assert agency_names(["ỦY BAN NHÂN DÂN", "XÃ AN HƯ"]) == (None, "ỦY BAN NHÂN DÂN XÃ AN HƯ")
    assert agency_names(["UBND HUYỆN X", "ỦY BAN NHÂN DÂN", "XÃ Y"]) == (
        "UBND HUYỆN X",
        "ỦY BAN NHÂN DÂN XÃ Y",
    )


def test_an_attached_drafts_header_does_not_replace_the_documents_own() -> None:
    """The second header (a draft resolution with a blank number and its own dateline) on a
    later page gives neither the number nor the date."""
    draft = (
        "HỘI ĐỒNG NHÂN DÂN\nTỈNH BÌNH ĐỊNH\nSố: /2025/NQ-HĐND\n"
        "Bình Định, ngày 30 tháng 6 năm 2025\nNGHỊ QUYẾT\n"
    )
    found = extract_fields([COLUMNS, draft], PROVINCES)
    assert found["number_symbol"].value == "07/QĐ-BCĐ999"
    assert found["issue_date"].value == "2025-02-09"


def test_a_parent_and_issuer_read_across_a_misread_motto_are_told_apart() -> None:
    """GIVEN a two-line agency block whose upper line OCR read together with the motto, its
    first letter misread ("UBND TỈNH BÌNH ĐỊNH GỌNG HÒA XÃ HỘI ...") WHEN the header is read
    THEN the issuer is the lower line and its parent the upper one, without the motto."""
    text = COLUMNS.replace(
        "UBND TỈNH BÌNH ĐỊNH\n", "UBND TỈNH BÌNH ĐỊNH GỌNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    ).replace("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", "")
    found = _values(text)
    assert found["issuing_body"] == "Ban chỉ đạo 999"
    assert found["parent_body"] == "Ủy ban nhân dân tỉnh Bình Định"


def test_a_speck_before_the_agency_name_does_not_cut_it() -> None:
    """GIVEN "^ ỦY BAN NHÂN DÂN" over "TỈNH BÌNH ĐỊNH" (a speck read as "^") THEN the issuer
    is the whole name, not its second line."""
    found = _values(CONG_VAN.replace("ỦY BAN NHÂN DÂN\nTỈNH", "^ ỦY BAN NHÂN DÂN\nTỈNH", 1))
    assert found["issuing_body"] == "Ủy ban nhân dân tỉnh Bình Định"
    assert "parent_body" not in found
