"""Text drawn by annotations: what signature widgets, form fields and stamps show on a page.

Provincial e-office systems write a letter's number and day ("Số: 507/UBND-KGVX", "ngày 06")
after it is signed, as the appearance streams of signature widgets: the page's own content
has blanks there, so a text layer read from the content alone loses them. Viewers and
`pdftotext` draw appearances; so does this module, for reading.

How: a copy of the file whose pages keep their geometry (boxes, /Rotate) but lose their own
content and resources, with every visible annotation's normal appearance flattened into the
page by qpdf (`Pdf.flatten_annotations`). qpdf places each appearance exactly as a viewer
does (its /BBox through its /Matrix onto the annotation's /Rect, PDF 32000 12.5.5), so
pdfplumber then reads the appearance text at its place on the page, in the page's own
coordinates, ready to be merged with the content's words. Rendering appearances through
pdfminer ourselves would mean re-implementing that placement; pdfplumber has no annotation
rendering of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name, Pdf

from digitize.reading_order import WordBox

log = logging.getLogger(__name__)

PRINT_SIZE = 0.8
"""Annotation words at least this share of the page's median word height are the document's
own print: the number and day an e-office writes into widgets measure 0.93 of the letter's
print on vn-admin-real's signed letters. Smaller ones are a signing stamp's small print
("Ký bởi…", the signing centre's name, e-mail and time: 0.45-0.66), which is not the
document's text (transcriptions leave it out; the signature itself is verified and recorded
apart)."""

HIDDEN_FLAGS = 1 | 2 | 32
"""Annotation flags Invisible, Hidden and NoView: such an annotation is not shown."""


def _shows_appearance(annot: object) -> bool:
    if not isinstance(annot, Dictionary) or annot.get("/Subtype") in (Name.Popup, Name.Link):
        return False
    appearance = annot.get("/AP")
    if not isinstance(appearance, Dictionary) or "/N" not in appearance:
        return False
    return not int(annot.get("/F", 0)) & HIDDEN_FLAGS


def has_appearances(pdf: Pdf) -> bool:
    """Whether any page shows an annotation with an appearance stream."""
    return any(
        _shows_appearance(annot) for page in pdf.pages for annot in page.obj.get("/Annots", ())
    )


def write_appearances_only(source: Path, out: Path) -> bool:
    """Write `out`: `source`'s pages, same size and turn, showing only their annotations'
    appearances. False (nothing written) when no page shows one or qpdf cannot flatten them."""
    try:
        with Pdf.open(source) as pdf:
            if not has_appearances(pdf):
                return False
            for page in pdf.pages:
                page.obj.Contents = pdf.make_stream(b"")
                page.obj.Resources = Dictionary()
            pdf.flatten_annotations(mode="all")
            pdf.remove_unreferenced_resources()
            pdf.save(out)
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError) as e:
        log.info("annotation appearances of %s cannot be read: %s", source.name, e)
        return False
    return True


def flatten_into_pages(pdf: Pdf) -> bool:
    """Draw every visible annotation's appearance into its page's content, dropping those
    annotations (and the form, once its fields are all drawn): the rewritten copy of an
    unsigned PDF then shows and carries their words as page content, which a search finds
    and PDF/A allows (it has no interactive forms). Returns whether anything was drawn."""
    if not has_appearances(pdf):
        return False
    pdf.flatten_annotations(mode="all")
    return True


def as_print(drawn: Sequence[WordBox], body: float | None) -> list[WordBox]:
    """The annotation words that are print of the document, given the height of its body
    text (None: the page has no text of its own to compare with, and all are kept)."""
    if body is None:
        return list(drawn)
    return [w for w in drawn if w.bottom - w.top >= PRINT_SIZE * body]
