"""Putting a page's words in reading order: side-by-side blocks one after the other.

Vietnamese administrative documents set blocks side by side: the agency beside the national
motto at the top, two signature blocks (role, signature space, name) at the bottom. Read
line by line across the page, as Tesseract and pdfplumber do, their lines interleave: the
agency's name is cut in pieces and two signers' names run together. Here the page is read
as lines top to bottom; consecutive lines that keep a common empty gutter form a zone, and a
zone with at least two lines on each side of its gutter is read column by column. Blank
space (a signature's) does not end a zone; a line that crosses the gutter does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

COLUMN_GAP = 1.0
"""A gutter is at least one word height wide: spaces between words are a third of that, and
the two columns of an agency header may stand barely more than that apart where their
longest lines meet."""
STANDOUT = 2.5
"""A gutter is at least this many times wider than the line's typical space between words."""
MIN_BLOCK_LINES = 2
"""Side-by-side blocks are told from the fields of a form line, or a line that wraps back to
the margin, by having at least this many lines on each side."""
ONE_SIDED_GAP = 0.4
"""A line standing wholly on one side of a gutter may narrow it to this share of the gutter's
least width: it is evidence of where a block's lines end, not of a line crossing over
(wrapped agency names reach to within half a word height of the motto)."""


@dataclass(frozen=True)
class WordBox:
    """A word and its box on the page (any unit, y growing downwards)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


Line = list[WordBox]
Band = tuple[float, float]


def _lines(words: Sequence[WordBox], height: float) -> list[Line]:
    """Words grouped into lines by their vertical middles; each line left to right."""
    rows: list[Line] = []
    for word in sorted(words, key=lambda w: w.middle):
        if (
            rows
            and abs(word.middle - sum(w.middle for w in rows[-1]) / len(rows[-1])) <= height / 2
        ):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.left) for row in rows]


def _text(line: Line) -> str:
    return " ".join(w.text for w in line)


def _widest_inner_gap(line: Line) -> Band | None:
    """The widest space between two words of a line, if it stands out from the line's other
    spaces: a gutter does, the even spacing of a letter-spaced title does not."""
    gaps: list[Band] = []
    reach = line[0].right
    for word in line[1:]:
        gaps.append((reach, word.left))
        reach = max(reach, word.right)
    if not gaps:
        return None
    widths = sorted(b - a for a, b in gaps)
    best = max(gaps, key=lambda g: g[1] - g[0])
    others = widths[:-1]
    if others and best[1] - best[0] < STANDOUT * median(others):
        return None
    return best


def _narrowed(band: Band, line: Line) -> Band:
    """The band left empty by a line's words, each of which stays on its side of the band."""
    middle = (band[0] + band[1]) / 2
    lo, hi = band
    for word in line:
        if word.centre < middle:
            lo = max(lo, word.right)
        else:
            hi = min(hi, word.left)
    return lo, hi


def _one_sided(line: Line, band: Band) -> Band | None:
    """The band narrowed by a line standing wholly on one side of it (every word ending
    before its right edge, or every word starting after its left edge); None for a line
    with words on both sides or one across it."""
    if all(w.right <= band[1] for w in line):
        return max(band[0], *(w.right for w in line)), band[1]
    if all(w.left >= band[0] for w in line):
        return band[0], min(band[1], *(w.left for w in line))
    return None


def _zone(lines: list[Line], start: int, min_gap: float) -> tuple[int, Band | None]:
    """How many lines from `start` keep a common gutter at least min_gap wide, and the gutter."""
    band = _widest_inner_gap(lines[start])
    if band is None or band[1] - band[0] < min_gap:
        return 1, None
    end = start + 1
    while end < len(lines):
        one_side = _one_sided(lines[end], band)
        narrowed = one_side or _narrowed(band, lines[end])
        need = min_gap * (ONE_SIDED_GAP if one_side else 1.0)
        if narrowed[1] - narrowed[0] < need:
            break
        band, end = narrowed, end + 1
    return end - start, band


def _columns(zone: list[Line], band: Band, out: list[str]) -> None:
    """A zone's left block, then its right one; right-hand lines standing above the whole
    left block (a dateline over a signature) come first, as they are seen first."""
    middle = (band[0] + band[1]) / 2
    left = [line for line in ([w for w in ln if w.centre < middle] for ln in zone) if line]
    right = [line for line in ([w for w in ln if w.centre >= middle] for ln in zone) if line]
    if min(len(left), len(right)) < MIN_BLOCK_LINES:
        out.extend(_text(line) for line in zone)
        return
    left_top = min(w.top for w in left[0])
    out.extend(_text(line) for line in right if max(w.bottom for w in line) <= left_top)
    out.extend(_text(line) for line in left)
    out.extend(_text(line) for line in right if max(w.bottom for w in line) > left_top)


def median_height(words: Sequence[WordBox]) -> float | None:
    """The median height of the words' boxes (the page's print size); None for no words."""
    return median(w.bottom - w.top for w in words) if words else None


def reading_order(words: Sequence[WordBox]) -> str:
    """The page's text, one line per output line, side-by-side blocks one after the other."""
    kept = [w for w in words if w.text.strip() and w.bottom > w.top]
    if not kept:
        return ""
    height = median_height(kept) or 0.0
    lines = _lines(kept, height)
    out: list[str] = []
    index = 0
    while index < len(lines):
        count, band = _zone(lines, index, COLUMN_GAP * height)
        if band is None or count < MIN_BLOCK_LINES:
            out.extend(_text(line) for line in lines[index : index + count])
        else:
            _columns(lines[index : index + count], band, out)
        index += count
    return "\n".join(out)
