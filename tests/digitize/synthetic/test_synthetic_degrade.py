"""Degradations: levels record what they did, replay exactly, and never cut content off."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image

from digitize.synthetic import (
    Degradation,
    FontFamily,
    apply,
    choose_degradation,
    degrade,
    make_document,
    render_document,
)


@pytest.fixture(scope="module")
def page(family: FontFamily) -> Image.Image:
    doc = make_document("quyet_dinh", random.Random(11))
    return render_document(doc, family, dpi=150)[0]


def _ink(image: Image.Image) -> int:
    """Dark pixels: exact under quarter turns."""
    return int((np.asarray(image) < 128).sum())


def _ink_mass(image: Image.Image) -> float:
    """Total darkness: kept by interpolation, unlike a pixel count, which thin strokes
    resampled at an angle change by a few percent."""
    return float((255 - np.asarray(image, dtype=np.float64)).sum())


def test_clean_changes_nothing(page: Image.Image) -> None:
    out, degradation = degrade(page, "clean", random.Random(0))
    assert degradation.is_clean and degradation.level == "clean"
    assert out.tobytes() == page.tobytes()


def test_mild_records_a_careful_flatbed_scan() -> None:
    for seed in range(50):
        d = choose_degradation("mild", random.Random(seed))
        assert abs(d.skew) <= 2.0 and d.rotation == 0
        assert d.jpeg_quality is not None and 80 <= d.jpeg_quality <= 90
        assert 0 < d.noise <= 6 and not d.border_mm and not d.shadow


def test_hard_records_a_hurried_scan_or_phone_photo() -> None:
    drawn = [choose_degradation("hard", random.Random(seed)) for seed in range(60)]
    for d in drawn:
        assert abs(d.skew) <= 5.0 and d.rotation in (0, 90, 180, 270)
        assert d.jpeg_quality == 55 and d.border_mm > 0 and d.border_sides
        assert d.noise > 0 and d.blur > 0 and d.shadow > 0
    assert {d.rotation for d in drawn} == {0, 90, 180, 270}
    assert max(abs(d.skew) for d in drawn) > 4.0


def test_levels_are_deterministic_from_the_rng(page: Image.Image) -> None:
    for level in ("mild", "hard"):
        a, da = degrade(page, level, random.Random(5))
        b, db = degrade(page, level, random.Random(5))
        assert da == db and a.tobytes() == b.tobytes()
        c = apply(page, da)
        assert c.tobytes() == a.tobytes(), "apply replays a recorded degradation exactly"


@pytest.mark.parametrize("skew", [5.0, -5.0, 3.3])
def test_skew_grows_the_canvas_and_keeps_all_ink(page: Image.Image, skew: float) -> None:
    """GIVEN a page WHEN skewed by up to 5° THEN the ink is all still there and clear of
    the image edges (the canvas grew instead of cropping the corners)."""
    out = apply(page, Degradation(level="custom", skew=skew))
    assert out.width > page.width and out.height > page.height
    before, after = _ink_mass(page), _ink_mass(out)
    assert abs(after - before) / before < 0.02
    dark = np.argwhere(np.asarray(out) < 128)
    (top, left), (bottom, right) = dark.min(axis=0), dark.max(axis=0)
    assert top > 0 and left > 0 and bottom < out.height - 1 and right < out.width - 1


def test_quarter_turns_and_borders(page: Image.Image) -> None:
    turned = apply(page, Degradation(level="custom", rotation=90))
    assert turned.size == (page.height, page.width) and _ink(turned) == _ink(page)
    upside_down = apply(page, Degradation(level="custom", rotation=180))
    assert np.array_equal(np.asarray(upside_down), np.asarray(page)[::-1, ::-1])
    bordered = apply(page, Degradation(level="custom", border_mm=10.0, border_sides="lr"))
    assert bordered.width == page.width + 2 * round(10 / 25.4 * 150)
    assert np.asarray(bordered)[:, :5].max() < 100


def test_downscale_sets_the_new_resolution() -> None:
    image = Image.new("L", (600, 900), "white")
    image.info["dpi"] = (300, 300)
    out = apply(image, Degradation(level="custom", downscale_dpi=200))
    assert out.size == (400, 600) and out.info["dpi"] == (200.0, 200.0)


def test_rgb_pages_are_degraded_too(family: FontFamily) -> None:
    doc = make_document("giay_khai_sinh", random.Random(2))
    colour = render_document(doc, family, dpi=75, color=True)[0]
    assert colour.mode == "RGB"
    out, _ = degrade(colour, "hard", random.Random(1))
    assert out.mode == "RGB"


def test_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="clean, mild, hard"):
        choose_degradation("awful", random.Random(0))  # type: ignore[arg-type]


def test_skew_keeps_ink_at_the_very_edge_of_the_page() -> None:
    """A frame drawn on the outermost pixels survives a 5° skew: nothing is cropped."""
    framed = np.full((600, 400), 255, dtype=np.uint8)
    framed[:6, :] = framed[-6:, :] = framed[:, :6] = framed[:, -6:] = 0
    image = Image.fromarray(framed)
    for skew in (5.0, -5.0):
        out = apply(image, Degradation(level="custom", skew=skew))
        assert abs(_ink_mass(out) - _ink_mass(image)) / _ink_mass(image) < 0.02
