"""Putting a page's words in reading order: side-by-side blocks one after the other.

Vietnamese administrative documents set blocks side by side: the agency beside the national
motto at the top, "Nơi nhận" beside the signature at the bottom. Read line by line across
the page (as Tesseract and pdfplumber do), their lines interleave and a phrase such as the
agency's name is cut in pieces. A recursive XY-cut splits the page at its widest empty band,
across or down, so each block is read whole, top to bottom and left to right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

COLUMN_GAP = 1.0
"""A band down the page at least one word height wide separates blocks side by side: spaces
between words are a third of that, and the two columns of an agency header may stand barely
more than that apart where their longest lines meet (measured: 1.5 leaves them interleaved,
0.8 starts cutting fields apart)."""


@dataclass(frozen=True)
class WordBox:
    """A word and its box on the page (any unit, y growing downwards)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float


def _widest_gap(spans: list[tuple[float, float]]) -> tuple[float, float]:
    """(width, position) of the widest empty stretch between the spans, (0, 0) if none."""
    spans = sorted(spans)
    best, at = 0.0, 0.0
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach > best:
            best, at = start - reach, (start + reach) / 2
        reach = max(reach, end)
    return best, at


def _lines(words: list[WordBox], height: float) -> list[str]:
    """Words of one block grouped into lines by their vertical middles, left to right."""
    rows: list[list[WordBox]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (word.top + word.bottom) / 2
        if rows and abs(middle - _middle(rows[-1])) <= height / 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [" ".join(w.text for w in sorted(row, key=lambda w: w.left)) for row in rows]


def _middle(row: list[WordBox]) -> float:
    return sum((w.top + w.bottom) / 2 for w in row) / len(row)


def _cut(words: list[WordBox], height: float, out: list[str]) -> None:
    if len(words) <= 1:
        out.extend(w.text for w in words)
        return
    across, y = _widest_gap([(w.top, w.bottom) for w in words])
    down, x = _widest_gap([(w.left, w.right) for w in words])
    if down >= COLUMN_GAP * height and down > across:
        _cut([w for w in words if w.right <= x], height, out)
        _cut([w for w in words if w.right > x], height, out)
    elif across > 0:
        _cut([w for w in words if w.bottom <= y], height, out)
        _cut([w for w in words if w.bottom > y], height, out)
    else:
        out.extend(_lines(words, height))


def reading_order(words: Sequence[WordBox]) -> str:
    """The page's text, one line per output line, blocks in reading order."""
    kept = [w for w in words if w.text.strip() and w.bottom > w.top]
    if not kept:
        return ""
    height = median(w.bottom - w.top for w in kept)
    out: list[str] = []
    _cut(kept, max(height, 1e-6), out)
    return "\n".join(out)
