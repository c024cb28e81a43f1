"""A red seal pressed over the signer's title: taken off before the page is made grey."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

from digitize.fonts import default_family
from digitize.ocr import TesseractEngine
from digitize.preprocess.binarize import binarize
from digitize.preprocess.seals import as_rgb, gray_without_seals, seal_boxes

DPI = 300
MM = DPI / 25.4
RED = (215, 40, 45)
SEAL_CENTRE = (int(105 * MM), int(55 * MM))
SEAL_RADIUS = int(19 * MM)


def _page() -> Image.Image:
    """A 150 x 100 mm white page: a signature block in black with a 38 mm red seal over it,
    and a line of red print ("KHẨN") far from the seal."""
    page = Image.new("RGB", (int(150 * MM), int(100 * MM)), "white")
    draw = ImageDraw.Draw(page)
    family = default_family("serif")
    bold = ImageFont.truetype(str(family.bold), int(5 * MM))
    draw.text((int(10 * MM), int(8 * MM)), "KHẨN", font=bold, fill=RED)
    draw.text((int(80 * MM), int(45 * MM)), "CHỦ TỊCH", font=bold, fill="black")
    draw.text((int(72 * MM), int(60 * MM)), "Nguyễn Văn An", font=bold, fill="black")
    seal = Image.new("RGB", page.size, "white")
    draw = ImageDraw.Draw(seal)
    x, y = SEAL_CENTRE
    r = SEAL_RADIUS
    draw.ellipse((x - r, y - r, x + r, y + r), outline=RED, width=int(1.5 * MM))
    inner = int(r * 0.7)
    draw.ellipse((x - inner, y - inner, x + inner, y + inner), outline=RED, width=int(0.6 * MM))
    small = ImageFont.truetype(str(family.bold), int(3 * MM))
    draw.text((x - int(14 * MM), y - int(16 * MM)), "ỦY BAN NHÂN DÂN", font=small, fill=RED)
    draw.regular_polygon((x, y, int(5 * MM)), 5, fill=RED)
    return ImageChops.multiply(page, seal)  # seal ink over print: the print stays black


def test_the_seal_is_found_and_red_print_is_not_taken_for_one() -> None:
    """GIVEN a page with a round red seal and a line of red print
    WHEN its seals are looked for
    THEN one box is found, around the seal, and none around the red print."""
    rgb = as_rgb(_page())
    boxes = seal_boxes(rgb, DPI)
    assert len(boxes) == 1
    left, top, right, bottom = boxes[0]
    x, y = SEAL_CENTRE
    assert left <= x - SEAL_RADIUS <= left + 3 * MM
    assert right - 3 * MM <= x + SEAL_RADIUS <= right
    assert top <= y - SEAL_RADIUS and y + SEAL_RADIUS <= bottom


def test_the_seal_fades_to_paper_and_the_print_under_it_stays_ink() -> None:
    """GIVEN the same page
    WHEN it is made grey without its seals
    THEN the seal's ring is paper white, the black print under it still ink, and the red
    print away from the seal still as dark as grey makes it."""
    rgb = as_rgb(_page())
    gray = gray_without_seals(rgb, DPI)
    plain = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    x, y = SEAL_CENTRE
    ring = (y, x - SEAL_RADIUS + int(0.7 * MM))
    assert plain[ring] < 128 and gray[ring] > 200
    black = rgb.max(axis=2) < 60
    assert gray[black].max() < 60
    khan = (slice(int(8 * MM), int(14 * MM)), slice(int(10 * MM), int(30 * MM)))
    assert gray[khan].min() == plain[khan].min() < 128


def test_a_page_in_opencvs_colour_order_comes_out_the_same() -> None:
    """GIVEN the same page in B, G, R order, as OpenCV reads a rendered page
    WHEN it is made grey without its seals, told so
    THEN the result is the one the R, G, B page gives."""
    rgb = as_rgb(_page())
    bgr = np.ascontiguousarray(rgb[..., ::-1])
    assert seal_boxes(bgr, DPI, bgr=True) == seal_boxes(rgb, DPI)
    assert np.array_equal(gray_without_seals(bgr, DPI, bgr=True), gray_without_seals(rgb, DPI))


def test_ocr_reads_the_signers_title_under_the_seal(tmp_path: Path) -> None:
    """GIVEN the same page, made grey without its seal and thresholded as the pipeline does
    WHEN Tesseract reads it
    THEN the title and name under the seal are read."""
    work, _ = binarize(gray_without_seals(as_rgb(_page()), DPI), denoise=True)
    image = tmp_path / "page.png"
    Image.fromarray(np.asarray(work)).save(image, dpi=(DPI, DPI))
    page = TesseractEngine("vie", 120).recognize(image, tmp_path, dpi=DPI, what="seal page")
    assert "CHỦ TỊCH" in page.text
    assert "Nguyễn Văn An" in page.text
