"""Where văn thư's number field goes on a result's first page: after "Số:", over the
draft's placeholder, and over "Quyển số: …" too where a civil-status result prints its book."""

from __future__ import annotations

from signing.placement import Box, PageLayout, number_field_box


def _layout(*words: tuple[str, float, float]) -> PageLayout:
    """One line of words at y 700 (text, x0, x1), as pdftotext reads them."""
    boxes: tuple[tuple[str, Box], ...] = tuple((t, (x0, 700.0, x1, 713.0)) for t, x0, x1 in words)
    return PageLayout(1, (595.0, 842.0), (595.0, 842.0), (), (), boxes)


def test_the_field_stops_before_the_symbol_of_a_decision() -> None:
    found = number_field_box(_layout(("Số:", 60, 80), ("......", 82, 120), ("/QĐ-UBND", 121, 180)))
    assert found == (0, (82.0, 698.0, 119.0, 715.0))


def test_the_field_covers_the_book_of_a_civil_status_result() -> None:
    """GIVEN a birth certificate drafted "Số: 313    Quyển số: 01/2024" WHEN the number field
    is placed THEN it covers the drafted number and book: văn thư writes "01, Quyển số:
    01/2026" over both (signing.flow.results), and what follows on the line stays."""
    line = (("Số:", 60, 80), ("313", 84, 104), ("Quyển", 140, 175), ("số:", 178, 196),
            ("01/2024", 200, 245), ("(Bản", 300, 330))  # fmt: skip
    assert number_field_box(_layout(*line)) == (0, (82.0, 698.0, 247.0, 715.0))


def test_a_word_between_number_and_book_keeps_the_book_outside() -> None:
    line = (("Số:", 60, 80), ("313/GKS", 84, 130), ("Quyển", 140, 175), ("số:", 178, 196),
            ("01/2024", 200, 245))  # fmt: skip
    assert number_field_box(_layout(*line)) == (0, (82.0, 698.0, 106.0, 715.0))  # not the book
