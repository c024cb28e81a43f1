"""The dossier receipt ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả") as a PDF with a QR cover code.

The office hands it to the citizen at reception; it lists the components received and
the appointment date, and prints the dossier code twice: as text, and as a QR code that
makes the receipt a cover sheet: placed on top of the dossier's papers in the scanner,
it tells sohoa which dossier the scanned pages belong to (digitize.coversheet). The QR
code is drawn as vector squares (segno computes the modules), large enough to survive a
200 dpi greyscale scan of a photocopy.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from config.errors import InvalidRequest
from config.formats import document_date
from config.identifiers import is_dossier_code
from digitize.fonts import FontFamily, default_family

QR_SIDE_MM = 30.0
"""Printed side of the QR code: about 1.2 mm per module at version 2, read at 200 dpi."""
MARGIN_MM = 20.0
BODY_PT = 12.0
TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SCAN_NOTE = "Khi quét hồ sơ, đặt giấy này lên trên cùng để hệ thống tự nhận mã hồ sơ."


@dataclass(frozen=True)
class ReceiptItem:
    """One component received: what it is and in how many copies of which kind."""

    label: str
    copies: str = "01 bản chính"


@dataclass(frozen=True)
class Receipt:
    """Everything a receipt prints."""

    dossier_code: str
    agency: str
    """Who receives: "Ủy ban nhân dân xã An Khánh"."""
    place: str
    """Place of the dateline: "Xã An Khánh"."""
    applicant: str
    procedure: str
    """The procedure's name on the national catalogue."""
    items: tuple[ReceiptItem, ...]
    received_at: dt.datetime
    appointment: dt.datetime
    processing_time: str
    """As config.catalogue.Procedure.processing_time prints it ("Trong ngày ...", "03 ngày
    làm việc")."""
    receiver: str
    """The clerk who received the dossier."""
    unit: str = "Bộ phận Tiếp nhận và Trả kết quả"
    id_number: str | None = None
    address: str | None = None
    phone: str | None = None
    return_at: str | None = None
    """Where the result is collected; the unit when None."""


class PageWriter:
    """Draws lines top-down on one A4 page with a Vietnamese TrueType family."""

    def __init__(self, canvas: Canvas, family: FontFamily) -> None:
        self.canvas = canvas
        self.width, self.height = A4
        self.y = self.height - MARGIN_MM * mm
        self.regular = f"{family.name}-receipt"
        self.bold = f"{family.name}-receipt-bold"
        self.italic = f"{family.name}-receipt-italic"
        for name, path in (
            (self.regular, family.regular),
            (self.bold, family.bold),
            (self.italic, family.italic or family.regular),
        ):
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path)))

    def text(
        self,
        text: str,
        *,
        font: str | None = None,
        size: float = BODY_PT,
        x0: float = MARGIN_MM * mm,
        x1: float | None = None,
        center: bool = False,
        indent: float = 0.0,
    ) -> None:
        """A paragraph wrapped between x0 and x1, advancing the cursor."""
        font = font or self.regular
        x1 = x1 if x1 is not None else self.width - MARGIN_MM * mm
        lines = simpleSplit(text, font, size, x1 - x0 - indent)
        for number, line in enumerate(lines):
            self.canvas.setFont(font, size)
            if center:
                self.canvas.drawCentredString((x0 + x1) / 2, self.y - size, line)
            else:
                self.canvas.drawString(x0 + (indent if number == 0 else 0), self.y - size, line)
            self.y -= size * 1.35

    def gap(self, points: float) -> None:
        """Vertical space."""
        self.y -= points


