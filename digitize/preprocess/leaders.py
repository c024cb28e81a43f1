"""Finding dotted leaders, the rows of full stops after form labels that OCR reads as junk.

Found among the analysis copy's components (cheap), painted over on the full-size copy.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from digitize.preprocess.images import Glyphs, Gray, map_points

MM = 1 / 25.4
DOT_MAX_MM = 0.9
"""A leader dot is no larger than this (a full stop at 14 pt is about 0.5 mm)."""
DOT_GAP_MAX_MM = 3.0
"""Leader dots follow each other at most this far apart (one full stop and a space)."""
MIN_DOTS = 6
"""Fewer dots in a row are an ellipsis or punctuation, and are left alone."""
MAX_SPACING_SPREAD = 0.35
"""Typed leaders are evenly spaced; dots under letters (ạ, ệ, ộ) in a row of text are not."""

Box = tuple[float, float, float, float]
"""left, top, right, bottom in pixels of the turned analysis copy."""


def _rows(dots: npt.NDArray[np.float64], tolerance: float) -> list[npt.NDArray[np.float64]]:
    """Dots grouped by baseline: sorted by height, split where the height jumps."""
    by_y = dots[np.argsort(dots[:, 1])]
    breaks = np.flatnonzero(np.diff(by_y[:, 1]) > tolerance) + 1
    return [row[np.argsort(row[:, 0])] for row in np.split(by_y, breaks)]


def _even(xs: npt.NDArray[np.float64]) -> bool:
    gaps = np.diff(xs)
    return bool(np.std(gaps) <= MAX_SPACING_SPREAD * np.mean(gaps))


def leader_boxes(glyphs: Glyphs, turn: npt.NDArray[np.float64], dpi: float) -> list[Box]:
    """Boxes around each run of MIN_DOTS or more dots, evenly spaced on one baseline, in the
    frame the 2x3 `turn` maps the components into (where text lines run straight across)."""
    largest = max(2.0, DOT_MAX_MM * MM * dpi)
    w, h = glyphs.boxes[:, 2], glyphs.boxes[:, 3]
    dot = (w <= largest) & (h <= largest) & (w <= 2 * h) & (h <= 2 * w)
    if np.count_nonzero(dot) < MIN_DOTS:
        return []
    centres = map_points(glyphs.centres[dot], turn)
    max_gap = DOT_GAP_MAX_MM * MM * dpi
    tolerance = max(1.0, 0.3 * DOT_MAX_MM * MM * dpi)
    half = largest / 2
    boxes: list[Box] = []
    for row in _rows(centres, tolerance):
        breaks = np.flatnonzero(np.diff(row[:, 0]) > max_gap) + 1
        for run in np.split(row, breaks):
            if len(run) >= MIN_DOTS and _even(run[:, 0]):
                xs, ys = run[:, 0], run[:, 1]
                boxes.append((xs.min() - half, ys.min() - half, xs.max() + half, ys.max() + half))
    return boxes


def paint_over(gray: Gray, boxes: list[Box], scale: float) -> Gray:
    """The image with each box (given at 1/scale of its size) painted paper-white."""
    out = gray.copy()
    height, width = out.shape
    for left, top, right, bottom in boxes:
        x0, y0 = max(0, int(left * scale)), max(0, int(top * scale))
        x1, y1 = min(width, int(np.ceil(right * scale))), min(height, int(np.ceil(bottom * scale)))
        out[y0:y1, x0:x1] = 255
    return out
