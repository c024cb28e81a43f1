"""Personal ID numbers (CCCD, 12 digits) in OCR text: found, repaired where safe, validated.

A candidate must have a known province code and a century/sex digit (config.identifiers).
Twelve digits read as such are taken; so is the ID in the machine-readable zone on the
back of a card, when its two copies agree. A number OCR spaced out ("0461 9404 6410") or
read with look-alike letters ("O4609404641O") is repaired only beside an ID label on
the same or the previous line, with at most MAX_REPAIRS letter read as a digit, only the
unambiguous look-alikes (O for 0, l or I for 1; never B, which is 8 as often as 5), never
in the last place (where the dots of a leader run into the number), and never when the
birth year it encodes contradicts a date of birth read for the same person: a repair that
nothing confirms is not worth an invented ID.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from config import defaults
from config.identifiers import id_number_birth, is_valid_id_number
from digitize.extraction.text import Page

ID_LABEL = re.compile(
    r"(so dinh danh|dinh danh ca nhan|can cuoc|cccd|cmnd|chung minh|identification|"
    r"so giay to|giay to phap ly|so\s*/\s*no\b|\bso the\b|\bid\b)"
)
"""Labels an ID number follows, in folded text."""
LABEL_REACH = 90
"""Characters before a number within which its label must end (same or previous line)."""
MRZ_CONFIDENCE_SHARE = 0.5
"""The machine-readable zone repeats nine of the twelve digits and checks them with a check
digit, so its reading needs only this share of the usual OCR confidence (its "<<<" fillers
drag Tesseract's word confidence down); the province code it does not repeat still needs
some confidence."""
MAX_REPAIRS = 1
"""Most letters a repaired ID may have had read as digits (O for 0, l for 1...)."""

_NOT_ID = re.compile(
    r"(dien thoai|tai khoan|ma so thue|bhyt|bhxh|so may|so khung|ma khach hang|hotline|fax)"
    r"[^:\n]{0,25}:?\s*$"
)
"""Labels of other 12-digit numbers (phone, account, tax, insurance, engine numbers)."""
_NUMBER_WORD = re.compile(r"\bso\s*[:.]?\s*$")
""""số" right before a number ("CCŒCD số 0170..."), when OCR garbled the label itself."""
_EXACT = re.compile(r"(?<!\d)\d{12}(?!\d)")
_LOOSE = re.compile(r"(?<![\w])([0-9OoDQIl|](?:[ .]?[0-9OoDQIl|]){11,16})(?![\w])")
_SAFE_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1"}
)
_MRZ = re.compile(r"[I1l|]DVNM\s?(\d{9})(\d)(\d{12})")


@dataclass(frozen=True)
class IdHit:
    """An ID number read on a page, where, and how it was read."""

    value: str
    page: int
    position: int
    """Offset in the whole document's cleaned text (see extraction.text.pages_of)."""
    how: str
    """exact, mrz, spaced or repaired."""
    labelled: bool
    raw: str = ""
    """The text as read, before repair (to find its OCR word confidence)."""


def mrz_check_digit(digits: str) -> str:
    """ICAO 9303 check digit of a run of digits (weights 7, 3, 1)."""
    return str(sum(int(d) * (7, 3, 1)[i % 3] for i, d in enumerate(digits)) % 10)


def _glued(text: str, start: int, end: int) -> bool:
    """Whether a digit run is part of a junk word ("2a010188785113)1121"), not a number."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before.isalpha() or after.isalpha() or after in ")]}" or before in "([{/"


def _labelled(page: Page, start: int) -> bool:
    if _NUMBER_WORD.search(page.folded[max(0, start - 8) : start]):
        return True
    before = page.folded[max(0, start - LABEL_REACH) : start]
    if before.count("\n") > 1:
        before = before[before.rfind("\n", 0, before.rfind("\n")) + 1 :]
    return ID_LABEL.search(before) is not None


def _loose_hit(page: Page, match: re.Match[str], provinces: Mapping[str, str]) -> IdHit | None:
    raw = match.group(1)
    groups = re.split(r"[ .]", raw)
    joined = "".join(groups)
    if len(joined) != 12 or (joined.isdigit() and len(groups) == 1):
        return None
    repairs = sum(1 for ch in joined if not ch.isdigit())
    value = joined.translate(_SAFE_LOOKALIKES)
    if repairs > MAX_REPAIRS or not joined[-1].isdigit():
        return None
    if not value.isdigit() or not is_valid_id_number(value, provinces):
        return None
    if any(len(g) < 2 for g in groups) or not _labelled(page, match.start(1)):
        return None
    how = "repaired" if repairs else "spaced"
    return IdHit(value, page.number, page.offset + match.start(1), how, True, raw)


def find_ids(page: Page, provinces: Mapping[str, str]) -> list[IdHit]:
    """Every valid ID number on a page, in reading order, each once per place."""
    hits: dict[int, IdHit] = {}
    for match in _MRZ.finditer(page.text):
        document, check, number = match.groups()
        consistent = number[3:] == document and check == mrz_check_digit(document)
        if consistent and is_valid_id_number(number, provinces):
            position = page.offset + match.start(3)
            hits[match.start(3)] = IdHit(number, page.number, position, "mrz", True, number)
    for match in _EXACT.finditer(page.text):
        value, start, end = match.group(), match.start(), match.end()
        if start in hits or not is_valid_id_number(value, provinces):
            continue
        if _glued(page.text, start, end) or _NOT_ID.search(page.folded[max(0, start - 40) : start]):
            continue
        labelled = _labelled(page, start)
        hits[start] = IdHit(value, page.number, page.offset + start, "exact", labelled, value)
    for match in _LOOSE.finditer(page.text):
        if any(match.start(1) <= pos < match.end(1) for pos in hits):
            continue
        hit = _loose_hit(page, match, provinces)
        if hit is not None:
            hits[match.start(1)] = hit
    return [hits[pos] for pos in sorted(hits)]


def birth_agrees(value: str, year: int | None, sex: str | None) -> bool | None:
    """Whether an ID's encoded birth year and sex agree with what the page says of its
    holder; None when the page says neither."""
    encoded = id_number_birth(value)
    if encoded is None:
        return False
    if year is None and sex is None:
        return None
    if year is not None and encoded[0] != year:
        return False
    return sex is None or encoded[1] == sex


def word_confidence(hit: IdHit, words: Sequence[tuple[str, float]] | None) -> float | None:
    """Tesseract's confidence (0-100) in the words an ID was read from: the least over its
    parts, each the best word holding it; None without word data (a text layer)."""
    if not words or not hit.raw:
        return None
    parts = []
    for token in hit.raw.split():
        found = [conf for text, conf in words if token in text]
        if not found:
            return None
        parts.append(max(found))
    return min(parts) if parts else None


def confidence(hit: IdHit, agrees: bool | None, ocr: float | None = None) -> float | None:
    """How sure an ID reading is, or None when it must be dropped: a repair or a number
    without a label that nothing confirms, one whose holder's date of birth or sex
    contradicts it, or digits Tesseract itself was unsure of (a misread 3 for 8 still
    gives a valid-looking number, and a wrong ID is worse than none)."""
    least = defaults.ID_MIN_OCR_CONFIDENCE * (MRZ_CONFIDENCE_SHARE if hit.how == "mrz" else 1)
    if ocr is not None and ocr < least:
        return None
    if hit.how == "mrz":
        return 0.97 if agrees is not False else None
    if agrees is False:
        return None
    if hit.how in ("spaced", "repaired"):
        return (0.8 if hit.how == "spaced" else 0.7) + (0.15 if agrees else 0.0)
    if not hit.labelled:
        return 0.9 if agrees else None
    return 0.99 if agrees else 0.93
