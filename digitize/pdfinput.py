"""Reading input PDFs: refusing unreadable ones, finding text layers and signatures."""

from __future__ import annotations

import gc
import logging
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf
from pikepdf import Name, Pdf

from config.errors import CorruptFile, EncryptedPdf, TooManyPages
from config.text import nfc
from digitize.appearances import as_print, write_appearances_only
from digitize.reading_order import WordBox, median_height, reading_order

log = logging.getLogger(__name__)

MIN_RENDER_DPI = 50
TRAILER_BYTES = 64 * 1024


def open_pdf(path: Path, *, name: str, max_pages: int) -> Pdf:
    """The PDF, opened (qpdf repairs a broken xref), or the reason it is refused.

    A PDF encrypted with an empty user password (owner restrictions only: no printing, no
    copying, as government PDFs often are) opens without a password and is read like any
    other; its original bytes are kept, and what sohoa writes from it is not encrypted. Only
    one that needs a password to open is refused."""
    try:
        pdf = Pdf.open(path)
    except pikepdf.PasswordError as e:
        raise EncryptedPdf(name, "is an encrypted PDF that needs a password to open") from e
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError) as e:
        # RuntimeError: qpdf's QpdfRuntimeError (a page tree it cannot flatten, found by
        # fuzzing) and RecursionError (objects nested without end)
        reason = str(e).replace(str(path), name)
        if _declares_encryption(path):
            raise EncryptedPdf(name, f"is an encrypted PDF that cannot be opened ({reason})") from e
        raise CorruptFile(name, f"is not a readable PDF ({reason})") from e
    try:
        if pdf.is_encrypted:
            log.info("%s is encrypted with an empty user password; read without one", name)
        count = len(pdf.pages)
        if count == 0:
            raise CorruptFile(name, "is a PDF with no pages")
        if count > max_pages:
            raise TooManyPages(name, f"has {count} pages, more than the limit of {max_pages}")
    except BaseException:
        pdf.close()
        raise
    return pdf


def _declares_encryption(path: Path) -> bool:
    """Whether the file's trailer names an /Encrypt dictionary (even one qpdf cannot use)."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - TRAILER_BYTES))
        return b"/Encrypt" in handle.read()


def is_signed(pdf: Pdf) -> bool:
    """Whether the PDF carries a digital signature or certification that rewriting would break."""
    if "/Perms" in pdf.Root:
        return True
    acroform = pdf.Root.get("/AcroForm")
    if not isinstance(acroform, pikepdf.Dictionary):
        return False
    stack = list(acroform.get("/Fields", pikepdf.Array()))
    seen: set[tuple[int, int]] = set()
    while stack:
        field = stack.pop()
        if not isinstance(field, pikepdf.Dictionary):
            continue
        key = field.objgen
        if key != (0, 0):
            if key in seen:
                continue
            seen.add(key)
        if field.get("/FT") == Name.Sig and field.get("/V") is not None:
            return True
        stack.extend(field.get("/Kids", pikepdf.Array()))
    return False


@dataclass(frozen=True)
class TextLayer:
    """A page's text as a reader of the page sees it."""

    text: str
    """NFC words in reading order: the page's content and what its annotations show (a
    number or day an e-office wrote into a signature widget after signing)."""
    content_chars: int
    """Non-space characters the page's own content draws: whether the page has a text
    layer at all (a scan under a signature widget has none, only the widget's words)."""
    drawn: tuple[WordBox, ...] = ()
    """The words the page's annotations show, in points from the page's top left: joined
    to the words OCR reads on a page rendered without them."""


GC_FILE_BYTES = 1_000_000
"""Files from this size up are followed by a full garbage collection (read_text_layers)."""


def read_text_layers(path: Path, *, name: str, pages: int) -> list[TextLayer]:
    """Each page's text layer ('' where there is none or it cannot be read).

    pdfminer's document, parser and pages refer to each other, and what they read (every
    stream of the file: a scan's JPEG pages) is freed only by a full garbage collection,
    which a job busy with page images may not run before it ends: one is run here for a
    file of GC_FILE_BYTES or more (a 100-page scan held 85 MB through all of its OCR). A
    smaller file can hold no more than a few MB, and a full collection costs a process
    holding the classifier about 50 ms: 40 % of a born-digital letter's whole job."""
    try:
        content = _page_words(path, name=name, pages=pages)
        with tempfile.TemporaryDirectory(prefix="sohoa-appearances-") as tmp:
            shown = Path(tmp) / "appearances.pdf"
            drawn = (
                _page_words(shown, name=name, pages=pages)
                if write_appearances_only(path, shown)
                else [[] for _ in range(pages)]
            )
    finally:
        if path.stat().st_size >= GC_FILE_BYTES:
            gc.collect()
    return [
        TextLayer(
            reading_order(words + as_print(extra, median_height(words))),
            sum(len(w.text.replace(" ", "")) for w in words),
            tuple(extra),
        )
        for words, extra in zip(content, drawn, strict=True)
    ]


def _page_words(path: Path, *, name: str, pages: int) -> list[list[WordBox]]:
    found: list[list[WordBox]] = [[] for _ in range(pages)]
    try:
        with pdfplumber.open(path) as doc:
            for i, page in enumerate(doc.pages[:pages]):
                try:
                    found[i] = [
                        WordBox(nfc(w["text"]), w["x0"], w["top"], w["x1"], w["bottom"])
                        for w in page.extract_words()
                    ]
                except Exception as e:
                    log.info("no readable text layer on page %d of %s: %s", i + 1, name, e)
    except Exception as e:
        log.info("pdfplumber cannot read %s (%s); every page will be OCRed", name, e)
    return found


def render_dpi(width_pt: float, height_pt: float, *, dpi: int, max_pixels: int) -> int:
    """The dpi to render a page at: `dpi`, lowered so huge pages stay under max_pixels."""
    area_in2 = max(width_pt, 1.0) / 72 * max(height_pt, 1.0) / 72
    fitting = math.sqrt(max_pixels / area_in2)
    return max(MIN_RENDER_DPI, min(dpi, int(fitting)))


def page_size(pdf: Pdf, index: int) -> tuple[float, float]:
    """A page's displayed width and height in points (its /Rotate taken into account)."""
    page = pdf.pages[index]
    box = page.cropbox if "/CropBox" in page.obj else page.mediabox
    width = abs(float(box[2]) - float(box[0]))
    height = abs(float(box[3]) - float(box[1]))
    rotate = int(page.obj.get("/Rotate", 0)) % 180
    return (height, width) if rotate else (width, height)
