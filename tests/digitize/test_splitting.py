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
