"""Real e-office PDFs, once unsigned, are written as PDF/A-2b: what kept each of them plain
PDF (shared soft masks, Word's non-embedded Times New Roman, images painted inside text
objects, ETSI's developer extension, /Perms, a form's encoding among resources) is
repaired, and the page looks the same."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pikepdf import Dictionary, Name

from digitize.appearances import flatten_into_pages
from digitize.pdfacontent import hoisted
from digitize.pdfafonts import SUBSTITUTES, embed_standard_fonts
from digitize.pdfaroles import unshare_soft_masks
from digitize.pdfforms import all_forms
from digitize.pdfwriter import DocumentMetadata, SearchablePdf
from tests.conftest import CORPORA

REAL = CORPORA / "vn-admin-real"


def _unsigned(pdf: pikepdf.Pdf) -> None:
    """The file as it was before its signatures were given values."""
    for field in pdf.Root.AcroForm.get("/Fields", []):
        if "/V" in field:
            del field["/V"]


@pytest.mark.parametrize(
    "name",
    [
        "vnadm-01.pdf",
        "vnadm-02.pdf",
        "vnadm-04.pdf",
        "vnadm-09.pdf",
        "vnadm-12.pdf",
        "vnadm-16.pdf",
        "vnadm-21.pdf",
    ],
)
def test_an_unsigned_real_e_office_pdf_is_written_as_pdfa(tmp_path: Path, name: str) -> None:
    """A scan of each kind (100 dpi, colour, 1-bit) and born-digital letters, their
    widgets flattened into the page as the pipeline does."""
    with pikepdf.open(REAL / name) as pdf:
        _unsigned(pdf)
        flatten_into_pages(pdf)
        with SearchablePdf(pdf, owned=False) as doc:
            assert doc.save(tmp_path / "out.pdf", DocumentMetadata(title="Thông báo"), pdfa=True)
    with pikepdf.open(tmp_path / "out.pdf") as out:
        assert "/Extensions" not in out.Root or list(out.Root.Extensions.keys()) == ["/ADBE"]


def _ops(text: str) -> list[str]:
    return [str(item.operator) for item in pikepdf.parse_content_stream(_stream(text))]


_OWNER = pikepdf.new()
"""The streams' document, alive as long as they are."""


def _stream(text: str) -> pikepdf.Stream:
    return pikepdf.Stream(_OWNER, text.encode())


def test_an_image_painted_inside_a_text_object_is_moved_before_it() -> None:
    content = list(
        pikepdf.parse_content_stream(
            _stream("BT 1 0 0 1 5 5 Tm q 10 0 0 10 0 0 cm /Im1 Do Q 0 -9 Td (x) Tj ET")
        )
    )
    fixed = hoisted(content)
    assert fixed is not None
    assert [str(i.operator) for i in fixed] == ["q", "cm", "Do", "Q", "BT", "Tm", "Td", "Tj", "ET"]


def test_a_group_after_a_colour_change_inside_text_is_left_alone() -> None:
    content = list(pikepdf.parse_content_stream(_stream("BT 1 0 0 rg q /Im1 Do Q (x) Tj ET")))
    assert hoisted(content) is None
    assert _ops("q /Im1 Do Q BT (x) Tj ET") == ["q", "Do", "Q", "BT", "Tj", "ET"]


def test_a_soft_mask_also_painted_as_an_image_gets_its_own_copy() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    mask = pdf.make_indirect(
        pikepdf.Stream(
            pdf,
            b"\xff",
            Type=Name.XObject,
            Subtype=Name.Image,
            Width=1,
            Height=1,
            ColorSpace=Name.DeviceGray,
            BitsPerComponent=8,
        )
    )
    image = pdf.make_indirect(
        pikepdf.Stream(
            pdf,
            b"\x00\x00\x00",
            Type=Name.XObject,
            Subtype=Name.Image,
            Width=1,
            Height=1,
            ColorSpace=Name.DeviceRGB,
            BitsPerComponent=8,
            SMask=mask,
        )
    )
    pdf.pages[0].obj.Resources = Dictionary(XObject=Dictionary(Im1=image, Im2=mask))
    assert unshare_soft_masks(pdf) == 1
    assert image.SMask.objgen != mask.objgen and image.SMask.read_bytes() == b"\xff"
    assert unshare_soft_masks(pdf) == 0


def test_words_own_names_for_times_arial_and_courier_have_liberation_substitutes() -> None:
    assert SUBSTITUTES["Times New Roman,Bold"] == "LiberationSerif-Bold"
    assert SUBSTITUTES["TimesNewRomanPSMT"] == "LiberationSerif-Regular"
    assert SUBSTITUTES["Arial,Italic"] == "LiberationSans-Italic"
    assert SUBSTITUTES["CourierNewPS-BoldMT"] == "LiberationMono-Bold"


def test_forms_nested_thousands_deep_are_walked_without_recursion() -> None:
    """A hostile file nesting form XObjects 5,000 deep (past Python's recursion limit)
    is walked, and the font repair that walks it finishes."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    resources = Dictionary()
    pdf.pages[0].obj.Resources = resources
    for _ in range(5000):
        form = pdf.make_indirect(
            pikepdf.Stream(pdf, b"", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 1, 1])
        )
        resources.XObject = Dictionary(Fm=form)
        form.Resources = Dictionary()
        resources = form.Resources
    assert len(all_forms(pdf)) == 5000
    embed_standard_fonts(pdf)
