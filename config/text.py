"""Vietnamese text conventions shared by every layer: NFC storage and search folding."""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Text as sohoa stores it: NFC, because OCR output and macOS file names arrive as NFD."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Fold text for diacritic-insensitive matching, the same way for index and query.

    đ/Đ have no Unicode decomposition, so they are mapped to d explicitly; tone marks and
    other combining marks are dropped after NFD, which also makes old and new tone
    placement ("hòa"/"hoà") equal.
    """
    decomposed = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace as one space, trimmed: the form text is compared in."""
    return _WHITESPACE.sub(" ", text).strip()
