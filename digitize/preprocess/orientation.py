"""Telling an upright page from an upside-down one by where the ink sits around each line.

In Vietnamese (and Latin) print, ascenders, capitals and the many tone marks stand above the
x-height band far more often than descenders and dots fall below it. Summed over every text
line, the balance says which way up the page is, in milliseconds; where it is too even to
trust, Tesseract's orientation detector decides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

CORE_SHARE = 0.5
"""Rows of a line holding at least this share of its densest row form its x-height band."""
MIN_LINE_ROWS = 3
MIN_LINES = 4
"""Fewer text lines than this say nothing reliable about orientation."""


@dataclass(frozen=True)
class Upright:
    """Whether the lines read upright, and how lopsided the evidence is (-1 to 1)."""

    flipped: bool
    balance: float
    """(ink above - ink below) / (ink above + ink below) over all lines; > 0 for upright."""
    lines: int


def _runs(active: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    padded = np.concatenate(([False], active, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _line_balance(profile: npt.NDArray[np.float64]) -> tuple[float, float]:
    """Ink above and below the x-height band of one line's row profile."""
    core = np.flatnonzero(profile >= CORE_SHARE * profile.max())
    top, bottom = int(core[0]), int(core[-1]) + 1
    return float(profile[:top].sum()), float(profile[bottom:].sum())


def judge_upright(profile: npt.NDArray[np.float64]) -> Upright:
    """Read the line balance from the ink per row of a page whose lines run straight across."""
    active = profile > max(1.0, 0.02 * float(profile.max(initial=0.0)))
    above = below = 0.0
    lines = 0
    for start, end in _runs(active):
        if end - start < MIN_LINE_ROWS:
            continue
        a, b = _line_balance(profile[start:end])
        above += a
        below += b
        lines += 1
    total = above + below
    balance = (above - below) / total if total else 0.0
    return Upright(flipped=balance < 0 and lines >= MIN_LINES, balance=balance, lines=lines)
