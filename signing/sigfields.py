"""Where the signatures already in a document are shown: their widgets' pages and boxes."""

from __future__ import annotations

from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from signing.placement import Box


@dataclass(frozen=True)
class Widget:
    """A signature field's widget: its field name, page index and box."""

    name: str
    page: int
    box: Box
    field: generic.DictionaryObject


def _page_index(reader: PdfFileReader, page_ref: generic.PdfObject | None) -> int:
    if not isinstance(page_ref, generic.IndirectObject):
        return 0
    count = int(reader.root["/Pages"]["/Count"])
    for index in range(count):
        ref, _ = reader.find_page_for_modification(index)
        if ref.idnum == page_ref.idnum:
            return index
    return 0


def signature_widgets(reader: PdfFileReader) -> list[Widget]:
    """Filled signature fields with a visible box, in the order the form lists them."""
    widgets = []
    for name, _value, ref in enumerate_sig_fields(reader, filled_status=True):
        field = ref.get_object()
        rect = field.get("/Rect")
        if rect is None:
            continue
        box = tuple(float(v) for v in rect)
        if len(box) != 4 or box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
            continue
        widgets.append(
            Widget(
                str(name),
                _page_index(reader, field.raw_get("/P") if "/P" in field else None),
                (box[0], box[1], box[2], box[3]),
                field,
            )
        )
    return widgets


def find_widget(reader: PdfFileReader, name: str | None) -> tuple[int, Box] | None:
    """The named signature's page and box, or the last visible signature's."""
    widgets = signature_widgets(reader)
    if name is not None:
        widgets = [w for w in widgets if w.name == name]
    if not widgets:
        return None
    return widgets[-1].page, widgets[-1].box


def image_aspect(name: str | None, reader: PdfFileReader, *, default: float) -> float:
    """Width over height of the image in a signature's appearance (sohoa's /Img0)."""
    widgets = signature_widgets(reader)
    if name is not None:
        widgets = [w for w in widgets if w.name == name]
    try:
        appearance = widgets[-1].field["/AP"]["/N"]
        image = appearance["/Resources"]["/XObject"]["/Img0"]
        return float(image["/Width"]) / float(image["/Height"])
    except (IndexError, KeyError, TypeError, ZeroDivisionError):
        return default


def has_empty_field(reader: PdfFileReader, name: str) -> bool:
    """Whether the document has an unsigned signature field of this name (reserved)."""
    return any(True for _ in enumerate_sig_fields(reader, filled_status=False, with_name=name))
