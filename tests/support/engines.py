"""An OCR engine that reads nothing, for tests of ingest where OCR is not under test."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from PIL import Image

from digitize.ocr import OcrPage


class NoText:
    """Every page is read instantly as blank (SOHOA_OCR_ENGINE=tests.support.engines:NoText):
    what such tests measure is parsing, limits and refusals, not recognition."""

    def __init__(self, language: str, timeout: float) -> None:
        pass

    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        with Image.open(image) as page:
            width, height = page.size
        out = io.BytesIO()
        size = [min(max(side * 72 / dpi, 3.0), 14400.0) for side in (width, height)]
        with pikepdf.new() as pdf:  # the text layer is scaled onto the page's box anyway
            pdf.add_blank_page(page_size=(size[0], size[1]))
            pdf.save(out)
        return OcrPage("", (), None, out.getvalue())
