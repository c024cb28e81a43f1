"""A born-digital letter as a provincial e-office system leaves it: its number and day drawn
only by signature widgets added after signing, the page content showing blanks."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf
from PIL import Image
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


STAMP = ("Ký bởi: Văn phòng Ủy ban nhân dân", "Thời gian ký: 09.01.2025 10:21:11")
"""A signing stamp's small print, as the e-office draws it over the page's top right."""


def _appearance(text: str, width: float, height: float, size: float = 12) -> bytes:
    """A one-page PDF the size of a widget showing `text`, a line per "\n" (font embedded)."""
    _fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=True)
    canvas.setFont(FONT, size)
    for row, line in enumerate(reversed(text.split("\n"))):
        canvas.drawString(2, 4 + row * size * 1.2, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _widget(
    pdf: Pdf, page: pikepdf.Page, text: str, rect: tuple[float, ...], n: int, size: float = 12
) -> None:
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    with Pdf.open(io.BytesIO(_appearance(text, width, height, size))) as drawn:
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


def eoffice_letter(
    path: Path, *, number: str = "507", day: str = "15", stamp: bool = False
) -> Path:
    """Write the letter with its number and day as signature widgets' appearances (and, with
    `stamp`, a signing stamp's small print over the motto)."""
    with Pdf.open(io.BytesIO(_letter())) as pdf:
        pdf.Root.AcroForm = Dictionary(Fields=Array(), SigFlags=3)
        page = pdf.pages[0]
        _widget(pdf, page, number, (95.0, 734.0, 122.0, 754.0), 1)
        _widget(pdf, page, day, (393.0, 734.0, 415.0, 754.0), 2)
        if stamp:
            _widget(pdf, page, "\n".join(STAMP), (380.0, 776.0, 560.0, 800.0), 3, size=7)
        pdf.save(path)
    return path


def as_scan(letter: Path, path: Path, *, dpi: int = 300) -> Path:
    """The letter's page content scanned (an image, no text), its widgets laid over it as
    the e-office lays them over a scan."""
    base = path.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-gray",
            "-png",
            "-hide-annotations",
            "-singlefile",
            str(letter),
            str(base),
        ],
        check=True,
    )
    Image.open(base.with_suffix(".png")).save(path.with_suffix(".image.pdf"), resolution=dpi)
    with Pdf.open(path.with_suffix(".image.pdf")) as scan, Pdf.open(letter) as source:
        widgets = [scan.copy_foreign(w) for w in source.Root.AcroForm.Fields]
        for widget in widgets:
            widget.P = scan.pages[0].obj
        scan.Root.AcroForm = Dictionary(Fields=Array(widgets), SigFlags=3)
        scan.pages[0].obj.Annots = Array(widgets)
        scan.save(path)
    return path
