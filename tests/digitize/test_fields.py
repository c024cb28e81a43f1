"""Field extraction: whose data each value is, OCR damage it survives, and IDs it never invents."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from config.catalogue import get_catalogue
from config.text import fold
from digitize.doctype import classify
from digitize.fieldnames import PERSON_FIELDS, PERSON_ROLES, person_field
from digitize.fields import extract_fields
from digitize.ocr import TesseractEngine
from digitize.synthetic import (
    DOCUMENT_TYPES_WITH_TEMPLATES,
    default_family,
    degrade,
    make_document,
    render_page,
)

COUPLES = {"to_khai_ket_hon", "giay_chung_nhan_ket_hon"}
"""Forms both spouses fill in alike: which one filed the dossier is not on the paper."""
PERSON = ("full_name", "id_number", "date_of_birth")
DOCUMENT = ("number_symbol", "issue_date", "dossier_code", "valid_until")


def _fields(pages: list[str]) -> dict[str, str]:
    return {k: v.value for k, v in extract_fields(pages, get_catalogue().provinces).items()}


def _pages(doc_type: str, seed: int) -> tuple[list[str], dict[str, str]]:
    doc = make_document(doc_type, random.Random(seed))
    return [doc.page_text(i) for i in range(len(doc.pages))], doc.fields


@pytest.mark.parametrize("doc_type", DOCUMENT_TYPES_WITH_TEMPLATES)
def test_every_template_yields_its_truth_from_clean_text(doc_type: str) -> None:
    """GIVEN generated documents WHEN their printed text is read THEN each field the
    generator records (for the person the document is about) comes out as recorded."""
    for seed in range(6):
        pages, truth = _pages(doc_type, seed)
        got = _fields(pages)
        if doc_type in COUPLES or truth.get("copied_type") in COUPLES:
            assert truth["full_name"] in (got["full_name"], got["spouse_full_name"])
            continue
        for name in (*PERSON, *DOCUMENT):
            if name in truth:
                assert got.get(name) == truth[name], (name, seed)


def test_the_applicant_child_parents_and_agents_are_told_apart() -> None:
    pages, truth = _pages("to_khai_khai_sinh", 4)
    got = _fields(pages)
    assert got["id_number"] == truth["id_number"] and got["full_name"] == truth["full_name"]
    assert got["child_full_name"] == truth["child_full_name"]
    assert got["child_date_of_birth"] == truth["child_date_of_birth"]
    assert got["mother_full_name"] == truth["mother_full_name"]
    pages, truth = _pages("giay_uy_quyen", 2)
    got = _fields(pages)
    assert got["agent_id_number"] == truth["agent_id_number"] != got["id_number"]
    pages, truth = _pages("hop_dong_chuyen_nhuong_qsdd", 2)
    assert _fields(pages)["counterparty_id_number"] == truth["counterparty_id_number"]


def test_a_death_notice_is_about_the_deceased_and_a_death_form_about_its_filer() -> None:
    pages, truth = _pages("giay_bao_tu", 1)
    assert _fields(pages)["full_name"] == truth["full_name"]
    pages, truth = _pages("to_khai_khai_tu", 1)
    got = _fields(pages)
    assert got["id_number"] == truth["id_number"]
    assert got["deceased_id_number"] == truth["deceased_id_number"]


LABEL = "Giấy tờ tùy thân: Căn cước công dân số "


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("046094046410", "046094046410"),
        ("0460 9404 6410", "046094046410"),
        ("046 094 046 410", "046094046410"),
        ("O46094046410", "046094046410"),  # O read for 0
        ("0460940464l0", "046094046410"),  # l read for 1
        ("04609404641O", None),  # a repair in the last place is not trusted
        ("0460940464B0", None),  # B is 8 as often as 5: never repaired
        ("O46O94046410", None),  # two repairs
        ("046094046410 2", "046094046410"),
        ("999094046410", None),  # no such province
        ("046794046410", None),  # no such century/sex digit
    ],
)
def test_id_numbers_survive_ocr_confusions_but_are_never_invented(
    printed: str, expected: str | None
) -> None:
    got = _fields([f"TỜ KHAI\n{LABEL}{printed}, cấp ngày 01/02/2020"])
    assert got.get("id_number") == expected


def test_an_unlabelled_or_phone_number_is_not_an_id() -> None:
    assert "id_number" not in _fields(["Điện thoại liên hệ: 046094046410"])
    assert "id_number" not in _fields(["Ghi chú 046094046410 xong"])
    assert "id_number" not in _fields(["IIJ5290//2a046094046410)1121171512"])


def test_an_unlabelled_id_is_taken_when_the_date_of_birth_confirms_it() -> None:
    got = _fields(["Họ và tên: LÊ VĂN AN\nNgày sinh: 05/03/1994\n046094046410"])
    assert got["id_number"] == "046094046410"


def test_an_id_the_date_of_birth_or_sex_contradicts_is_dropped() -> None:
    page = "Họ và tên: LÊ VĂN AN\nNgày sinh: 05/03/1990\nGiới tính: Nam\n{label}{id}"
    assert "id_number" not in _fields([page.format(label=LABEL, id="046094046410")])
    assert "id_number" not in _fields([page.format(label=LABEL, id="046190046410")])
    assert _fields([page.format(label=LABEL, id="046090046410")])["id_number"] == "046090046410"


def test_an_id_tesseract_was_unsure_of_is_not_reported() -> None:
    page = [f"{LABEL}046094046410, cấp ngày 01/02/2020"]
    provinces = get_catalogue().provinces
    sure = extract_fields(page, provinces, words=[[("046094046410,", 96.4)]])
    unsure = extract_fields(page, provinces, words=[[("046094046410,", 71.0)]])
    assert sure["id_number"].confidence > 0.9
    assert "id_number" not in unsure
    assert "id_number" in extract_fields(page, provinces, words=[None])  # a text layer


def test_the_back_of_an_id_card_gives_its_number_from_the_machine_readable_zone() -> None:
    back = "Đặc điểm nhân dạng\nIDVNM0940464100046094046410<<<\n9403052M3403051VNM<<<<<<<<<<<4"
    assert _fields([back])["id_number"] == "046094046410"
    misread = back.replace("IDVNM0940464100", "IDVNM0940464108")  # the check digit disagrees
    assert "id_number" not in _fields([misread])


def test_leader_junk_after_values_does_not_spoil_them() -> None:
    page = (
        "Họ và tên người yêu cầu: TRẦN CÔNG TÀI ........-- 5-5 2+k+E+EEE+E+EeEErEererrered\n"
        "Ngày, tháng, năm sinh: 28/12/1994. ........- + 1113333121111 1 118111 errre\n"
        f"{LABEL}046094046410 ..............-- -- ¿+5 «+ 220094046410"
    )
    got = _fields([page])
    assert (got["full_name"], got["date_of_birth"]) == ("Trần Công Tài", "1994-12-28")
    assert got["id_number"] == "046094046410" and "other_id_numbers" not in got


def test_family_names_get_back_the_tone_marks_ocr_dropped() -> None:
    assert _fields(["Họ và tên: NGUYEN THI LAN"])["full_name"] == "Nguyễn Thi Lan"


def test_dates_are_iso_and_dossier_codes_are_read_through_ocr_noise() -> None:
    page = (
        "UBND TỈNH PHÚ THỌ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "ỦY BAN NHÂN DÂN HUYỆN THANH SƠN Độc lập - Tự do - Hạnh phúc\n"
        "Số: 410/ QĐ-UBND Huyện Thanh Sơn, ngày 05 tháng 3 năm 2025\n"
        "QUYẾT ĐỊNH\nMã hồ sơ: 000.07.O8.H26 - 250304 - 0025"
    )
    got = _fields([page])
    assert got["number_symbol"] == "410/QĐ-UBND"
    assert got["issue_date"] == "2025-03-05"
    assert got["dossier_code"] == "000.07.08.H26-250304-0025"
    assert fold(got["issuing_body"]) == fold("Ủy ban nhân dân huyện Thanh Sơn")
    assert "dossier_code" not in _fields(["Mã hồ sơ: 000.07.08.H26-251304-0025"])  # month 13


def test_a_scanned_id_card_read_by_tesseract_is_typed_and_its_number_read(tmp_path: Path) -> None:
    """GIVEN a mildly damaged scan of an ID card WHEN Tesseract reads it (words with their
    confidences, as the pipeline passes them) THEN it is a cccd and the holder's number,
    name and date of birth come out exactly."""
    doc = make_document("cccd", random.Random(11))
    image, _ = degrade(
        render_page(doc.pages[0], default_family("sans"), dpi=300, size="card"),
        "mild",
        random.Random(2),
    )
    path = tmp_path / "card.png"
    image.save(path, dpi=(300, 300))
    page = TesseractEngine("vie", 120).recognize(path, tmp_path, dpi=300, what="card")
    words = [[(w.text, w.confidence) for w in page.words]]
    got = extract_fields([page.text], get_catalogue().provinces, words=words)
    assert classify([page.text], get_catalogue(), threshold=0.5).document_type == "cccd"
    assert got["id_number"].value == doc.fields["id_number"]
    assert got["full_name"].value == doc.fields["full_name"]
    assert got["date_of_birth"].value == doc.fields["date_of_birth"]


def test_a_name_lost_to_leader_junk_is_read_under_the_signature() -> None:
    form = (
        "TỜ KHAI ĐĂNG KÝ KHAI SINH\n1160.1011 HO SỐ Của: 0m6 Nguyen VamL00 71...\n"
        "Làm tại: Xã Yên Phú, ngày 12 tháng 02 năm 2025\nNGƯỜI YÊU CẦU\n"
        "(Ký, ghi rõ họ, chữ đệm, tên)\nle\nTrần Công Tài"
    )
    assert _fields([form])["full_name"] == "Trần Công Tài"
    proxy = (
        "GIẤY ỦY QUYỀN\nBÊN ĐƯỢC ỦY QUYỀN BÊN ỦY QUYỀN\n(Ký và ghi rõ họ tên) (Ký và ghi rõ họ tên)"
        "\nNguyễn Đức Quân Trần Văn Bảo"
    )
    assert _fields([proxy])["full_name"] == "Trần Văn Bảo"


def test_a_cards_printed_validity_is_read_as_a_date_or_without_limit() -> None:
    """GIVEN an ID card's front ("Có giá trị đến: dd/mm/yyyy" or "Không thời hạn") or a 2024
    card's back ("Ngày, tháng, năm hết hạn / Date of expiry: ...") WHEN read THEN
    `valid_until` is the ISO date or "Không thời hạn"; the issue date is not taken for it."""
    front = "CĂN CƯỚC CÔNG DÂN\nCó giá trị đến: 07/10/2041\nDate of expiry\nSố / No.: 038181303677"
    assert _fields([front])["valid_until"] == "2041-10-07"
    assert _fields(["CĂN CƯỚC\nCó giá trị đến: Không thời hạn"])["valid_until"] == "Không thời hạn"
    back = (
        "Ngày, tháng, năm cấp / Date of issue: 22/07/2016\n"
        "Ngày, tháng, năm hết hạn / Date of expiry: 07/10/2041"
    )
    assert _fields(["x", back])["valid_until"] == "2041-10-07"
    assert "valid_until" not in _fields(["Ngày, tháng, năm cấp / Date of issue: 22/07/2016"])


def test_the_generators_people_are_named_as_the_products_schema_says() -> None:
    """The field schema is the product's (digitize.fieldnames): the generator's ground truth
    names a person's fields with a role the schema lists, never a role of its own."""
    known = {person_field(role, name) for role in ("", *PERSON_ROLES) for name in PERSON_FIELDS}
    for doc_type in DOCUMENT_TYPES_WITH_TEMPLATES:
        for seed in range(3):
            for key in make_document(doc_type, random.Random(seed)).fields:
                if key.endswith(PERSON_FIELDS):
                    assert key in known, f"{doc_type}: {key} is not in digitize.fieldnames"
