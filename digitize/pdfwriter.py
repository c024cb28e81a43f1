"""Writing the searchable PDF: scans drawn upright, invisible text over them, PDF/A-2b."""

from __future__ import annotations

import logging
import math
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import pikepdf
import pikepdf.pdfa
from pikepdf import Dictionary, Name, Pdf

from digitize._exec.tesseract import Word
from digitize.images import EmbeddedImage
from digitize.pdfacontent import drop_foreign_resource_keys, move_images_out_of_text
from digitize.pdfafonts import embed_standard_fonts
from digitize.pdfaroles import unshare_soft_masks
from digitize.placement import place
from digitize.textlayer import glyphless_font, layer_form

log = logging.getLogger(__name__)

PRODUCER = "sohoa"
SKEW_EPSILON = 0.01
"""Turns smaller than this (degrees) are not applied to a page's content."""


@dataclass(frozen=True)
class DocumentMetadata:
    """What the PDF says about itself in its XMP metadata."""

    title: str
    subject: str = ""
    language: str = "vi"


class SearchablePdf:
    """A PDF being assembled: new pages from scans, or an input PDF's own pages, plus text.

    Text layers are form XObjects drawn from the OCR's words, sharing one font.
    """

    def __init__(self, pdf: Pdf | None = None, *, owned: bool = True) -> None:
        self.pdf = pdf if pdf is not None else Pdf.new()
        self._owned = owned
        self._scans_only = pdf is None
        """Built here from scans: its only font is the text layer's, embedded."""
        self._font: pikepdf.Object | None = None

    def __enter__(self) -> SearchablePdf:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._owned:
            self.pdf.close()

    def add_image_page(self, image: EmbeddedImage, *, dpi: float, rotation: float) -> pikepdf.Page:
        """A page showing the image at its real size, turned clockwise by `rotation` degrees."""
        stream = pikepdf.Stream(self.pdf, image.data)
        stream.Type = Name.XObject
        stream.Subtype = Name.Image
        stream.Width = image.width
        stream.Height = image.height
        stream.ColorSpace = Name(image.colorspace)
        stream.BitsPerComponent = image.bits
        stream.Filter = Name(image.filter)
        if image.decode_parms:
            stream.DecodeParms = Dictionary(dict(image.decode_parms.items()))
        placement = place(image.width * 72 / dpi, image.height * 72 / dpi, rotation)
        page = self.pdf.add_blank_page(page_size=(placement.width, placement.height))
        page.Resources = Dictionary(XObject=Dictionary(Im0=stream))
        cm = " ".join(f"{v:.6f}" for v in placement.matrix)
        page.Contents = self.pdf.make_stream(f"q {cm} cm /Im0 Do Q".encode())
        return page

    def turn_page(self, page_index: int, clockwise_degrees: float) -> None:
        """Show an input PDF's page turned as its OCR copy was: quarter turns through /Rotate
        (exact, content untouched), the small deskew turn by wrapping its content in a
        rotation and growing its box so nothing is cut."""
        quarter = round(clockwise_degrees / 90) * 90
        skew = clockwise_degrees - quarter
        page = self.pdf.pages[page_index]
        if quarter % 360:
            page.rotate(quarter % 360, relative=True)
        if abs(skew) < SKEW_EPSILON:
            return
        rad = math.radians(skew)
        cos, sin = math.cos(rad), math.sin(rad)
        box = page.trimbox
        corners = [
            (x, y) for x in (float(box[0]), float(box[2])) for y in (float(box[1]), float(box[3]))
        ]
        turned = [(x * cos + y * sin, -x * sin + y * cos) for x, y in corners]
        xs, ys = [x for x, _ in turned], [y for _, y in turned]
        page.contents_add(
            f"q {cos:.6f} {-sin:.6f} {sin:.6f} {cos:.6f} 0 0 cm\n".encode(), prepend=True
        )
        page.contents_add(b"\nQ", prepend=False)
        for key in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
            if key in page.obj:
                del page.obj[key]
        page.mediabox = pikepdf.Array([min(xs), min(ys), max(xs), max(ys)])

    def drop_invisible_text(self, page_index: int) -> None:
        """Remove the text a page draws invisibly (render mode 3): a scanner's own OCR
        layer, replaced by sohoa's, would otherwise be found twice by a search. Visible
        text and everything else the page draws are kept as they are."""
        page = self.pdf.pages[page_index]
        instructions = pikepdf.parse_content_stream(page)
        kept = without_invisible_text(instructions)
        if len(kept) != len(instructions):
            page.obj.Contents = self.pdf.make_stream(pikepdf.unparse_content_stream(kept))

    def add_text_layer(self, page_index: int, words: Sequence[Word], size: tuple[int, int]) -> None:
        """Lay the OCR's invisible words over a page: read on an image of `size` pixels,
        they are scaled onto the page's box, which shows that image."""
        if not words or min(size) <= 0:
            return
        if self._font is None:
            self._font = glyphless_font(self.pdf)
        page = self.pdf.pages[page_index]
        form = layer_form(self.pdf, self._font, words, size)
        page.add_overlay(form, pikepdf.Rectangle(page.trimbox))

    def save(self, out: Path, meta: DocumentMetadata, *, pdfa: bool) -> bool:
        """Save, as validated PDF/A-2b when asked and possible; returns whether it is.

        A file that cannot be made PDF/A (say, a born-digital PDF whose fonts are not
        embedded) is still saved, as plain PDF, and reported as such rather than refused.
        """
        with self.pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
            xmp["dc:title"] = meta.title
            if meta.subject:
                xmp["dc:description"] = meta.subject
            xmp["dc:language"] = [meta.language]
            xmp["pdf:Producer"] = PRODUCER
            xmp["xmp:CreatorTool"] = PRODUCER
        if pdfa:
            _drop_presentation_keys(self.pdf)
            _drop_signature_declarations(self.pdf)
            if not self._scans_only:  # reading every page's text to find fonts: 2 ms a page
                embed_standard_fonts(self.pdf)
            unshare_soft_masks(self.pdf)
            move_images_out_of_text(self.pdf)
            drop_foreign_resource_keys(self.pdf)
            try:
                pikepdf.pdfa.save(self.pdf, out, "2b")
                return True
            except pikepdf.pdfa.PdfaError as e:
                findings = "; ".join(f.message for f in e.report.findings[:3])
                log.warning("%s cannot be PDF/A-2b (%s); saving as plain PDF", out.name, findings)
        self.pdf.save(out)
        return False


