"""Rendering synthetic documents to page images, as a clean print of the paper would look."""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Sequence

from PIL import Image, ImageChops, ImageDraw

from digitize.fonts import FontFamily
from digitize.synthetic import marks
from digitize.synthetic.document import Line, PageSize, SyntheticDocument
from digitize.synthetic.layout import FontFaces, PageLayout, Shape, layout_page, pil_font

INK = 25
"""Grey level of printed text: laser toner is not quite black."""
PEN = (35, 45, 120)
"""Ballpoint ink of signatures (RGB); its grey equivalent is used in mode L."""
SEAL = (205, 35, 40)
"""Red of official seals (RGB); grey scanners see it as a mid grey."""


def _grey(rgb: tuple[int, int, int]) -> int:
    r, g, b = rgb
    return round(0.299 * r + 0.587 * g + 0.114 * b)


class _Painter:
    """Draws a laid-out page at a resolution: text runs, rules, leaders and marks."""

    def __init__(
        self, layout: PageLayout, faces: FontFaces, dpi: int, color: bool, rng: random.Random
    ) -> None:
        self.k = dpi / 72
        self.color = color
        self.rng = rng
        self.faces = faces
        mode = "RGB" if color else "L"
        size = (round(layout.width * self.k), round(layout.height * self.k))
        self.image = Image.new(mode, size, "white")
        self.draw = ImageDraw.Draw(self.image)
        self.layout = layout

    def ink(self, rgb: tuple[int, int, int] | int) -> tuple[int, int, int] | int:
        if isinstance(rgb, int):
            return (rgb, rgb, rgb) if self.color else rgb
        return rgb if self.color else _grey(rgb)

    def px(self, points: float) -> int:
        return max(1, round(points * self.k))

    def text(self) -> None:
        for run in self.layout.runs:
            font = pil_font(self.faces.path(run.bold, run.italic), round(run.size * self.k))
            self.draw.text(
                (run.x * self.k, run.y * self.k),
                run.text,
                font=font,
                fill=self.ink(INK),
                anchor="ls",
            )

    def shapes(self) -> None:
        for shape in self.layout.shapes:
            painter = getattr(self, f"_shape_{shape.kind}")
            painter(shape)

    def box(self, shape: Shape) -> tuple[float, float, float, float]:
        k = self.k
        return shape.x * k, shape.y * k, (shape.x + shape.w) * k, (shape.y + shape.h) * k

    def _shape_rule(self, shape: Shape) -> None:
        x0, y0, x1, _ = self.box(shape)
        self.draw.line([(x0, y0), (x1, y0)], fill=self.ink(INK), width=self.px(0.7))

    def _shape_dots(self, shape: Shape) -> None:
        """A dotted leader typed as full stops in the regular face, as word processors do
        (shape.h carries the font size)."""
        font = pil_font(self.faces.path(False, False), round(shape.h * self.k))
        dot = float(font.getlength("."))
        count = int(shape.w * self.k // dot) if dot > 0 else 0
        x1 = (shape.x + shape.w) * self.k
        self.draw.text(
            (x1 - count * dot, shape.y * self.k),
            "." * count,
            font=font,
            fill=self.ink(INK),
            anchor="ls",
        )

    def _shape_signature(self, shape: Shape) -> None:
        x0, y0, x1, y1 = self.box(shape)
        w, h = x1 - x0, y1 - y0
        for number, stroke in enumerate(marks.signature_strokes(self.rng)):
            points = [(x0 + u * w, y0 + v * h) for u, v in stroke]
            self.draw.line(
                points,
                fill=self.ink(PEN),
                width=self.px(0.9 if number == 0 else 0.7),
                joint="curve",
            )

    def _shape_seal(self, shape: Shape) -> None:
        """A round seal, multiplied over the page so the text under it stays readable."""
        layer = Image.new(self.image.mode, self.image.size, "white")
        draw = ImageDraw.Draw(layer)
        x0, y0, x1, y1 = self.box(shape)
        cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2
        fill = self.ink(SEAL) if self.color else 150
        for ratio, width in ((1.0, 1.4), (0.93, 0.6), (0.58, 0.8)):
            rr = r * ratio
            draw.ellipse([cx - rr, cy - rr, cx + rr, cy + rr], outline=fill, width=self.px(width))
        draw.polygon(marks.seal_star(cx, cy, r), fill=fill)
        for i in range(36):
            angle = i * math.pi / 18
            inner, outer = r * 0.66, r * 0.86
            draw.line(
                [
                    (cx + math.cos(angle) * inner, cy + math.sin(angle) * inner),
                    (cx + math.cos(angle) * outer, cy + math.sin(angle) * outer),
                ],
                fill=fill,
                width=self.px(1.6),
            )
        self.image = ImageChops.multiply(self.image, layer)
        self.draw = ImageDraw.Draw(self.image)

    def layer(self, shape: Shape) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        """A white canvas the size of a shape's box: drawing on it clips to the box."""
        x0, y0, x1, y1 = self.box(shape)
        canvas = Image.new(
            self.image.mode, (max(1, round(x1 - x0)), max(1, round(y1 - y0))), "white"
        )
        return canvas, ImageDraw.Draw(canvas)

    def paste(self, shape: Shape, canvas: Image.Image) -> None:
        x0, y0, _, _ = self.box(shape)
        self.image.paste(canvas, (round(x0), round(y0)))

    def _shape_photo(self, shape: Shape) -> None:
        canvas, draw = self.layer(shape)
        w, h = canvas.size
        draw.rectangle([0, 0, w, h], fill=self.ink(205))
        grey = self.ink(120)
        draw.ellipse([0.28 * w, 0.12 * h, 0.72 * w, 0.55 * h], fill=grey)
        draw.ellipse([0.08 * w, 0.6 * h, 0.92 * w, 1.25 * h], fill=grey)
        draw.rectangle([0, 0, w - 1, h - 1], outline=self.ink(INK), width=self.px(0.5))
        self.paste(shape, canvas)

    def _shape_sketch(self, shape: Shape) -> None:
        """A parcel outline among neighbouring boundaries, clipped to the sketch frame."""
        canvas, draw = self.layer(shape)
        w, h = canvas.size
        corners, neighbours = marks.sketch_lines(self.rng)
        for (ax, ay), (bx, by) in neighbours:
            draw.line([(ax * w, ay * h), (bx * w, by * h)], fill=self.ink(170), width=self.px(0.4))
        draw.polygon(
            [(u * w, v * h) for u, v in corners], outline=self.ink(INK), width=self.px(1.2)
        )
        draw.rectangle([0, 0, w - 1, h - 1], outline=self.ink(INK), width=self.px(0.5))
        self.paste(shape, canvas)

    def _shape_qr(self, shape: Shape) -> None:
        x0, y0, x1, _ = self.box(shape)
        matrix = marks.qr_modules(self.rng)
        cell = (x1 - x0) / len(matrix)
        for row, cells in enumerate(matrix):
            for col, on in enumerate(cells):
                if on:
                    x, y = x0 + col * cell, y0 + row * cell
                    self.draw.rectangle([x, y, x + cell, y + cell], fill=self.ink(INK))

    def _shape_fingerprint(self, shape: Shape) -> None:
        x0, y0, x1, y1 = self.box(shape)
        self.draw.rectangle([x0, y0, x1, y1], outline=self.ink(INK), width=self.px(0.5))
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        for i in range(1, 12):
            rx, ry = (x1 - x0) * 0.035 * i, (y1 - y0) * 0.04 * i
            self.draw.arc(
                [cx - rx, cy - ry, cx + rx, cy + ry],
                200 - 6 * i,
                520 - 4 * i,
                fill=self.ink(90),
                width=self.px(0.5),
            )


def _card_background(painter: _Painter) -> None:
    """The tinted, rounded card with faint guilloche waves that ID cards have."""
    w, h = painter.image.size
    radius = round(3 * painter.k * 72 / 25.4)
    painter.draw.rounded_rectangle(
        [1, 1, w - 2, h - 2],
        radius,
        fill=painter.ink(242),
        outline=painter.ink(120),
        width=painter.px(0.4),
    )
    for i in range(0, h, max(3, h // 40)):
        points = [(x, i + math.sin(x / w * 9 + i) * h * 0.02) for x in range(0, w, 8)]
        painter.draw.line(points, fill=painter.ink(228), width=1)


def _page_rng(lines: Sequence[Line]) -> random.Random:
    text = "\n".join(line.text for line in lines)
    return random.Random(zlib.crc32(text.encode("utf-8")))  # noqa: S311  # not crypto: scribbles


def render_page(
    lines: Sequence[Line],
    family: FontFamily,
    *,
    dpi: int = 300,
    size: PageSize = "a4",
    rng: random.Random | None = None,
    color: bool = False,
) -> Image.Image:
    """Renders one page: mode L on white (RGB with a red seal and blue ink if color=True).

    rng draws the handwritten parts (signatures, sketches); without one they are derived
    from the page's text, so the same page always renders to the same pixels.
    """
    faces = FontFaces(family, dpi / 72)
    layout = layout_page(lines, faces.measure, size)
    painter = _Painter(layout, faces, dpi, color, rng or _page_rng(lines))
    if size == "card":
        _card_background(painter)
    painter.shapes()
    painter.text()
    image = painter.image
    image.info["dpi"] = (dpi, dpi)
    return image


def render_document(
    doc: SyntheticDocument,
    family: FontFamily,
    *,
    dpi: int = 300,
    rng: random.Random | None = None,
    color: bool = False,
) -> list[Image.Image]:
    """Renders every page of a document at its page size."""
    return [
        render_page(page, family, dpi=dpi, size=doc.page_size, rng=rng, color=color)
        for page in doc.pages
    ]
