"""Page quality flags that tell a clerk which pages to look at or rescan."""

from __future__ import annotations

MIN_DPI = 200
"""The regulations ask for scans of at least 200 dpi."""

MIN_CONFIDENCE = 60.0
"""Mean word confidence below which OCR text is not to be trusted without a look."""

BLANK_MAX_CHARS = 3
"""A page with no more recognised characters than this is taken as blank."""


def page_flags(*, dpi: int | None, chars: int, confidence: float | None, ocr: bool) -> list[str]:
    """low_dpi, blank and low_confidence, as they apply to one page."""
    flags = []
    if ocr and dpi is not None and dpi < MIN_DPI:
        flags.append("low_dpi")
    if chars <= BLANK_MAX_CHARS:
        flags.append("blank")
    elif ocr and confidence is not None and confidence < MIN_CONFIDENCE:
        flags.append("low_confidence")
    return flags