INVISIBLE = 3
"""Text render mode 3: neither filled nor stroked (how OCR layers are drawn)."""
_SHOW = {"Tj", "TJ"}


def without_invisible_text(
    instructions: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage],
) -> list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage]:
    """The instructions less the text shown in render mode 3; a `'` or `"` that showed
    it keeps its move to the next line (and its spacing), so visible text after it in the
    same text object stays where it was."""
    mode, saved = 0, []
    kept: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    for item in instructions:
        op = str(item.operator)
        if op == "q":
            saved.append(mode)
        elif op == "Q" and saved:
            mode = saved.pop()
        elif op == "Tr" and isinstance(item, pikepdf.ContentStreamInstruction):
            mode = int(item.operands[0])
        if mode != INVISIBLE or op not in (*_SHOW, "'", '"'):
            kept.append(item)
            continue
        if op == '"':
            word, char = item.operands[0], item.operands[1]
            kept.append(pikepdf.ContentStreamInstruction([word], pikepdf.Operator("Tw")))
            kept.append(pikepdf.ContentStreamInstruction([char], pikepdf.Operator("Tc")))
        if op in ("'", '"'):
            kept.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("T*")))
    return kept


PRESENTATION_KEYS = ("/Trans", "/Dur", "/PresSteps")
"""Slide-show page keys (transitions, timings): meaningless in an archived document, and
outside what the PDF/A validator approves, so they are dropped from PDF/A output."""


def _drop_presentation_keys(pdf: Pdf) -> None:
    for page in pdf.pages:
        for key in PRESENTATION_KEYS:
            if key in page.obj:
                del page.obj[key]


def _drop_signature_declarations(pdf: Pdf) -> None:
    """Drop what the catalog declares for signatures: ETSI's /ESIC developer extension (of
    PAdES; PDF/A-2 allows Adobe's only) and /Perms (a certifying signature's permissions,
    which pikepdf's validator does not support). sohoa writes a copy only of an unsigned
    PDF (a signed one is kept byte for byte), so there is no signature they could speak of."""
    if "/Perms" in pdf.Root:
        del pdf.Root["/Perms"]
    extensions = pdf.Root.get("/Extensions")
    if not isinstance(extensions, Dictionary):
        return
    names = list(extensions.keys())
    for key in names:
        if key != "/ADBE":
            del extensions[key]
    if "/ADBE" not in names:
        del pdf.Root["/Extensions"]


def copy_unchanged(source: Path, out: Path) -> None:
    """Keep a file byte for byte (a signed PDF must not be rewritten)."""
    shutil.copyfile(source, out)
