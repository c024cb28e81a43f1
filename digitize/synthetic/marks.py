"""Shapes of hand-made marks (signatures, parcel sketches, QR codes), shared by both renderers."""

from __future__ import annotations

import math
import random

Point = tuple[float, float]
"""A position relative to the mark's box (0..1 across, 0..1 down), so the image renderer
and the PDF writer draw the same scribble from the same rng."""

QR_MODULES = 25
"""Modules per side of the QR-like square."""


def signature_strokes(rng: random.Random) -> list[list[Point]]:
    """A cursive-looking scribble: a looping stroke drifting right, then an underline."""
    omega, phase = rng.uniform(22, 40), rng.uniform(0, math.pi)
    loop, start, span = rng.uniform(0.02, 0.04), rng.uniform(0.1, 0.25), rng.uniform(0.5, 0.7)
    wobble = rng.uniform(2, 4)
    stroke: list[Point] = []
    for i in range(240):
        t = i / 239
        amp = 0.18 + 0.14 * math.sin(t * wobble + phase)
        stroke.append(
            (
                start + span * t + loop * math.cos(omega * t),
                0.5 + amp * math.sin(omega * t + phase) - 0.2 * t,
            )
        )
    end_x, end_y = stroke[-1]
    flourish = [(start, 0.75), (end_x + 0.1, end_y + 0.25)]
    return [stroke, flourish]


def sketch_lines(rng: random.Random) -> tuple[list[Point], list[tuple[Point, Point]]]:
    """A parcel (four corners) and its neighbours' boundaries (its sides extended)."""
    corners = [
        (
            0.5 + 0.22 * rng.uniform(0.7, 1.1) * math.cos(a),
            0.5 + 0.35 * rng.uniform(0.7, 1.1) * math.sin(a),
        )
        for a in (0.8, 2.3, 3.9, 5.5)
    ]
    neighbours = []
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1], strict=True):
        dx, dy = bx - ax, by - ay
        neighbours.append(((ax - dx, ay - dy), (bx + dx, by + dy)))
    return corners, neighbours


def _finder_cell(row: int, col: int, n: int) -> tuple[int, int] | None:
    """Position inside one of a QR code's three 7x7 finder squares, or None."""
    for r0, c0 in ((0, 0), (0, n - 7), (n - 7, 0)):
        if r0 <= row < r0 + 7 and c0 <= col < c0 + 7:
            return row - r0, col - c0
    return None


def qr_modules(rng: random.Random, n: int = QR_MODULES) -> list[list[bool]]:
    """A QR-looking matrix: three finder squares (dark ring, light ring, dark centre) and
    random data modules. It decodes to nothing; it only has to look like a QR code."""
    matrix = []
    for row in range(n):
        cells = []
        for col in range(n):
            local = _finder_cell(row, col, n)
            if local is None:
                cells.append(rng.random() < 0.5)
            else:
                cells.append(max(abs(local[0] - 3), abs(local[1] - 3)) != 2)
        matrix.append(cells)
    return matrix


def seal_star(cx: float, cy: float, r: float) -> list[Point]:
    """The five-pointed star in the middle of a seal of radius r."""
    points = []
    for i in range(10):
        angle = math.pi / 2 + i * math.pi / 5
        radius = r * (0.3 if i % 2 == 0 else 0.12)
        points.append((cx + math.cos(angle) * radius, cy - math.sin(angle) * radius))
    return points
