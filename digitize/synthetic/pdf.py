"""Born-digital PDFs of synthetic documents: embedded TrueType fonts and a real text layer."""

from __future__ import annotations

import math
import random
import zlib
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from digitize.fonts import FontFamily
from digitize.synthetic import marks
from digitize.synthetic.document import SyntheticDocument
from digitize.synthetic.layout import FontFaces, PageLayout, Shape, layout_page

_INK = Color(0.1, 0.1, 0.1)
_PEN = Color(0.14, 0.18, 0.47)
_SEAL = Color(0.8, 0.14, 0.16)
_FACES = ((False, False), (True, False), (False, True), (True, True))


def _font_name(family: FontFamily, bold: bool, italic: bool) -> str:
    style = ("Bold" if bold else "") + ("Italic" if italic else "")
    return f"{family.name.replace(' ', '')}-{style or 'Regular'}"


def register_family(family: FontFamily) -> None:
    """Registers the family's faces with reportlab (idempotent), to be embedded as subsets."""
    faces = FontFaces(family)
    registered = set(pdfmetrics.getRegisteredFontNames())
    for bold, italic in _FACES:
        name = _font_name(family, bold, italic)
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(faces.path(bold, italic))))


class _PdfPainter:
    """Draws one laid-out page on a reportlab canvas (y grows downwards in the layout)."""

    def __init__(
        self, canvas: Canvas, layout: PageLayout, family: FontFamily, rng: random.Random
    ) -> None:
        self.c = canvas
        self.layout = layout
        self.family = family
        self.rng = rng

    def y(self, top: float) -> float:
        return self.layout.height - top

    def text(self) -> None:
        self.c.setFillColor(_INK)
        for run in self.layout.runs:
            self.c.setFont(_font_name(self.family, run.bold, run.italic), run.size)
            self.c.drawString(run.x, self.y(run.y), run.text)

    def shapes(self) -> None:
        for shape in self.layout.shapes:
            getattr(self, f"_shape_{shape.kind}")(shape)

    def _shape_rule(self, s: Shape) -> None:
        self.c.setStrokeColor(_INK)
        self.c.setLineWidth(0.7)
        self.c.line(s.x, self.y(s.y), s.x + s.w, self.y(s.y))

    def _shape_dots(self, s: Shape) -> None:
        c = self.c
        c.saveState()
        c.setStrokeColor(_INK)
        c.setLineWidth(0.9)
        c.setLineCap(1)
        c.setDash([0.01, 3.3])
        c.line(s.x, self.y(s.y) + 0.45, s.x + s.w, self.y(s.y) + 0.45)
        c.restoreState()

    def _shape_signature(self, s: Shape) -> None:
        c = self.c
        c.setStrokeColor(_PEN)
        c.setLineWidth(0.8)
        for stroke in marks.signature_strokes(self.rng):
            path = c.beginPath()
            (u0, v0), rest = stroke[0], stroke[1:]
            path.moveTo(s.x + u0 * s.w, self.y(s.y + v0 * s.h))
            for u, v in rest:
                path.lineTo(s.x + u * s.w, self.y(s.y + v * s.h))
            c.drawPath(path, stroke=1, fill=0)

    def _shape_seal(self, s: Shape) -> None:
        c = self.c
        cx, cy, r = s.x + s.w / 2, self.y(s.y + s.h / 2), s.w / 2
        c.saveState()
        c.setStrokeColor(_SEAL)
        c.setFillColor(_SEAL)
        for ratio, width in ((1.0, 1.4), (0.93, 0.6), (0.58, 0.8)):
            c.setLineWidth(width)
            c.circle(cx, cy, r * ratio, stroke=1, fill=0)
        c.setLineWidth(1.6)
        for i in range(36):
            angle = i * math.pi / 18
            c.line(
                cx + math.cos(angle) * r * 0.66,
                cy + math.sin(angle) * r * 0.66,
                cx + math.cos(angle) * r * 0.86,
                cy + math.sin(angle) * r * 0.86,
            )
        star = [(x, 2 * cy - y) for x, y in marks.seal_star(cx, cy, r)]  # y grows upwards
        path = c.beginPath()
        path.moveTo(*star[0])
        for point in star[1:]:
            path.lineTo(*point)
        path.close()
        c.drawPath(path, stroke=0, fill=1)
        c.restoreState()

    def _shape_photo(self, s: Shape) -> None:
        c = self.c
        c.saveState()
        c.setFillColor(Color(0.8, 0.8, 0.8))
        c.setStrokeColor(_INK)
        c.rect(s.x, self.y(s.y + s.h), s.w, s.h, stroke=1, fill=1)
        c.setFillColor(Color(0.47, 0.47, 0.47))
        c.ellipse(
            s.x + 0.28 * s.w,
            self.y(s.y + 0.55 * s.h),
            s.x + 0.72 * s.w,
            self.y(s.y + 0.12 * s.h),
            stroke=0,
            fill=1,
        )
        c.restoreState()

    def _shape_sketch(self, s: Shape) -> None:
        c = self.c
        corners, neighbours = marks.sketch_lines(self.rng)
        c.saveState()
        clip = c.beginPath()
        clip.rect(s.x, self.y(s.y + s.h), s.w, s.h)
        c.clipPath(clip, stroke=1, fill=0)
        c.setStrokeColor(Color(0.65, 0.65, 0.65))
        c.setLineWidth(0.4)
        for (ax, ay), (bx, by) in neighbours:
            c.line(s.x + ax * s.w, self.y(s.y + ay * s.h), s.x + bx * s.w, self.y(s.y + by * s.h))
        c.setStrokeColor(_INK)
        c.setLineWidth(1.2)
        path = c.beginPath()
        path.moveTo(s.x + corners[0][0] * s.w, self.y(s.y + corners[0][1] * s.h))
        for u, v in corners[1:]:
            path.lineTo(s.x + u * s.w, self.y(s.y + v * s.h))
        path.close()
        c.drawPath(path, stroke=1, fill=0)
        c.restoreState()

    def _shape_qr(self, s: Shape) -> None:
        matrix = marks.qr_modules(self.rng)
        cell = s.w / len(matrix)
        self.c.setFillColor(_INK)
        for row, cells in enumerate(matrix):
            for col, on in enumerate(cells):
                if on:
                    self.c.rect(
                        s.x + col * cell,
                        self.y(s.y + (row + 1) * cell),
                        cell,
                        cell,
                        stroke=0,
                        fill=1,
                    )

    def _shape_fingerprint(self, s: Shape) -> None:
        self.c.setStrokeColor(_INK)
        self.c.rect(s.x, self.y(s.y + s.h), s.w, s.h, stroke=1, fill=0)


