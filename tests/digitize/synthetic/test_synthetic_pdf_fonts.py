"""Born-digital PDFs (embedded fonts, a true Vietnamese text layer) and the font registry."""

from __future__ import annotations

import collections
import random
import unicodedata
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from config.text import collapse_whitespace
from digitize import fonts as fonts_module
from digitize.synthetic import (
    FontFamily,
    FontsMissingError,
    available_families,
    make_document,
    write_born_digital_pdf,
)

A4 = (595.28, 841.89)


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.mark.parametrize(
    "doc_type",
    [
        "to_khai_khai_sinh",
        "quyet_dinh",
        "giay_chung_nhan_qsdd",
        "hop_dong_chuyen_nhuong_qsdd",
        "cccd",
    ],
)
def test_pdf_text_layer_is_the_truth_text(
    doc_type: str, family: FontFamily, tmp_path: Path
) -> None:
    """GIVEN a document WHEN written as a born-digital PDF THEN pdfplumber extracts exactly
    its words, in NFC Vietnamese. Words are compared as a multiset because pdfplumber reads
    two-column blocks (agency | national header) line by line across both columns."""
    doc = make_document(doc_type, random.Random(8))
    path = write_born_digital_pdf(doc, tmp_path / "doc.pdf", family)
    text = _pdf_text(path)
    assert unicodedata.is_normalized("NFC", text)
    got = collections.Counter(collapse_whitespace(text).split())
    want = collections.Counter(collapse_whitespace(doc.text).split())
    assert got == want
    full_width = [line.text for line in doc.pages[-1] if line.column.value == "full" and line.text]
    assert collapse_whitespace(full_width[-1]) in collapse_whitespace(text)


def test_pdf_is_a4_embeds_its_fonts_and_is_reproducible(family: FontFamily, tmp_path: Path) -> None:
    doc = make_document("quyet_dinh", random.Random(3))
    first = write_born_digital_pdf(doc, tmp_path / "a.pdf", family)
    second = write_born_digital_pdf(doc, tmp_path / "b.pdf", family)
    assert first.read_bytes() == second.read_bytes()
    with pikepdf.open(first) as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
        assert box[2:] == pytest.approx(A4, abs=0.5)
        fonts = pdf.pages[0].resources.Font
        for name in fonts.keys():  # noqa: SIM118  # pikepdf dictionaries iterate via keys()
            assert "/FontFile2" in fonts[name].FontDescriptor, f"{name} is not embedded"
    assert "Ủy ban nhân dân" in _pdf_text(first) or "ỦY BAN NHÂN DÂN" in _pdf_text(first)


def test_registry_lists_families_that_draw_vietnamese() -> None:
    families = available_families()
    names = {f.name for f in families}
    assert {"serif", "sans"} <= {f.kind for f in families}
    assert "Liberation Serif" in names or "Tinos" in names or "DejaVu Serif" in names
    for f in families:
        assert "/liberation/" not in str(f.regular), "Liberation 1.x has no Vietnamese"
        assert fonts_module.covers_vietnamese(f.regular) and fonts_module.covers_vietnamese(f.bold)
    assert all(f.kind == "serif" for f in available_families("serif"))
    old = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
    if old.exists():
        assert not fonts_module.covers_vietnamese(old)


def test_no_font_raises_an_error_naming_the_packages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts_module, "FONT_DIRS", (tmp_path,))
    fonts_module._installed.cache_clear()
    try:
        with pytest.raises(FontsMissingError, match="fonts-liberation2"):
            available_families()
    finally:
        fonts_module._installed.cache_clear()
