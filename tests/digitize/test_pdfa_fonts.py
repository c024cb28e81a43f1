"""Born-digital PDFs naming standard fonts they do not embed still come out as PDF/A-2b:
unused ones dropped, used ones embedded as their metric-compatible Liberation faces."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pikepdf.pdfa
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from config.catalogue import get_catalogue
from digitize.ocr import OcrPage
from digitize.options import DigitizeOptions
from digitize.pdfafonts import liberation_path
from digitize.pipeline import digitize_file
from tests.support.eoffice import eoffice_letter

SERIF = "TestLiberationSerif"
LINES = [
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
    "Quyết định về việc phê duyệt kế hoạch năm 2025 của Ủy ban nhân dân tỉnh",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
    "Xét đề nghị của Giám đốc Sở Tài chính tại Tờ trình số 12/TTr-STC",
]


class NoOcr:
    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        raise AssertionError(f"OCR ran on {what}")


def _reportlab_pdf(path: Path, *, standard_text: bool) -> Path:
    """A letter in an embedded TrueType face; reportlab names Helvetica in every page's
    preamble anyway. With `standard_text`, a footer in Helvetica and a line in Times-Bold,
    neither embedded."""
    if SERIF not in pdfmetrics.getRegisteredFontNames():
        face = liberation_path("LiberationSerif-Regular")
        assert face is not None
        pdfmetrics.registerFont(TTFont(SERIF, str(face)))
    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    canvas.setFont(SERIF, 12)
    for i, line in enumerate(LINES):
        canvas.drawString(72, 760 - 18 * i, line)
    if standard_text:
        canvas.setFont("Helvetica", 9)
        canvas.drawString(72, 40, "Page 1 of 1 - (c) 2025 Office Export")
        canvas.setFont("Times-Bold", 11)
        canvas.drawString(72, 640, "Decision No. 12/QD-UBND")
    canvas.showPage()
    canvas.save()
    return path


def _words(path: Path) -> list[tuple[str, float, float]]:
    with pdfplumber.open(path) as pdf:
        return [
            (w["text"], round(w["x0"], 2), round(w["x1"], 2)) for w in pdf.pages[0].extract_words()
        ]


@pytest.mark.parametrize("standard_text", [False, True])
def test_a_reportlab_pdf_naming_standard_fonts_becomes_pdfa(
    tmp_path: Path, standard_text: bool
) -> None:
    """GIVEN a reportlab PDF naming Helvetica (and, with `standard_text`, showing text in
    Helvetica and Times-Bold, none embedded) WHEN it is digitized THEN the output passes
    pikepdf's PDF/A-2b check, every font it uses is embedded, and the text is where it was."""
    source = _reportlab_pdf(tmp_path / "export.pdf", standard_text=standard_text)
    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue(), engine=NoOcr()
    )
    assert result.pdfa
    assert pikepdf.pdfa.validate_written(result.output, "2b").passed
    with pikepdf.open(result.output) as out:
        fonts = out.pages[0].Resources.Font
        assert all("/FontFile2" in font.FontDescriptor for font in fonts.values())
        faces = sorted(str(font.BaseFont) for font in fonts.values())
    expected = 3 if standard_text else 1  # the unused Helvetica dropped
    assert len(faces) == expected
    if standard_text:
        assert "/LiberationSans-Regular" in faces and "/LiberationSerif-Bold" in faces
    before, after = _words(source), _words(result.output)
    assert [w[0] for w in after] == [w[0] for w in before]
    moved = [
        (a, b)
        for a, b in zip(after, before, strict=True)
        if max(abs(a[1] - b[1]), abs(a[2] - b[2])) >= 0.05
    ]
    assert moved == []


def test_an_e_office_letter_with_widgets_becomes_pdfa(tmp_path: Path) -> None:
    """Its widgets' appearances (reportlab forms, naming Helvetica) drawn into the page."""
    source = eoffice_letter(tmp_path / "letter.pdf")
    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue(), engine=NoOcr()
    )
    assert result.pdfa
    assert "Số: 507 /UBND-KGVX" in result.text.splitlines()
