"""The number and date fields văn thư fills after the leader has signed (form filling).

Decree 30/2020: the leader signs the result first; then the clerk registers it, writes its
number and issue date, and applies the organisation's seal signature. The leader's
signature certifies the document with "form filling and signatures allowed", so the number
and date must be form fields that exist, empty, when the leader signs: filling them later
changes no page content and keeps that signature valid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from signing.fonts import EmbeddedFont, regular_font

FIELD_FONT = "/SohoaSerif"
"""Name of the field font in the form's default resources (/DR)."""

FIELD_TEXT_SIZE = 13.0
"""Points: official documents are set in Times 13-14 pt, the number and date too."""

_n = generic.NameObject


@dataclass(frozen=True)
class TextFieldSpec:
    """An empty text field to create: name, page (0-based) and box in PDF points."""

    name: str
    page: int
    box: tuple[float, float, float, float]


def _appearance(
    writer: BasePdfFileWriter,
    box: tuple[float, float, float, float],
    text: str,
    font: EmbeddedFont,
    font_ref: generic.PdfObject,
) -> generic.IndirectObject:
    """A white box (hiding the draft's placeholder) with the text on its baseline."""
    w, h = box[2] - box[0], box[3] - box[1]
    size = min(FIELD_TEXT_SIZE, h * 0.8)
    if text and font.width(text, size) > w:
        size = size * w / font.width(text, size)
    ops = b"/Tx BMC q 1 g 0 0 %.2f %.2f re f " % (w, h)
    if text:
        baseline = (h - size * 0.7) / 2
        ops += b"BT 0 g %s %.2f Tf 1 0 0 1 1 %.2f Tm %s Tj ET " % (
            FIELD_FONT.encode("ascii"),
            size,
            baseline,
            font.encode(text),
        )
    ops += b"Q EMC"
    stream = generic.StreamObject(
        {
            _n("/Type"): _n("/XObject"),
            _n("/Subtype"): _n("/Form"),
            _n("/BBox"): generic.ArrayObject(map(generic.FloatObject, (0, 0, w, h))),
            _n("/Resources"): generic.DictionaryObject(
                {_n("/Font"): generic.DictionaryObject({_n(FIELD_FONT): font_ref})}
            ),
        },
        stream_data=ops,
    )
    return writer.add_object(stream)


def _acroform(writer: BasePdfFileWriter) -> generic.DictionaryObject:
    root = writer.root
    if "/AcroForm" not in root:
        root[_n("/AcroForm")] = writer.add_object(
            generic.DictionaryObject({_n("/Fields"): generic.ArrayObject()})
        )
        writer.update_root()
    form = root["/AcroForm"]
    assert isinstance(form, generic.DictionaryObject)
    return form


def create_text_fields(writer: BasePdfFileWriter, specs: Sequence[TextFieldSpec]) -> None:
    """Add empty, printable text fields (with a white appearance) in this revision."""
    if not specs:
        return
    font = regular_font()
    font_ref = font.resource(writer)
    form = _acroform(writer)
    dr = form.setdefault(_n("/DR"), generic.DictionaryObject())
    dr.setdefault(_n("/Font"), generic.DictionaryObject())[_n(FIELD_FONT)] = font_ref
    form[_n("/DA")] = generic.pdf_string(f"{FIELD_FONT} {FIELD_TEXT_SIZE:g} Tf 0 g")
    fields = form.setdefault(_n("/Fields"), generic.ArrayObject())
    for spec in specs:
        page_ref = writer.find_page_for_modification(spec.page)[0]
        field = generic.DictionaryObject(
            {
                _n("/Type"): _n("/Annot"),
                _n("/Subtype"): _n("/Widget"),
                _n("/FT"): _n("/Tx"),
                _n("/T"): generic.pdf_string(spec.name),
                _n("/F"): generic.NumberObject(4),
                _n("/Rect"): generic.ArrayObject(map(generic.FloatObject, spec.box)),
                _n("/P"): page_ref,
                _n("/DA"): generic.pdf_string(f"{FIELD_FONT} {FIELD_TEXT_SIZE:g} Tf 0 g"),
                _n("/AP"): generic.DictionaryObject(
                    {_n("/N"): _appearance(writer, spec.box, "", font, font_ref)}
                ),
            }
        )
        ref = writer.add_object(field)
        fields.append(ref)
        page = page_ref.get_object()
        annots = page.setdefault(_n("/Annots"), generic.ArrayObject())
        annots.get_object().append(ref)
        writer.update_container(page)
    writer.update_container(form)


def fill_text_fields(writer: BasePdfFileWriter, values: Mapping[str, str]) -> list[str]:
    """Set the values and appearances of the existing text fields named in `values` (form
    filling only); returns the names filled. Names the document lacks are skipped: a
    result drafted without a "Số:" line has no number field to fill.

    The appearance uses the font already in the form's resources, so the revision adds
    nothing but the values and their appearance streams.
    """
    if not values or "/AcroForm" not in writer.root:
        return []
    form = _acroform(writer)
    try:
        font_ref = form["/DR"].raw_get("/Font").get_object().raw_get(FIELD_FONT)
    except KeyError:
        return []
    missing = dict(values)
    for ref in form["/Fields"]:
        field = ref.get_object()
        name = str(field.get("/T", ""))
        if name not in missing or field.get("/FT") != "/Tx":
            continue
        text = missing.pop(name)
        box = tuple(float(v) for v in field["/Rect"])
        assert len(box) == 4
        field[_n("/V")] = generic.pdf_string(text)
        field[_n("/AP")] = generic.DictionaryObject(
            {_n("/N"): _appearance(writer, box, text, regular_font(), font_ref)}
        )
        writer.update_container(field)
    return sorted(set(values) - set(missing))