def _qr(canvas: Canvas, payload: str, x: float, y: float, side: float) -> None:
    """The payload as a QR code whose top-left corner is (x, y), drawn as filled squares."""
    code = segno.make(payload, error="m", micro=False)
    rows = [list(row) for row in code.matrix_iter(scale=1, border=2)]
    cell = side / len(rows)
    canvas.setFillGray(0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + c * cell, y - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def header_block(w: PageWriter, *, agency: str, unit: str, place: str, day: dt.date) -> None:
    """The head of every form the office prints: the agency and unit on the left, the
    national title, motto and the place-and-date line (Decree 30/2020/NĐ-CP) on the right."""
    half = w.width / 2
    top = w.y
    w.text(agency.upper(), size=11, x1=half, center=True)
    w.text(unit.upper(), font=w.bold, size=11, x1=half, center=True)
    left_end = w.y
    w.y = top
    w.text(NATION, font=w.bold, size=11, x0=half, center=True)
    w.text(MOTTO, font=w.bold, size=12, x0=half, center=True)
    w.text(f"{place}, {document_date(day)}", font=w.italic, size=11, x0=half, center=True)
    w.y = min(w.y, left_end) - 6


def _when(moment: dt.datetime) -> str:
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, ngày {moment:%d/%m/%Y}"


def _body(w: PageWriter, receipt: Receipt) -> None:
    w.text(f"{receipt.unit} {receipt.agency}")
    w.text(f"Tiếp nhận hồ sơ của: {receipt.applicant}")
    for label, value in (
        ("Số CCCD/Số định danh cá nhân", receipt.id_number),
        ("Địa chỉ", receipt.address),
        ("Số điện thoại", receipt.phone),
    ):
        if value:
            w.text(f"{label}: {value}")
    w.text(f"Nội dung yêu cầu giải quyết: {receipt.procedure}")
    w.text("1. Thành phần hồ sơ nộp gồm:")
    for number, item in enumerate(receipt.items, start=1):
        w.text(f"{number}. {item.label}; số lượng: {item.copies}", indent=8 * mm)
    w.text("2. Số lượng hồ sơ: 01 (bộ)")
    w.text(f"3. Thời gian giải quyết hồ sơ theo quy định: {receipt.processing_time}")
    w.text(f"4. Thời gian nhận hồ sơ: {_when(receipt.received_at)}")
    w.text(f"5. Thời gian trả kết quả giải quyết hồ sơ: {_when(receipt.appointment)}")
    w.text(f"6. Đăng ký nhận kết quả tại: {receipt.return_at or receipt.unit}")


def _signatures(w: PageWriter, receipt: Receipt) -> None:
    half = w.width / 2
    w.gap(10)
    top = w.y
    for x0, x1, role, name in (
        (MARGIN_MM * mm, half, "NGƯỜI NỘP HỒ SƠ", receipt.applicant),
        (half, w.width - MARGIN_MM * mm, "NGƯỜI TIẾP NHẬN HỒ SƠ", receipt.receiver),
    ):
        w.y = top
        w.text(role, font=w.bold, x0=x0, x1=x1, center=True)
        w.text("(Ký, ghi rõ họ tên)", font=w.italic, size=11, x0=x0, x1=x1, center=True)
        w.gap(22 * mm)
        w.text(name, font=w.bold, x0=x0, x1=x1, center=True)


def receipt_pdf(receipt: Receipt, *, family: FontFamily | None = None) -> bytes:
    """The receipt as one A4 PDF page. InvalidRequest if the dossier code is malformed
    (a QR code nobody can file by is worse than none)."""
    if not is_dossier_code(receipt.dossier_code):
        raise InvalidRequest(f"{receipt.dossier_code!r} is not a national dossier code")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(f"Giấy tiếp nhận hồ sơ {receipt.dossier_code}")
    w = PageWriter(canvas, family or default_family("serif"))
    header_block(
        w, agency=receipt.agency, unit=receipt.unit, place=receipt.place,
        day=receipt.received_at.date(),
    )  # fmt: skip
    side = QR_SIDE_MM * mm
    qr_top = w.y
    _qr(canvas, receipt.dossier_code, w.width - MARGIN_MM * mm - side, qr_top, side)
    right = w.width - MARGIN_MM * mm - side - 4 * mm
    w.gap(8 * mm)
    w.text(TITLE, font=w.bold, size=13, x1=right, center=True)
    w.text(f"Mã hồ sơ: {receipt.dossier_code}", font=w.bold, size=13, x1=right, center=True)
    w.y = min(w.y, qr_top - side) - 6
    _body(w, receipt)
    _signatures(w, receipt)
    canvas.setFont(w.italic, 9)
    canvas.drawCentredString(w.width / 2, MARGIN_MM * mm / 2, SCAN_NOTE)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def write_receipt(receipt: Receipt, path: Path, *, family: FontFamily | None = None) -> Path:
    """Write the receipt PDF to path (parents created) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(receipt_pdf(receipt, family=family))
    return path


def receipt_items(labels: Sequence[str], copies: str = "01 bản chính") -> tuple[ReceiptItem, ...]:
    """Items from component labels, all in the same number of copies."""
    return tuple(ReceiptItem(label, copies) for label in labels)
