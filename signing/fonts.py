"""The stamp font: a Vietnamese serif embedded once per revision, ready-made for every PDF.

pyHanko's own text engine subsets a font afresh for each document (tens of milliseconds)
and writes glyph widths in the font's units, which is right only for 1000-unit fonts: the
usual 2048-unit TrueType serifs come out spaced apart. So the font is prepared once per
process: cut to the Vietnamese repertoire, rescaled to 1000 units per em, compressed; each
signed revision then gets the same Type0 font objects, and text is encoded glyph by glyph
(NFC Vietnamese needs no shaping: every letter with its tone is one precomposed glyph).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from config import defaults
from config.errors import ConfigurationError
from signing.stampcache import WriterObjects, cache_file, write_cached

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

log = logging.getLogger(__name__)

PDF_GLYPH_UNITS = 1000
"""Units per em of glyph space in PDF CID fonts, which /W widths are written in."""

CACHE_VERSION = 1
"""Bump when the preparation changes, so cached cuts of fonts are made again."""

SUBSET_TAG = "SOHOAF"
"""Six capitals before the font name mark an embedded subset (ISO 32000-1, 9.6.4)."""

_VIETNAMESE_BASES = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_n = generic.NameObject


def vietnamese_repertoire() -> str:
    """Every character a stamp may need: printable ASCII, the Vietnamese vowels with all
    five tone marks (precomposed, NFC), đ/Đ and a little typographic punctuation."""
    letters = {
        unicodedata.normalize("NFC", base + tone) for base in _VIETNAMESE_BASES for tone in _TONES
    }
    ascii_printable = "".join(map(chr, range(0x20, 0x7F)))
    return "".join(sorted(letters)) + "đĐ" + ascii_printable + "–—…“”‘’·°"


def find_font(candidates: tuple[str, ...] = defaults.STAMP_FONT_CANDIDATES) -> Path:
    """The first installed font of the candidates; ConfigurationError names them all."""
    for candidate in candidates:
        if Path(candidate).is_file():
            return Path(candidate)
    raise ConfigurationError(
        f"no font for signature stamps is installed (looked for {', '.join(candidates)}); "
        "install fonts-liberation2"
    )


def _prepare(path: Path) -> TTFont:
    # Imported here: cutting a font is done once per machine (the cut is cached), and
    # fontTools' subsetter costs a signing process ~6-16 MB of memory to import.
    from fontTools import subset  # noqa: PLC0415
    from fontTools.ttLib import TTFont  # noqa: PLC0415
    from fontTools.ttLib.scaleUpem import scale_upem  # noqa: PLC0415

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    font = TTFont(str(path))
    options = subset.Options()
    options.drop_tables += ["FFTM", "DSIG", "GSUB", "GPOS", "GDEF", "kern"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(text=vietnamese_repertoire())
    subsetter.subset(font)
    if font["head"].unitsPerEm != PDF_GLYPH_UNITS:
        scale_upem(font, PDF_GLYPH_UNITS)
    out = io.BytesIO()
    font.save(out)
    out.seek(0)
    return TTFont(out)


def _tounicode(gid_of: dict[str, int]) -> bytes:
    pairs = sorted((gid, ch) for ch, gid in gid_of.items())
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{gid:04X}> <{ord(ch):04X}>" for gid, ch in chunk)
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode("ascii")


@dataclass(frozen=True)
class EmbeddedFont:
    """A prepared font: its program, metrics and glyph map, shared by every document."""

    name: str
    program: bytes
    """The TrueType program, Flate-compressed."""
    program_length: int
    gid_of: dict[str, int]
    widths: dict[int, int]
    """Advance widths by glyph id, in thousandths of an em."""
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int
    italic_angle: float
    tounicode: bytes

    def encode(self, text: str) -> bytes:
        """Hex string operand (for Tj) of NFC text; characters the font lacks become '?'."""
        fallback = self.gid_of.get("?", 0)
        gids = [self.gid_of.get(ch, fallback) for ch in unicodedata.normalize("NFC", text)]
        return b"<" + "".join(f"{gid:04X}" for gid in gids).encode("ascii") + b">"

    def width(self, text: str, size: float) -> float:
        """Advance width of the text at `size` points."""
        fallback = self.gid_of.get("?", 0)
        units = sum(
            self.widths.get(self.gid_of.get(ch, fallback), 0)
            for ch in unicodedata.normalize("NFC", text)
        )
        return units * size / PDF_GLYPH_UNITS

    def resource(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        """The font's Type0 dictionary in this writer, added on first use, then reused."""
        return _WRITER_FONTS.get(writer, self.name, self._add_to)

    def _descriptor(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        """The font descriptor, with the font program embedded (PDF/A wants every font)."""
        program = generic.StreamObject(
            {
                _n("/Filter"): _n("/FlateDecode"),
                _n("/Length1"): generic.NumberObject(self.program_length),
            },
            encoded_data=self.program,
        )
        descriptor = generic.DictionaryObject(
            {
                _n("/Type"): _n("/FontDescriptor"),
                _n("/FontName"): _n(f"/{self.name}"),
                _n("/Flags"): generic.NumberObject(0b110),
                _n("/FontBBox"): generic.ArrayObject(map(generic.NumberObject, self.bbox)),
                _n("/ItalicAngle"): generic.FloatObject(self.italic_angle),
                _n("/Ascent"): generic.NumberObject(self.ascent),
                _n("/Descent"): generic.NumberObject(self.descent),
                _n("/CapHeight"): generic.NumberObject(self.cap_height),
                _n("/StemV"): generic.NumberObject(80),
                _n("/FontFile2"): writer.add_object(program),
            }
        )
        return writer.add_object(descriptor)

    def _add_to(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        gids = sorted(self.widths)
        cidfont = generic.DictionaryObject(
            {
                _n("/Type"): _n("/Font"),
                _n("/Subtype"): _n("/CIDFontType2"),
                _n("/BaseFont"): _n(f"/{self.name}"),
                _n("/CIDSystemInfo"): generic.DictionaryObject(
                    {
                        _n("/Registry"): generic.pdf_string("Adobe"),
                        _n("/Ordering"): generic.pdf_string("Identity"),
                        _n("/Supplement"): generic.NumberObject(0),
                    }
                ),
                _n("/FontDescriptor"): self._descriptor(writer),
                _n("/CIDToGIDMap"): _n("/Identity"),
                _n("/W"): generic.ArrayObject(
                    [
                        generic.NumberObject(gids[0]),
                        generic.ArrayObject(
                            generic.NumberObject(self.widths[g])
                            for g in range(gids[0], gids[-1] + 1)
                        ),
                    ]
                ),
            }
        )
        tounicode = generic.StreamObject(
            {_n("/Filter"): _n("/FlateDecode")}, encoded_data=zlib.compress(self.tounicode)
        )
        type0 = generic.DictionaryObject(
            {
                _n("/Type"): _n("/Font"),
                _n("/Subtype"): _n("/Type0"),
                _n("/BaseFont"): _n(f"/{self.name}"),
                _n("/Encoding"): _n("/Identity-H"),
                _n("/DescendantFonts"): generic.ArrayObject([writer.add_object(cidfont)]),
                _n("/ToUnicode"): writer.add_object(tounicode),
            }
        )
        return writer.add_object(type0)


_WRITER_FONTS = WriterObjects()


def _cache_path(path: Path) -> Path:
    """Where the prepared cut of a font is kept between processes (cutting a font takes a
    few hundred milliseconds)."""
    return cache_file(path, "fonts", ".ttf", CACHE_VERSION)


def _prepared_program(path: Path) -> bytes:
    cached = _cache_path(path)
    try:
        return cached.read_bytes()
    except OSError:
        pass
    data = io.BytesIO()
    _prepare(path).save(data)
    program = data.getvalue()
    write_cached(cached, program, "the prepared font")
    return program


def _read_metrics(program: bytes, path: Path) -> dict[str, Any]:
    """What embedding needs of the prepared font's tables (fontTools parses them)."""
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    font = TTFont(io.BytesIO(program))
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    head, hhea = font["head"], font["hhea"]
    return {
        "program_sha256": hashlib.sha256(program).hexdigest(),
        "ps_name": str(font["name"].getDebugName(6) or path.stem).replace(" ", ""),
        "gid_of": {chr(code): order[name] for code, name in cmap.items() if name in order},
        "widths": {str(gid): int(hmtx[name][0]) for name, gid in order.items()},
        "bbox": [head.xMin, head.yMin, head.xMax, head.yMax],
        "ascent": int(hhea.ascent),
        "descent": int(hhea.descent),
        "cap_height": int(getattr(font["OS/2"], "sCapHeight", 700) or 700),
        "italic_angle": float(getattr(font["post"], "italicAngle", 0.0)),
    }


def _metrics(path: Path, program: bytes) -> dict[str, Any]:
    """The prepared font's metrics, kept beside its cached cut: parsing the tables costs
    a process ~40 ms and ~7 MB of memory (fontTools' table modules), reading them back
    from JSON almost nothing. A sidecar of another program is ignored."""
    sidecar = _cache_path(path).with_suffix(".json")
    try:
        metrics: dict[str, Any] = json.loads(sidecar.read_text(encoding="utf-8"))
        if metrics.get("program_sha256") == hashlib.sha256(program).hexdigest():
            return metrics
    except (OSError, ValueError) as e:
        log.debug("no usable font metrics at %s: %s", sidecar, e)
    metrics = _read_metrics(program, path)
    write_cached(sidecar, json.dumps(metrics).encode(), "the font metrics")
    return metrics


@functools.cache
def embedded_font(path: Path) -> EmbeddedFont:
    """The font at `path`, prepared for embedding (once per process and font, and kept in
    the user's cache directory for the next process)."""
    program = _prepared_program(path)
    metrics = _metrics(path, program)
    gid_of = {str(ch): int(gid) for ch, gid in metrics["gid_of"].items()}
    widths = {int(gid): int(width) for gid, width in metrics["widths"].items()}
    bbox = tuple(int(v) for v in metrics["bbox"])
    assert len(bbox) == 4
    log.debug("stamp font %s: %d glyphs, %d bytes", metrics["ps_name"], len(widths), len(program))
    return EmbeddedFont(
        name=f"{SUBSET_TAG}+{metrics['ps_name']}",
        program=zlib.compress(program, 9),
        program_length=len(program),
        gid_of=gid_of,
        widths=widths,
        bbox=bbox,
        ascent=int(metrics["ascent"]),
        descent=int(metrics["descent"]),
        cap_height=int(metrics["cap_height"]),
        italic_angle=float(metrics["italic_angle"]),
        tounicode=_tounicode(gid_of),
    )


def regular_font() -> EmbeddedFont:
    """The upright stamp font."""
    return embedded_font(find_font())


def italic_font() -> EmbeddedFont:
    """The italic stamp font (the electronic-copy notice), upright if none is installed."""
    italic = tuple(
        c.replace("-Regular", "-Italic").replace("DejaVuSerif.ttf", "DejaVuSerif-Italic.ttf")
        for c in defaults.STAMP_FONT_CANDIDATES
    )
    return embedded_font(find_font(italic + defaults.STAMP_FONT_CANDIDATES))
