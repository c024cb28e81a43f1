"""Values a văn thư writes by hand into a document's printed blanks, taken only as print.

The number after "Số:" and the day after "ngày" are usually written in ink once the paper
is printed and signed. Tesseract has no handwriting model: it reads the ink as junk ("6Š",
"2L", "$?4", "ngày0?"), now and then as digits, rarely as confident wrong digits (an ink
11 read as 44 at 90). An invented number is worse than none (a clerk trusts it), so such a
value is taken only when it reads as printed digits and the OCR word holding it, the one
right after its label, was sure; a letter OCR confuses with a digit is repaired only in a
word Tesseract was very sure of. A text layer is print: its values are always taken. What
confident misreads remain cannot be told from print here.

Tesseract is unsure of printed numbers too: a lone number word reads at 20-45 on a clean
page whose other words read at 97. What tells print from ink there is the date: a văn thư
numbers and dates a document at once, both typed or both written into the blanks, so a
number on a document whose date's day reads as sure printed digits (`printed`) is taken
from a much lower confidence (`read_digits(..., date_printed=True)`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from config import defaults
from config.text import fold
from digitize.extraction.text import digits

Words = Sequence[tuple[str, float]] | None
"""A page's OCR words with Tesseract's confidence (0-100), or None for a text layer."""

HEADER_WORDS = 200
"""Words from the top of the page that hold a header (its widgets, two blocks, the title)."""
NUMBER_LABEL = re.compile(r"^s[o06]\s*[:;.]\s*")
"""The word "Số:" as OCR reads it, folded ("S6:", "Só:83")."""
NUMBER_FOLLOWS = re.compile(r"/")
DAY_LABEL = re.compile(r"^ngay\s*")
DAY_FOLLOWS = re.compile(r"thang")
MONTH_LABEL = re.compile(r"thang\s*")
"""The word "tháng" (OCR glues a blank's junk before it: "{tháng")."""
MONTH_FOLLOWS = re.compile(r"nam")
_PUNCTUATION = re.compile(r"^[:;.,]+$")
_DIGITS = re.compile(r"[0-9]+")


def _folded(words: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """The words folded, a lone ":" joined to the word before it ("Số" ":" -> "so:")."""
    out: list[tuple[str, float]] = []
    for text, confidence in words:
        folded = fold(text).lower()
        if out and _PUNCTUATION.match(folded):
            out[-1] = (out[-1][0] + folded, out[-1][1])
        else:
            out.append((folded, confidence))
    return out


def blank_confidence(
    token: str,
    words: Words,
    label: re.Pattern[str],
    follows: re.Pattern[str],
    *,
    within: int | None = None,
) -> float:
    """Tesseract's confidence (0-100) in the word holding `token` right after a word
    matching `label` (or in that word, when OCR glued them: "ngày05", "Số:04") and followed
    by what `follows` matches ("/" of the symbol, "tháng"); 100 for a text layer, 0 when
    no such word holds it (another word reading the same digits elsewhere on the page says
    nothing of this one). `within` limits the search to the page's first words (a header's)."""
    if words is None:
        return 100.0
    want = fold(token).lower().strip()
    folded = _folded(words[:within])
    best = 0.0
    for index, (word, confidence) in enumerate(folded):
        found = label.search(word)
        if found is None or not want:
            continue
        held, sure, at = word[found.end() :], confidence, index
        if not held and index + 1 < len(folded):
            at = index + 1
            held, sure = folded[at]
        if not held.startswith(want):
            continue
        after = held[len(want) :].strip()
        if not after and at + 1 < len(folded):
            after = folded[at + 1][0]
        if follows.match(after):
            best = max(best, sure)
    return best


def read_digits(token: str, confidence: float, *, date_printed: bool = False) -> str | None:
    """A blank's value as digits, or None when it is not believed: digits read with at least
    HANDWRITTEN_MIN_OCR_CONFIDENCE (PRINTED_NUMBER_MIN_OCR_CONFIDENCE for the number of a
    document whose date is `printed`), or look-alike letters (O, l, S...) in a word read
    with at least LOOKALIKE_MIN_OCR_CONFIDENCE; junk never."""
    token = token.strip(".,")
    if _DIGITS.fullmatch(token):
        least = (
            defaults.PRINTED_NUMBER_MIN_OCR_CONFIDENCE
            if date_printed
            else defaults.HANDWRITTEN_MIN_OCR_CONFIDENCE
        )
        return token if confidence >= least else None
    repaired = digits(token)
    if _DIGITS.fullmatch(repaired) and confidence >= defaults.LOOKALIKE_MIN_OCR_CONFIDENCE:
        return repaired
    return None


def printed(token: str, confidence: float) -> bool:
    """Whether a dateline's day reads as print beyond doubt: plain digits in a word read with
    at least PRINTED_DAY_MIN_OCR_CONFIDENCE (ink reads as junk, or as digits Tesseract is
    less sure of). The document's number was then typed with it."""
    sure = confidence >= defaults.PRINTED_DAY_MIN_OCR_CONFIDENCE
    return sure and _DIGITS.fullmatch(token.strip(".,")) is not None
