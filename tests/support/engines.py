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
        with pikepdf.new() as pdf:
            pdf.add_blank_page(page_size=(width * 72 / dpi, height * 72 / dpi))
            pdf.save(out)
        return OcrPage("", (), None, out.getvalue())
