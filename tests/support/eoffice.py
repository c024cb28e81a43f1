"""A born-digital letter as a provincial e-office system leaves it: its number and day drawn
only by signature widgets added after signing, the page content showing blanks."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
FONT, BOLD = "EofficeSerif", "EofficeSerifBold"
BODY = (
    "Thực hiện Công văn số 2003/UBDT-VPCTMTQG ngày 01/11/2024 của Ủy ban Dân tộc, "
    "Ủy ban nhân dân tỉnh thông báo kết luận của Phó Chủ tịch tại cuộc họp giao ban."
)


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(LIBERATION / "LiberationSerif-Regular.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(LIBERATION / "LiberationSerif-Bold.ttf")))


def _letter() -> bytes:
    """The letter as exported from Word: "Số:      /UBND-KGVX", "ngày      tháng 01"."""
    _fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setFont(BOLD, 12)
    canvas.drawString(70, 780, "ỦY BAN NHÂN DÂN")
    canvas.drawString(70, 765, "TỈNH QUẢNG NGÃI")
    canvas.drawString(300, 780, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    canvas.setFont(FONT, 12)
    canvas.drawString(70, 740, "Số:")
    canvas.drawString(120, 740, "/UBND-KGVX")
    canvas.drawString(300, 740, "Quảng Ngãi, ngày")
    canvas.drawString(415, 740, "tháng 01 năm 2025")
    text = canvas.beginText(70, 690)
    text.setFont(FONT, 12)
    for start in range(0, len(BODY), 80):
        text.textLine(BODY[start : start + 80])
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _appearance(text: str, width: float, height: float) -> bytes:
    """A one-page PDF the size of a widget showing `text` (its font embedded)."""
    _fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=True)
    canvas.setFont(FONT, 12)
    canvas.drawString(2, 4, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _widget(pdf: Pdf, page: pikepdf.Page, text: str, rect: tuple[float, ...], n: int) -> None:
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    with Pdf.open(io.BytesIO(_appearance(text, width, height))) as drawn:
        form = pdf.copy_foreign(drawn.pages[0].as_form_xobject())
    widget = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Sig,
            T=pikepdf.String(f"Signature{n}"),
            F=132,  # print, locked: as the e-office writes them
            Rect=Array(rect),
            AP=Dictionary(N=form),
            P=page.obj,
        )
    )
    page.obj.Annots = Array([*page.obj.get("/Annots", Array()), widget])
    pdf.Root.AcroForm.Fields.append(widget)


def eoffice_letter(path: Path, *, number: str = "507", day: str = "15") -> Path:
    """Write the letter with its number and day as signature widgets' appearances."""
    with Pdf.open(io.BytesIO(_letter())) as pdf:
        pdf.Root.AcroForm = Dictionary(Fields=Array(), SigFlags=3)
        page = pdf.pages[0]
        _widget(pdf, page, number, (95.0, 734.0, 122.0, 754.0), 1)
        _widget(pdf, page, day, (393.0, 734.0, 415.0, 754.0), 2)
        pdf.save(path)
    return path
