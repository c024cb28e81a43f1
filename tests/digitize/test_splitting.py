"""Splitting a scanned batch into documents, and a clerk's override of the split."""

from __future__ import annotations

import random

import pytest

from config.catalogue import get_catalogue
from config.errors import InvalidRequest
from digitize.classifier.noise import simulate_ocr
from digitize.splitting import Boundary, override_split, page_numbering, split_batch
from digitize.synthetic import make_document, random_case

BATCH = (
    "to_khai_khai_sinh",
    "giay_chung_nhan_qsdd",  # two pages, the second without a title
    "cccd",  # front and back
    "giay_uy_quyen",
    "hop_dong_chuyen_nhuong_qsdd",  # two pages
    "quyet_dinh",
)


def _batch(seed: int, level: str = "mild") -> tuple[list[str], list[tuple[int, int, str]]]:
    """Page texts of one dossier's documents scanned in one go, and the true documents as
    (first page, last page, type)."""
    rng = random.Random(f"split:{seed}")
    case = random_case(rng)
    pages: list[str] = []
    truth = []
    for doc_type in BATCH:
        doc = make_document(doc_type, rng, case=case)
        while doc_type == "cccd" and len(doc.pages) < 2:
            doc = make_document(doc_type, rng, case=case)
        first = len(pages) + 1
        pages.extend(simulate_ocr(doc, rng, level))
        truth.append((first, len(pages), doc_type))
    return pages, truth


@pytest.mark.parametrize("seed", range(3))
def test_a_batch_splits_into_its_documents_and_later_pages_inherit_the_type(seed: int) -> None:
    pages, truth = _batch(seed)
    segments = split_batch(pages, get_catalogue(), threshold=0.5)
    assert [(s.first, s.last, s.doc_type) for s in segments] == truth
    assert segments[0].boundary is Boundary.FIRST


def test_page_numbering_keeps_pages_together_and_starts_documents() -> None:
    form = simulate_ocr(
        make_document("to_khai_khai_sinh", random.Random(1)), random.Random(1), "clean"
    )[0]
    pages = [f"{form}\nTrang 1/2", f"{form}\nTrang 2/2", f"{form}\nTrang 1/1"]
    segments = split_batch(pages, get_catalogue(), threshold=0.5)
    assert [(s.first, s.last) for s in segments] == [(1, 2), (3, 3)]
    assert segments[1].boundary is Boundary.NUMBERING
    assert page_numbering("Trang 2 / 3\nnội dung") == (2, 3)
    assert page_numbering("Trang 4/3") is None


def test_a_blank_back_stays_with_its_sheet() -> None:
    pages, truth = _batch(0, "clean")
    with_blank = [*pages[:1], "  \n", *pages[1:]]
    segments = split_batch(with_blank, get_catalogue(), threshold=0.5)
    assert (segments[0].first, segments[0].last) == (1, 2)
    assert len(segments) == len(truth)


def test_a_clerk_overrides_the_split_and_the_types() -> None:
    pages, _ = _batch(1, "clean")
    segments = override_split(
        pages, [1, 2, 5], get_catalogue(), threshold=0.5, types={5: "giay_uy_quyen"}
    )
    assert [(s.first, s.last) for s in segments] == [(1, 1), (2, 4), (5, len(pages))]
    assert segments[0].doc_type == "to_khai_khai_sinh"
    assert segments[2].doc_type == "giay_uy_quyen"
    assert segments[2].classification.source == "clerk"
    assert all(s.boundary is Boundary.CLERK for s in segments)


@pytest.mark.parametrize(
    ("starts", "types"),
    [([2, 3], None), ([1, 99], None), ([], None), ([1, 2], {3: "cccd"}), ([1, 2], {2: "nope"})],
)
def test_a_clerk_override_that_cannot_be_applied_is_refused(
    starts: list[int], types: dict[int, str] | None
) -> None:
    with pytest.raises(InvalidRequest):
        override_split(["a", "b", "c"], starts, get_catalogue(), threshold=0.5, types=types)


def _pages_of(doc_type: str, seed: int, level: str = "clean", pages: int = 2) -> list[str]:
    """A generated document of `doc_type` with `pages` pages, read at `level`."""
    rng = random.Random(f"pages:{doc_type}:{seed}")
    doc = make_document(doc_type, rng, case=random_case(rng))
    while len(doc.pages) != pages:
        doc = make_document(doc_type, rng, case=random_case(rng))
    return simulate_ocr(doc, rng, level)


def _cuts(pages: list[str]) -> list[tuple[int, int]]:
    return [(s.first, s.last) for s in split_batch(pages, get_catalogue(), threshold=0.5)]


def test_a_copys_certification_page_stays_with_the_copy() -> None:
    """GIVEN a certified copy whose first page reads as the copied land-use certificate and
    whose second (its later page and the certification) as a certified copy WHEN split THEN
    one document: a certification page without a header ends the copy before it."""
    for seed in range(3):
        assert _cuts(_pages_of("ban_sao_chung_thuc", seed)) == [(1, 2)]


def test_an_id_cards_back_stays_with_its_front_and_the_next_front_starts_a_card() -> None:
    """GIVEN two ID cards, front and back each, the backs with or without their "Đặc điểm
    nhân dạng" title WHEN split THEN two cards of two pages: a back carries no national
    motto, a front does."""
    for seed in range(3):
        first, second = _pages_of("cccd", seed), _pages_of("cccd", seed + 10)
        assert _cuts([*first, *second]) == [(1, 2), (3, 4)]
    back = "Đặc điểm nhân dạng / Personal identification:\nSẹo chấm C:1cm dưới cằm\nIDVNM0"
    assert _cuts([_pages_of("cccd", 0)[0], back]) == [(1, 2)]


def test_a_page_opening_on_a_later_section_continues_its_document() -> None:
    """GIVEN a page whose first line is section II or III ("II. Thửa đất", OCR's "Il.") after
    a document, even one read as `khac` WHEN split THEN it stays with that document."""
    first = _pages_of("so_yeu_ly_lich", 0)[0]
    for later in ("III. QUÁ TRÌNH HỌC TẬP VÀ CÔNG TÁC\nTừ năm 2006", "Il. Thửa đất\n1. Thửa đất"):
        assert _cuts([first, later]) == [(1, 2)]
        assert _cuts(["lorem ipsum dolor sit amet consectetur adipiscing", later]) == [(1, 2)]


def test_a_motto_misread_by_a_letter_still_opens_a_document() -> None:
    """GIVEN an official decision and then a birth certificate whose motto OCR read as
    "CỘNGHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lẩp - Tự đo - Hạnh phúc" WHEN split THEN
    the certificate starts a document (after an official one only the motto does)."""
    decision = _pages_of("quyet_dinh", 0, pages=1)
    certificate = _pages_of("giay_chung_nhan_ket_hon", 0, pages=1)[0]
    lines = certificate.splitlines()
    garbled = "\n".join(
        "CỘNGHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        if "CỘNG HÒA" in line
        else "Độc lẩp - Tự đo - Hạnh phúc"
        if "Độc lập" in line
        else line
        for line in lines
    )
    assert garbled != certificate
    assert _cuts([*decision, garbled]) == [(1, 1), (2, 2)]