def write_born_digital_pdf(doc: SyntheticDocument, path: Path | str, family: FontFamily) -> Path:
    """Writes the document as an office's software would print it to PDF: A4 (or card
    size), the family's faces embedded, every line a selectable string in NFC.

    The file is byte-for-byte reproducible (reportlab's invariant mode), like the images.
    """
    out = Path(path)
    register_family(family)

    def measure(text: str, bold: bool, italic: bool, size: float) -> float:
        return float(pdfmetrics.stringWidth(text, _font_name(family, bold, italic), size))

    rng = random.Random(zlib.crc32(doc.text.encode("utf-8")))  # noqa: S311  # not crypto
    first = layout_page(doc.pages[0], measure, doc.page_size)
    canvas = Canvas(
        str(out),
        pagesize=(first.width, first.height),
        invariant=1,
        initialFontName=_font_name(family, False, False),
    )  # not Helvetica
    canvas.setTitle(doc.title)
    canvas.setSubject(doc.doc_type)
    canvas.setCreator("sohoa synthetic documents")
    for page in doc.pages:
        layout = layout_page(page, measure, doc.page_size)
        painter = _PdfPainter(canvas, layout, family, rng)
        painter.shapes()
        painter.text()
        canvas.showPage()
    canvas.save()
    return out
