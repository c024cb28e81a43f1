"""Where a page image goes on its PDF page once turned upright: sizes and the drawing matrix."""

from __future__ import annotations

import math
from dataclasses import dataclass

Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class Placement:
    """A page of width x height points with the image drawn through `matrix`."""

    width: float
    height: float
    matrix: Matrix
    """PDF `cm` operands mapping the image's unit square onto the page."""


def place(width_pt: float, height_pt: float, clockwise_degrees: float) -> Placement:
    """Draw a width x height image turned clockwise by the angle, on a page just large enough.

    The same turn applied to the OCR working image puts the recognised text where the
    displayed image shows it, so the invisible text layer lines up with the words.
    """
    rad = math.radians(clockwise_degrees)
    cos, sin = _clean(math.cos(rad)), _clean(math.sin(rad))
    a, b, c, d = width_pt * cos, -width_pt * sin, height_pt * sin, height_pt * cos
    corners = [(0.0, 0.0), (a, b), (c, d), (a + c, b + d)]
    min_x = min(x for x, _ in corners)
    min_y = min(y for _, y in corners)
    page_w = max(x for x, _ in corners) - min_x
    page_h = max(y for _, y in corners) - min_y
    return Placement(page_w, page_h, (a, b, c, d, -min_x, -min_y))


def _clean(value: float) -> float:
    """Exact zeros and ones for right angles, so 90-degree turns give exact page sizes."""
    rounded = round(value)
    return float(rounded) if abs(value - rounded) < 1e-12 else value
