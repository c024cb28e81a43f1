"""An official document's type from its layout (title under the motto, the symbol's type
abbreviation, a công văn's V/v), on fictional text shaped like real OCR output."""

from __future__ import annotations

from config.catalogue import get_catalogue
from digitize.classifier.structure import AGREE, DISAGREE, structure_vote
from digitize.doctype import classify

HEAD = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH BÌNH ĐỊNH Độc lập - Tự do - Hạnh phúc
Số: {number} Bình Định, ngày 12 tháng 3 năm 2025
{title}
Về việc một việc hư cấu
Nội dung văn bản hư cấu.
"""


def _vote(number: str, title: str) -> tuple[str, float] | None:
    vote = structure_vote([HEAD.format(number=number, title=title)], get_catalogue())
    return (vote.document_type, vote.confidence) if vote else None


def test_title_and_symbol_agreeing_name_the_type_surely() -> None:
    assert _vote("12/CT-UBND", "CHỈ THỊ") == ("chi_thi", AGREE)
    assert _vote("3 /TTr -UBND", "TỜ TRÌNH") == ("to_trinh", AGREE)
    assert _vote("/TB-UBND", "THÔNG BÁO") == ("thong_bao", AGREE)
    assert _vote("45/BC-UBND", "BÁO CÁO") == ("bao_cao", AGREE)


def test_a_title_the_symbol_contradicts_is_not_given_surely() -> None:
    assert _vote("12/QĐ-UBND", "CHỈ THỊ") == ("chi_thi", DISAGREE)


def test_a_cong_van_is_told_by_its_v_v_and_a_symbol_naming_no_type() -> None:
    text = "ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH\nSố: 88/UBND-KTTH\nV/v một việc hư cấu\n" + (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nBình Định, ngày 01 tháng 02 năm 2025\n"
        "Kính gửi: Sở Tài chính\n"
    )
    found = classify([text], get_catalogue(), threshold=0.5)
    assert (found.document_type, found.source) == ("cong_van", "structure")


def test_a_form_without_an_official_header_gets_no_vote() -> None:
    form = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nGIẤY ỦY QUYỀN\n"
    assert structure_vote([form], get_catalogue()) is None
