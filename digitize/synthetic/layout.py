"""Page layout in points, shared by the image renderer and the PDF writer so both agree."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from digitize.fonts import FontFamily
from digitize.synthetic.document import Align, Column, Line, Mark, PageSize, Style

MM = 72 / 25.4
"""Points per millimetre."""

Measure = Callable[[str, bool, bool, float], float]
"""Width in points of a text in a face (bold, italic) at a size in points."""

_MEASURE_SIZE = 200
"""Size at which fonts are measured; widths scale linearly from it."""

FIT_SCALES = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65)
"""Shrink factors tried, largest first, until a page's content fits its height."""


@dataclass(frozen=True)
class Geometry:
    """Paper size, margins and type sizes of a page size."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    split: float
    """Width of the left column of two-column blocks, from the left margin, in points."""
    sizes: dict[Style, float]
    leading: float = 1.3


_A4_SIZES = {
    Style.NATIONAL_HEADER: 12.0,
    Style.MOTTO: 13.0,
    Style.TITLE: 14.5,
    Style.HEADING: 13.0,
    Style.BODY: 13.0,
    Style.FIELD: 13.0,
    Style.SIGNATURE: 13.0,
    Style.SMALL: 11.0,
    Style.SPACE: 13.0,
}
_CARD_SIZES = {
    Style.NATIONAL_HEADER: 5.6,
    Style.MOTTO: 5.6,
    Style.TITLE: 8.5,
    Style.HEADING: 5.0,
    Style.BODY: 6.0,
    Style.FIELD: 6.0,
    Style.SIGNATURE: 6.0,
    Style.SMALL: 4.8,
    Style.SPACE: 6.0,
}
GEOMETRIES: dict[PageSize, Geometry] = {
    "a4": Geometry(210 * MM, 297 * MM, 30 * MM, 20 * MM, 18 * MM, 18 * MM, 62 * MM, _A4_SIZES),
    "card": Geometry(
        85.6 * MM, 54 * MM, 3 * MM, 3 * MM, 2.5 * MM, 2 * MM, 25 * MM, _CARD_SIZES, leading=1.22
    ),
}


@dataclass(frozen=True)
class TextRun:
    """A string drawn at a baseline position (points from the page's top-left)."""

    x: float
    y: float
    text: str
    size: float
    bold: bool
    italic: bool


@dataclass(frozen=True)
class Shape:
    """A graphic in a box (points from the top-left): rule, dots or a Mark's drawing."""

    kind: str
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class PageLayout:
    """Everything on one page, positioned: what both renderers draw."""

    width: float
    height: float
    runs: tuple[TextRun, ...]
    shapes: tuple[Shape, ...]
    scale: float
    """Shrink factor that made the content fit (1.0 when it fitted at full size)."""


class FontFaces:
    """The faces of a family and a width measure in points for the layout.

    With px_per_pt, widths are measured at the pixel size the renderer will draw, because
    hinting makes small pixel sizes wider than linear scaling predicts; without it they are
    the outline's linear widths, which is what a PDF viewer draws.
    """

    def __init__(self, family: FontFamily, px_per_pt: float | None = None) -> None:
        self.family = family
        self.px_per_pt = px_per_pt

    def path(self, bold: bool, italic: bool) -> Path:
        """The face file for a style; italic falls back to regular when missing."""
        f = self.family
        if bold and italic and f.bold_italic:
            return f.bold_italic
        if italic and not bold and f.italic:
            return f.italic
        return f.bold if bold else f.regular

    def measure(self, text: str, bold: bool, italic: bool, size: float) -> float:
        """Width of a text in points."""
        path = str(self.path(bold, italic))
        if self.px_per_pt:
            px = max(1, round(size * self.px_per_pt))
            return float(_pil_font(path, px).getlength(text)) / self.px_per_pt
        return float(_pil_font(path, _MEASURE_SIZE).getlength(text)) * size / _MEASURE_SIZE


@functools.cache
def _pil_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


def pil_font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    """A cached PIL font at a pixel size (basic layout: fast, and NFC needs no shaping)."""
    return _pil_font(str(path), size_px)


def wrap(
    text: str, width: float, measure: Callable[[str], float], first_indent: float = 0.0
) -> list[str]:
    """Greedy word wrap of text to a width; a word longer than the width gets its own line."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        limit = width - (first_indent if not lines else 0.0)
        if current and measure(candidate) > limit:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


_SPACE_BEFORE = {Style.TITLE: 0.9, Style.HEADING: 0.3}
"""Extra space above a line, in multiples of its font size."""
_SPACE_AFTER = {Style.TITLE: 0.35, Style.MOTTO: 0.2}


class _Layouter:
    """Places the lines of one page at one scale; collects runs and shapes."""

    def __init__(self, geometry: Geometry, measure: Measure, scale: float) -> None:
        self.g = geometry
        self.measure = measure
        self.scale = scale
        self.runs: list[TextRun] = []
        self.shapes: list[Shape] = []

    def size(self, style: Style) -> float:
        return self.g.sizes[style] * self.scale

    def page(self, lines: Sequence[Line]) -> float:
        """Lays out a page; returns the y where the content ends."""
        g = self.g
        x0, x1 = g.left, g.width - g.right
        y = g.top
        index = 0
        while index < len(lines):
            if lines[index].column is Column.FULL:
                y = self.line(lines[index], x0, x1, y)
                index += 1
                continue
            end = index
            while end < len(lines) and lines[end].column is not Column.FULL:
                end += 1
            y = self.columns(lines[index:end], y)
            index = end
        return y

    def columns(self, block: Sequence[Line], y: float) -> float:
        """A two-column block: left and right lines laid out side by side from the same y."""
        g = self.g
        gap = 0.5 * self.size(Style.BODY) if y > g.top else 0.0
        split = g.left + g.split
        y_left = y_right = y + gap
        for line in block:
            if line.column is Column.LEFT:
                y_left = self.line(line, g.left, split, y_left)
            else:
                y_right = self.line(line, split, g.width - g.right, y_right)
        return max(y_left, y_right) + gap

    def line(self, line: Line, x0: float, x1: float, y: float) -> float:
        if line.style is Style.SPACE:
            return self.space(line, x0, x1, y)
        size = self.size(line.style)
        y += _SPACE_BEFORE.get(line.style, 0.0) * size
        indent = line.indent_mm * MM * self.scale
        parts = wrap(
            line.text, x1 - x0, lambda s: self.measure(s, line.bold, line.italic, size), indent
        )
        for number, part in enumerate(parts):
            width = self.measure(part, line.bold, line.italic, size)
            start = x0 + (indent if number == 0 else 0.0)
            if line.align is Align.CENTER:
                start = x0 + (x1 - x0 - width) / 2
            elif line.align is Align.RIGHT:
                start = x1 - width
            baseline = y + size
            self.runs.append(TextRun(start, baseline, part, size, line.bold, line.italic))
            y += size * self.g.leading
            if line.underline and number == len(parts) - 1:
                self.underline(line, start, width, baseline + 0.3 * size)
                y += 0.15 * size
            if line.leader and number == len(parts) - 1 and x1 - (start + width) > size:
                self.shapes.append(
                    Shape(
                        "dots",
                        start + width + 0.3 * size,
                        baseline,
                        x1 - start - width - 0.3 * size,
                        size,
                    )
                )
        return y + _SPACE_AFTER.get(line.style, 0.0) * size

    def underline(self, line: Line, start: float, width: float, y: float) -> None:
        """The rule under the motto (its width) or an agency name (a centred third)."""
        if line.style is Style.MOTTO:
            self.shapes.append(Shape("rule", start, y, width, 0.0))
            return
        short = width * 0.4
        self.shapes.append(Shape("rule", start + (width - short) / 2, y, short, 0.0))

    def space(self, line: Line, x0: float, x1: float, y: float) -> float:
        h = line.height_mm * MM * self.scale
        centre = (x0 + x1) / 2
        mark = line.mark
        if mark in (Mark.SIGNATURE, Mark.SEAL):
            w = min(x1 - x0, 40 * MM * self.scale)
            self.shapes.append(Shape("signature", centre - w / 2, y, w, h))
            if mark is Mark.SEAL:
                d = min(h * 1.7, 34 * MM * self.scale)
                self.shapes.append(Shape("seal", centre - 0.85 * d, y + h / 2 - d / 2, d, d))
        elif mark is Mark.SKETCH:
            self.shapes.append(Shape("sketch", x0, y, x1 - x0, h))
        elif mark in (Mark.PHOTO, Mark.QR, Mark.FINGERPRINT):
            w = h * 0.75 if mark is Mark.PHOTO else h
            self.shapes.append(Shape(mark.value, centre - w / 2, y, w, h))
        return y + h


def layout_page(lines: Sequence[Line], measure: Measure, size: PageSize = "a4") -> PageLayout:
    """Positions every line of a page, shrinking type until the content fits the height.

    Templates decide page breaks, so a page that overflows is shrunk (down to 65%) rather
    than split: a real form that is too long is printed smaller, not reflowed.
    """
    geometry = GEOMETRIES[size]
    limit = geometry.height - geometry.bottom
    layouter = _Layouter(geometry, measure, FIT_SCALES[-1])
    for scale in FIT_SCALES:
        layouter = _Layouter(geometry, measure, scale)
        if layouter.page(lines) <= limit:
            break
    return PageLayout(
        geometry.width,
        geometry.height,
        tuple(layouter.runs),
        tuple(layouter.shapes),
        layouter.scale,
    )
