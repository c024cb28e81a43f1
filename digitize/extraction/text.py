"""Page text as field extraction reads it: leader junk cut, a folded view aligned with it, dates.

Label matching runs on a folded copy of the text that keeps every character's position
(config.text.fold_aligned), so a label found without diacritics points at the value in
the original NFC text. Tesseract reads the dotted leaders printed after form values as
dots followed by junk ("TRẦN CÔNG TÀI ......-- 5-5 2+k+E+EEE+Eerrered"); since a leader
runs to the column's edge, everything from a run of dots to the end of the line is cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from config.text import fold_aligned, nfc

_LEADER = re.compile(r"(?:\.{3,}|…|(?:\. ){3,}|_{4,}|-{5,}).*$", re.MULTILINE)
_LINE_BARS = re.compile(r"^[|!¦\s]+", re.MULTILINE)
_DIGIT_LOOKALIKES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "l": "1",
        "I": "1",
        "|": "1",
        "i": "1",
        "S": "5",
        "s": "5",
        "B": "8",
        "Z": "2",
        "z": "2",
    }
)
DATE_NUMERIC = re.compile(
    r"(?<![\dA-Za-z])([0-3]?\d)\s?[/.\-]\s?([01]?\d)\s?[/.\-\s]\s?((?:19|20)\d\d)(?!\d)"
)
"""dd/mm/yyyy with the separators and stray spaces OCR gives (22/10 2024, 05.03.2025)."""
DATE_WORDS = re.compile(
    r"ngay\s+([0-3]?\d)\s*,?\s+thang\s+([01]?\d)\s*,?\s+nam\s+((?:19|20)\d\d)(?!\d)"
)
"""ngày 05 tháng 3 năm 2025, matched in folded text."""


def clean_page(text: str) -> str:
    """NFC text with leaders (and the junk read into them) and margin bars removed."""
    text = nfc(text)
    text = _LEADER.sub("", text)
    return _LINE_BARS.sub("", text)


@dataclass(frozen=True)
class Page:
    """One page ready for matching: cleaned text and its folded, lower-case twin."""

    number: int
    """1-based page number in the document."""
    text: str
    folded: str
    """fold_aligned(text): same length, position i is character i of text."""
    offset: int
    """Position of the page's first character in the whole document (pages joined by \\n)."""

    @classmethod
    def of(cls, number: int, raw: str, offset: int) -> Page:
        """A page from its raw OCR text."""
        text = clean_page(raw)
        return cls(number, text, fold_aligned(text).lower(), offset)


def pages_of(texts: list[str]) -> list[Page]:
    """The pages of a document, with their offsets in the joined text."""
    pages, offset = [], 0
    for number, raw in enumerate(texts, start=1):
        page = Page.of(number, raw, offset)
        pages.append(page)
        offset += len(page.text) + 1
    return pages


def digits(text: str) -> str:
    """Text with the letters OCR confuses with digits read as digits (O->0, l->1, S->5...)."""
    return text.translate(_DIGIT_LOOKALIKES)


def to_date(day: str, month: str, year: str) -> date | None:
    """A real calendar date from its parts, or None."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def first_date(text: str, folded: str) -> tuple[date, int] | None:
    """The earliest well-formed date in a stretch of text, and where it starts."""
    found: list[tuple[int, date]] = []
    for match in DATE_NUMERIC.finditer(text):
        value = to_date(*match.groups())
        if value:
            found.append((match.start(), value))
    for match in DATE_WORDS.finditer(folded):
        value = to_date(*match.groups())
        if value:
            found.append((match.start(), value))
    if not found:
        return None
    start, value = min(found, key=lambda f: f[0])
    return value, start


def line_at(text: str, position: int) -> tuple[int, int]:
    """Start and end of the line holding a position."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end
