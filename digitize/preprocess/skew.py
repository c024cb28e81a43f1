"""Finding which way the text lines run and how far they lean, from the ink itself.

Tesseract's own angle estimate (what OCRmyPDF's --deskew trusts) is only reliable to about
3 degrees. Here the projection profile of the ink is scored over candidate angles: text lines
seen exactly edge-on give the sharpest profile. It works on any angle in the search range,
and telling lines that run across from lines that run down also tells a sideways page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from digitize.preprocess.images import Points

MAX_SKEW = 10.0
"""Largest lean searched for, in degrees, either way."""
STEPS = (1.0, 0.2, 0.05)
"""Coarse-to-fine search: each pass scans the previous step's neighbourhood at this step."""
MAX_SAMPLES = 25_000
"""Ink pixels used for scoring; more add time, not precision."""
SIDEWAYS_MARGIN = 1.15
"""Lines running down must profile this much sharper than lines running across to turn a
page a quarter: text pages differ by far more, blank or pictorial ones by less."""
MIN_POINTS = 50


@dataclass(frozen=True)
class Lean:
    """How the text lies, and the ink's row profile once it is turned straight."""

    quarter: int
    """0, or 90 when the page must be turned a quarter clockwise for lines to run across."""
    skew: float
    """Further clockwise degrees that straighten the lines."""
    sharpness: float
    """Profile score at the chosen angle; ~0 means no text lines were found."""
    profile: npt.NDArray[np.float64]
    """Ink per row of the straightened page, top to bottom."""


def _projected(down: Points, degrees: float) -> npt.NDArray[np.float64]:
    """Distance of each point along the page's 'down' once turned clockwise by degrees."""
    rad = math.radians(degrees)
    return np.asarray(down[:, 1] * math.cos(rad) + down[:, 0] * math.sin(rad))


def _histogram(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.bincount((values - values.min()).astype(np.int64)).astype(np.float64)


def _score(down: Points, degrees: float) -> float:
    return float(np.sum(np.diff(_histogram(_projected(down, degrees))) ** 2)) / max(1, len(down))


def _best_angle(down: Points) -> tuple[float, float]:
    center, span = 0.0, MAX_SKEW
    best = (0.0, -1.0)
    for step in STEPS:
        candidates = np.arange(center - span, center + span + 1e-9, step)
        scored = [(float(a), _score(down, float(a))) for a in candidates]
        best = max(scored, key=lambda pair: pair[1])
        center, span = best[0], step
    return best


def _sample(points: Points) -> Points:
    if len(points) <= MAX_SAMPLES:
        return points
    pick = np.random.default_rng(0).choice(len(points), MAX_SAMPLES, replace=False)
    return points[pick]


def sideways(points: Points) -> Points:
    """The same points as seen after a quarter turn clockwise (up to a shift): old x is the
    new 'down', and old y grows to the left."""
    return np.column_stack((-points[:, 1], points[:, 0]))


def find_lean(points: Points) -> Lean:
    """The quarter turn and skew that make text lines run straight across."""
    if len(points) < MIN_POINTS:
        return Lean(0, 0.0, 0.0, np.zeros(1))
    sample = _sample(points)
    across_angle, across = _best_angle(sample)
    down_angle, down = _best_angle(sideways(sample))
    quarter, angle, sharpness = (
        (90, down_angle, down) if down > across * SIDEWAYS_MARGIN else (0, across_angle, across)
    )
    frame = sideways(points) if quarter else points
    return Lean(quarter, round(angle, 2), sharpness, _histogram(_projected(frame, angle)))
