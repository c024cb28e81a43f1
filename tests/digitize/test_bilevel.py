"""The 1-bit working copy: a TIFF other readers take for the same page, and one Tesseract
reads exactly as it reads the 8-bit copy of the same thresholded page."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from digitize._exec.tesseract import recognize
from digitize.bilevel import write_bilevel_tiff
from digitize.preprocess.binarize import otsu
from digitize.synthetic import default_family, make_document, render_document


def _thresholded_page() -> np.ndarray:
    doc = make_document("quyet_dinh", random.Random(7))
    page = render_document(doc, default_family(), dpi=300)[0]
    return otsu(np.asarray(page.convert("L"), dtype=np.uint8))


def test_the_bilevel_tiff_holds_every_pixel_and_the_resolution(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    for width in (1, 7, 8, 9, 1013):  # rows that do and do not fill whole bytes
        page = np.where(rng.random((37, width)) > 0.3, 255, 0).astype(np.uint8)
        target = tmp_path / f"page-{width}.tif"
        write_bilevel_tiff(target, page, 240)
        with Image.open(target) as image:
            assert image.mode == "1"
            assert image.info["dpi"] == (240, 240)
            assert np.array_equal(np.asarray(image.convert("L")), page)
        read_back = cv2.imread(str(target), cv2.IMREAD_GRAYSCALE)
        assert read_back is not None and np.array_equal(read_back, page)


def test_tesseract_reads_the_bilevel_copy_as_it_reads_the_grey_one(tmp_path: Path) -> None:
    page = _thresholded_page()
    grey, bilevel = tmp_path / "grey.tif", tmp_path / "bilevel.tif"
    cv2.imwrite(str(grey), page, [cv2.IMWRITE_TIFF_COMPRESSION, 1])
    write_bilevel_tiff(bilevel, page, 300)
    assert bilevel.stat().st_size < grey.stat().st_size / 7
    read = [
        recognize(p, tmp_path, language="vie", dpi=300, timeout=120, what=p.name)
        for p in (grey, bilevel)
    ]
    assert len(read[0]) > 50
    assert read[0] == read[1]  # the same words, boxes and confidences
