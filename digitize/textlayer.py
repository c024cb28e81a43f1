"""The invisible text laid over a scanned page, drawn from the OCR's word boxes.

Tesseract can draw this layer itself (its `pdf` renderer), but that costs about 2 % of its
time on every page, each layer then carries its own copy of the font, and the layer has to
be parsed back in. The layer is simple enough to draw here from the TSV words sohoa reads
anyway: it follows Tesseract's own renderer (pdfrenderer.cpp), whose form PDF/A validators
and text extractors already know. Its font is Tesseract's GlyphLessFont (`pdf.ttf` in
tessdata: one invisible glyph 500 units wide), reached through Identity-H codes that are the
text's UTF-16 units, which a ToUnicode map turns back into the same characters; each word is
stretched (Tz) over its box and followed by a space, so search, selection and copy give the
words as read.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import cache

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from config.errors import ToolMissing
from digitize._exec.tesseract import Word, tessdata_dir

FONT_KEY = "/f-0-0"
CHAR_WIDTH = 0.5
"""The glyph's advance, in text space units per point of font size (500/1000)."""
MIN_FONT_SIZE = 1.0

_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo
<<
  /Registry (Adobe)
  /Ordering (UCS)
  /Supplement 0
>> def
/CMapName /Adobe-Identify-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


@cache
def _font_program() -> bytes:
    path = tessdata_dir() / "pdf.ttf"
    try:
        return path.read_bytes()
    except OSError as e:
        raise ToolMissing(f"Tesseract's text-layer font {path} cannot be read ({e})") from e


def glyphless_font(pdf: Pdf) -> pikepdf.Object:
    """The layer's font, as an indirect Type0 font of `pdf` (made once per document)."""
    program = pdf.make_stream(_font_program())
    program.Length1 = len(_font_program())
    to_gid = pdf.make_stream(zlib.compress(b"\x00\x01" * 65536))
    to_gid.Filter = Name.FlateDecode
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name.GlyphLessFont,
        Flags=5,
        FontBBox=Array([0, 0, 500, 1000]),
        ItalicAngle=0,
        Ascent=1000,
        Descent=-1,
        CapHeight=1000,
        StemV=80,
        FontFile2=program,
    )
    cid_font = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType2,
        BaseFont=Name.GlyphLessFont,
        CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        CIDToGIDMap=to_gid,
        DW=500,
    )
    font = Dictionary(
        Type=Name.Font,
        Subtype=Name.Type0,
        BaseFont=Name.GlyphLessFont,
        Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(cid_font)]),
        ToUnicode=pdf.make_stream(_TO_UNICODE),
    )
    return pdf.make_indirect(font)


def _hex(text: str) -> str:
    return (text + " ").encode("utf-16-be").hex().upper()


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped by Tesseract's (block, paragraph, line), in the order it read them."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        if word.text.strip() and word.width > 0 and word.height > 0:
            lines.setdefault(word.line, []).append(word)
    return list(lines.values())


def layer_content(words: Sequence[Word], height: int) -> bytes:
    """Drawing instructions for the words, in the pixel space of an image `height` tall
    (PDF's y grows upward): one text object; each line's words on its baseline, the font as
    tall as the line, each word stretched over its box."""
    out = ["BT", "3 Tr"]
    for line in _lines(words):
        baseline = height - max(w.top + w.height for w in line)
        size = max(MIN_FONT_SIZE, float(max(w.height for w in line)))
        out.append(f"{FONT_KEY} {size:.2f} Tf")
        for word in line:
            stretch = 100.0 * word.width / (len(word.text) * CHAR_WIDTH * size)
            out.append(
                f"1 0 0 1 {word.left} {baseline} Tm {stretch:.2f} Tz [<{_hex(word.text)}>] TJ"
            )
    out.append("ET")
    return "\n".join(out).encode("ascii")


def layer_form(
    pdf: Pdf, font: pikepdf.Object, words: Sequence[Word], size: tuple[int, int]
) -> pikepdf.Object:
    """A form XObject of the words over an image of `size` (width, height) pixels, to be
    scaled onto the page that shows the image."""
    width, height = size
    form = pdf.make_stream(zlib.compress(layer_content(words, height)))
    form.Filter = Name.FlateDecode
    form.Type = Name.XObject
    form.Subtype = Name.Form
    form.BBox = Array([0, 0, width, height])
    form.Resources = Dictionary(Font=Dictionary({FONT_KEY: font}))
    return form
