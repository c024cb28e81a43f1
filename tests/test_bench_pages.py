"""The digitization benchmark's page set: the office level is added on top of the others,
and its pages are stored as offices store them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bench.pages import _level_plan, scanned_pages


@pytest.mark.parametrize(
    ("pages", "before"),
    [(4, (1, 1, 2)), (8, (2, 2, 4)), (32, (8, 8, 16)), (10, (2, 2, 6))],
)
def test_office_pages_come_on_top_of_the_levels_measured_before(
    pages: int, before: tuple[int, int, int]
) -> None:
    """GIVEN a page count WHEN the levels are planned THEN clean, mild and hard keep the
    counts and places they had before the office level (so figures stay comparable), and
    office pages follow: a quarter more, at least two."""
    plan = _level_plan(pages)
    assert tuple(plan.count(level) for level in ("clean", "mild", "hard")) == before
    assert plan[:pages] == _level_plan(pages, office=False)
    assert plan[pages:] == ["office"] * max(2, pages // 4)


def test_office_pages_are_stored_as_offices_scan_them(tmp_path: Path) -> None:
    """GIVEN four pages WHEN the set is written THEN the first three levels are grey JPEGs,
    the office colour scan a colour JPEG and the office 1-bit scan a 1-bit PNG."""
    pages = scanned_pages(tmp_path, 4, seed=3)
    assert [p.level for p in pages] == ["clean", "mild", "hard", "hard", "office", "office"]
    for page in pages[:4]:
        with Image.open(page.path) as image:
            assert (image.format, image.mode) == ("JPEG", "L")
    colour, bilevel = pages[4:]
    assert colour.degradation.color
    with Image.open(colour.path) as image:
        assert (image.format, image.mode) == ("JPEG", "RGB")
        pixels = np.asarray(image).astype(int)
    inked = np.abs(pixels[..., 0] - pixels[..., 2]) > 40  # blue pen (a form has no seal)
    assert int(inked.sum()) > 100
    assert bilevel.degradation.bilevel
    with Image.open(bilevel.path) as image:
        assert (image.format, image.mode) == ("PNG", "1")
        assert round(image.info["dpi"][0]) == 300
    assert scanned_pages(tmp_path / "again", 4, seed=3, office=False)[3].path.read_bytes() == (
        pages[3].path.read_bytes()
    ), "the office pages do not change the pages before them"
