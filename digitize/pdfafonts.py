"""Standard fonts a PDF names but does not embed, made PDF/A-ready: dropped where no text is
shown in them, replaced by metric-compatible Liberation fonts, embedded, where text is.

PDF/A requires every font that shows text to be embedded. Born-digital PDFs often name one
of the 14 standard fonts without embedding it: reportlab always names Helvetica (its
preamble sets it, `BT /F1 12 Tf 14.4 TL ET`, though no text may ever be shown in it), office
software uses Times or Arial for a line or two. Liberation Sans, Serif and Mono have the
advance widths of Helvetica/Arial, Times and Courier glyph for glyph, so the text stays
exactly where it was; only the shapes are Liberation's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf
from reportlab.pdfbase.ttfonts import TTFontFile

from digitize.pdfforms import forms_of

log = logging.getLogger(__name__)

LIBERATION_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
"""Where fonts-liberation2 (or fonts-liberation) installs them."""
SUBSTITUTES = {
    "Helvetica": "LiberationSans-Regular",
    "Helvetica-Bold": "LiberationSans-Bold",
    "Helvetica-Oblique": "LiberationSans-Italic",
    "Helvetica-BoldOblique": "LiberationSans-BoldItalic",
    "Arial": "LiberationSans-Regular",
    "Arial,Bold": "LiberationSans-Bold",
    "Arial,Italic": "LiberationSans-Italic",
    "Arial,BoldItalic": "LiberationSans-BoldItalic",
    "Times-Roman": "LiberationSerif-Regular",
    "Times-Bold": "LiberationSerif-Bold",
    "Times-Italic": "LiberationSerif-Italic",
    "Times-BoldItalic": "LiberationSerif-BoldItalic",
    "Courier": "LiberationMono-Regular",
    "Courier-Bold": "LiberationMono-Bold",
    "Courier-Oblique": "LiberationMono-Italic",
    "Courier-BoldOblique": "LiberationMono-BoldItalic",
    **{
        f"{family}{style}": f"{face}-{variant}"
        for families, face in (
            (("Times New Roman", "TimesNewRoman", "TimesNewRomanPS"), "LiberationSerif"),
            (("Arial", "ArialMT"), "LiberationSans"),
            (("Courier New", "CourierNew", "CourierNewPS"), "LiberationMono"),
        )
        for family in families
        for style, variant in (
            ("", "Regular"),
            (",Bold", "Bold"),
            (",Italic", "Italic"),
            (",BoldItalic", "BoldItalic"),
            ("MT", "Regular"),
            ("-BoldMT", "Bold"),
            ("-ItalicMT", "Italic"),
            ("-BoldItalicMT", "BoldItalic"),
        )
    },
}
"""Standard fonts, and the office fonts Liberation was drawn to match (Times New Roman,
Arial, Courier New as Word names them when it does not embed them: "Times New
Roman,Bold", "TimesNewRomanPS-BoldMT"), and their metric-compatible substitutes. Symbol
and ZapfDingbats have none: a file showing text in them stays plain PDF."""
SHOW_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})
FIRST_CODE, LAST_CODE = 32, 255


@dataclass
class _Holder:
    """A content stream (a page's or a form XObject's) and the font dictionary it uses."""

    content: pikepdf.Page | pikepdf.Stream
    fonts: Dictionary
    shown: set[str]


def _fonts_of(resources: object) -> Dictionary | None:
    if not isinstance(resources, Dictionary):
        return None
    fonts = resources.get("/Font")
    return fonts if isinstance(fonts, Dictionary) else None


def _shown(content: pikepdf.Page | pikepdf.Stream) -> set[str]:
    """Names of the fonts some text is shown in (a Tf alone shows nothing)."""
    current, shown = "", set()
    for item in pikepdf.parse_content_stream(content):
        op = str(item.operator)
        if op == "Tf" and item.operands:
            current = str(item.operands[0])
        elif op in SHOW_OPERATORS and current:
            shown.add(current)
    return shown


def _holders(pdf: Pdf) -> list[_Holder]:
    """Each content stream with a font dictionary of its own. A form XObject without one
    (an annotation's appearance flattened into the page, a Word export's drawing) shows its
    text in its page's fonts: what it shows counts for the page, and it is not a holder
    itself, lest its page's fonts be dropped as unshown in it."""
    holders: list[_Holder] = []
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        fonts = _fonts_of(resources)
        page_holder = _Holder(page, fonts, _shown(page)) if fonts is not None else None
        if page_holder is not None:
            holders.append(page_holder)
        for form in forms_of(resources, seen):
            own = _fonts_of(form.get("/Resources"))
            if own is not None:
                holders.append(_Holder(form, own, _shown(form)))
            elif page_holder is not None:
                page_holder.shown |= _shown(form)
    return holders


def _standard(font: Dictionary) -> str | None:
    """The Liberation face standing in for a standard font, if it has one."""
    return SUBSTITUTES.get(str(font.get("/BaseFont", "")).lstrip("/"))


def _not_embedded(font: object) -> bool:
    if not isinstance(font, Dictionary) or font.get("/Subtype") not in (Name.Type1, Name.TrueType):
        return False
    descriptor = font.get("/FontDescriptor")
    return not isinstance(descriptor, Dictionary) or not any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _key(holder: _Holder, index: int, name: str) -> tuple[object, str]:
    objgen = holder.fonts.objgen
    return (objgen if objgen != (0, 0) else ("direct", index), name)


def _drop_unshown(pdf: Pdf, holders: list[_Holder]) -> int:
    """Remove non-embedded fonts no text is shown in, with the Tf operators naming them."""
    shown = {_key(h, i, name) for i, h in enumerate(holders) for name in h.shown}
    dropped = 0
    for i, holder in enumerate(holders):
        names = {
            str(name)
            for name, font in holder.fonts.items()
            if _not_embedded(font) and _key(holder, i, str(name)) not in shown
        }
        if not names:
            continue
        instructions = pikepdf.parse_content_stream(holder.content)
        kept = [
            item
            for item in instructions
            if not (str(item.operator) == "Tf" and item.operands and str(item.operands[0]) in names)
        ]
        data = pikepdf.unparse_content_stream(kept)
        if isinstance(holder.content, pikepdf.Page):
            holder.content.obj.Contents = pdf.make_stream(data)
        else:
            holder.content.write(data)
        for name in names:
            if name in holder.fonts:
                del holder.fonts[name]
                dropped += 1
    return dropped


def liberation_path(face: str) -> Path | None:
    """The installed Liberation font file of a face, if any."""
    return next((d / f"{face}.ttf" for d in LIBERATION_DIRS if (d / f"{face}.ttf").is_file()), None)


@cache
def _program(face: str) -> tuple[bytes, TTFontFile] | None:
    path = liberation_path(face)
    if path is None:
        return None
    return path.read_bytes(), TTFontFile(str(path))


def _widths(metrics: TTFontFile) -> list[float]:
    """Advance widths of WinAnsi codes 32-255 in the font, per 1000 em."""
    widths = []
    for code in range(FIRST_CODE, LAST_CODE + 1):
        try:
            char = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            widths.append(0.0)
            continue
        widths.append(round(float(metrics.charWidths.get(ord(char), metrics.defaultWidth)), 3))
    return widths


def _embed(pdf: Pdf, font: Dictionary, face: str) -> bool:
    """Turn a non-embedded standard font into the embedded Liberation TrueType face."""
    program = _program(face)
    if program is None:
        log.warning("%s is not installed: fonts-liberation2 is needed for PDF/A", face)
        return False
    data, metrics = program
    flags = 32 | (1 if "Mono" in face else 0) | (64 if "Italic" in face else 0)
    file = pdf.make_stream(data)
    file.Length1 = len(data)
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name(f"/{face}"),
        Flags=flags,
        FontBBox=Array([round(v) for v in metrics.bbox]),
        ItalicAngle=round(float(metrics.italicAngle), 2),
        Ascent=round(metrics.ascent),
        Descent=round(metrics.descent),
        CapHeight=round(metrics.capHeight),
        StemV=int(metrics.stemV),
        FontFile2=file,
    )
    encoding = font.get("/Encoding")
    if isinstance(encoding, Dictionary):
        encoding.BaseEncoding = Name.WinAnsiEncoding
    else:
        font.Encoding = Name.WinAnsiEncoding
    font.Subtype = Name.TrueType
    font.BaseFont = Name(f"/{face}")
    font.FirstChar, font.LastChar = FIRST_CODE, LAST_CODE
    font.Widths = Array(_widths(metrics))
    font.FontDescriptor = pdf.make_indirect(descriptor)
    return True


def embed_standard_fonts(pdf: Pdf) -> None:
    """Make the PDF's non-embedded standard fonts PDF/A-ready (see the module docstring).
    Fonts that show text but have no substitute are left: the PDF/A check then says so."""
    holders = _holders(pdf)
    dropped = _drop_unshown(pdf, holders)
    embedded, done = 0, set()
    for holder in holders:
        for name in holder.shown:
            font = holder.fonts.get(name)
            if not isinstance(font, Dictionary) or (key := font.objgen) in done:
                continue
            if _not_embedded(font) and (face := _standard(font)) and _embed(pdf, font, face):
                embedded += 1
            if key != (0, 0):
                done.add(key)
    if dropped or embedded:
        log.info("standard fonts: %d unused dropped, %d embedded as Liberation", dropped, embedded)
