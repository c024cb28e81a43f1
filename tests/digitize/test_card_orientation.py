"""Card backs (MRZ, fingerprints) and other short pages: the way up is decided by reading
them both ways, since the ink-balance guess and Tesseract's OSD turn them over."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.catalogue import get_catalogue
from digitize.options import DigitizeOptions
from digitize.pagework import BOTH_WAYS
from digitize.pipeline import digitize_file
from digitize.plausibility import garbage_share, is_plausible, reading_score
from tests.support.cards import card_back


@pytest.mark.parametrize(("upside_down", "turn"), [(False, 0), (True, 180)])
def test_the_back_of_an_id_card_is_read_upright_either_way_it_was_photographed(
    tmp_path: Path, upside_down: bool, turn: int
) -> None:
    """GIVEN the back of a chip ID card at 200 dpi (a generated person), on which the
    ink-balance guess is sure of the wrong way up WHEN it is digitized, photographed upright
    or turned over THEN its MRZ and labels are read upright, the page turned to match."""
    source = tmp_path / "mat-sau.jpg"
    code = card_back(source, dpi=200, upside_down=upside_down)
    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue()
    )
    page = result.pages[0]
    assert page.rotation == turn
    assert BOTH_WAYS in page.steps
    assert "Đặc điểm nhân dạng" in result.text
    dates_line = code.splitlines()[1]
    assert dates_line[:7] + "F" in result.text or dates_line[:7] + "M" in result.text
    assert sum(line.count("<") >= 10 for line in result.text.splitlines()) >= 2


@pytest.mark.parametrize(
    ("word", "plausible"),
    [
        ("Nghị", True),
        ("TRƯỞNG", True),
        ("khuyến", True),
        ("12/05/2021", True),
        ("IDVNM0380<<<", True),
        ("Số:", True),
        ("ảnH", False),  # mixed case
        ("HNỊHO", False),  # no such initial
        ("đ1L", False),
        (">>>>>>", False),  # an MRZ read upside down
        ("hoằng̀", False),  # two tone marks
    ],
)
def test_words_are_judged_by_the_shape_of_vietnamese_syllables(word: str, plausible: bool) -> None:
    assert is_plausible(word) is plausible


def test_junk_scores_below_text_however_confident() -> None:
    upright = [("Đặc", 90.0), ("điểm", 90.0), ("nhân", 88.0), ("dạng", 85.0)]
    junk = [(w, 95.0) for w in ("ưEA", "u0ÔN", "ÿX", "đ1L", "LÿädL", "3A", "HNVH", "2ñ2")]
    assert reading_score(upright) > reading_score(junk)
    assert garbage_share("Quyết định số 12") == 0.0
    assert garbage_share("Qu¥ết ¶ịnh ¬ố") > 0.2
