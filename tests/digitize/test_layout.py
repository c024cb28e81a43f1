"""The searchable PDF shows each page upright with its invisible words over the printed ones."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pikepdf

from config.catalogue import get_catalogue
from digitize.options import DigitizeOptions
from digitize.pipeline import digitize_file
from digitize.preprocess.images import glyphs, otsu_ink
from digitize.preprocess.skew import find_lean
from tests.support.samples import document, page_images

RENDER_DPI = 100
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _rendered(pdf: Path, tmp: Path) -> np.ndarray:
    subprocess.run(
        ["pdftoppm", "-r", str(RENDER_DPI), "-gray", "-png", "-singlefile", pdf, tmp / "page"],
        check=True,
    )
    page = cv2.imread(str(tmp / "page.png"), cv2.IMREAD_GRAYSCALE)
    assert page is not None
    return np.asarray(page, dtype=np.uint8)


def _words_on_ink(pdf: Path, page: np.ndarray) -> float:
    """Share of the text layer's words whose box (pdftotext -bbox) covers printed ink."""
    html = subprocess.run(
        ["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    ink = page < 128
    scale = RENDER_DPI / 72
    hits = total = 0
    for x0, y0, x1, y1, _ in _WORD.findall(html):
        box = ink[
            int(float(y0) * scale) : int(float(y1) * scale) + 1,
            int(float(x0) * scale) : int(float(x1) * scale) + 1,
        ]
        total += 1
        hits += box.size > 0 and box.mean() > 0.08
    assert total > 20, "the text layer has too few words to judge"
    return hits / total


def _upright_and_straight(page: np.ndarray) -> None:
    lean = find_lean(glyphs(otsu_ink(page)).points)
    assert lean.quarter == 0 and abs(lean.skew) <= 0.3


def test_a_sideways_skewed_scan_is_shown_upright_with_aligned_text(tmp_path: Path) -> None:
    [image] = page_images(document("giay_uy_quyen", leaders=False), dpi=200)[:1]
    scan = image.convert("L").rotate(
        90 + 3.5, expand=True, fillcolor=255
    )  # a quarter and a bit, anticlockwise
    scan.save(tmp_path / "scan.jpg", quality=85, dpi=(200, 200))
    result = digitize_file(
        tmp_path / "scan.jpg", tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue()
    )
    assert result.pages[0].rotation == 90
    assert abs(result.pages[0].skew - 3.5) < 0.2
    page = _rendered(result.output, tmp_path)
    _upright_and_straight(page)
    assert _words_on_ink(result.output, page) > 0.9
    with pikepdf.open(result.output) as pdf:
        [embedded] = pdf.pages[0].get_images().values()
        assert embedded.read_raw_bytes() == (tmp_path / "scan.jpg").read_bytes()


def test_an_upside_down_page_of_a_scanned_pdf_is_turned_and_its_text_aligned(
    tmp_path: Path,
) -> None:
    [image] = page_images(document("quyet_dinh", leaders=False), dpi=200)[:1]
    scan = image.convert("L").rotate(180 - 2.0, expand=True, fillcolor=255)
    scan.save(tmp_path / "scan.pdf", resolution=200)
    result = digitize_file(
        tmp_path / "scan.pdf", tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue()
    )
    assert result.pages[0].rotation == 180
    page = _rendered(result.output, tmp_path)
    _upright_and_straight(page)
    assert _words_on_ink(result.output, page) > 0.9
    assert result.pdfa
