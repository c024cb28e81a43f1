"""An OCR engine that reads nothing, for tests of ingest where OCR is not under test."""

from __future__ import annotations

from pathlib import Path

from digitize.ocr import OcrPage


class NoText:
    """Every page is read instantly as blank (SOHOA_OCR_ENGINE=tests.support.engines:NoText):
    what such tests measure is parsing, limits and refusals, not recognition."""

    def __init__(self, language: str, timeout: float) -> None:
        pass

    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        return OcrPage("", (), None)
