"""The printable forms of the one-stop office besides the receipt: supplement request (02),
refusal (03), apology with a new date (04), notice of stopping (05), control slip (06) and
tracking book (07).

DOMAIN: the numbering (01 receipt, 02 supplement request, 03 refusal, 04 apology with a new
date, 05 notice of stopping, 06 control slip, 07 tracking book) and the layouts follow
secondary sources describing Circular 03/2025/TT-VPCP (its official text was not
available); the layout is configurable only by code, here. Each form is one small
function over a frozen dataclass; they share the receipt's page writer, fonts with
Vietnamese glyphs and header block (digitize.receipt), and Decree 30 dates (config.formats).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from digitize.fonts import FontFamily, default_family
from digitize.receipt import MARGIN_MM, PageWriter, header_block

SUPPLEMENT_TITLE = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
REFUSAL_TITLE = "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ"
APOLOGY_TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
STOPPING_TITLE = "PHIẾU THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"
CONTROL_SLIP_TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
BOOK_TITLE = "SỔ THEO DÕI HỒ SƠ"
TABLE_PT = 9.0
"""Type size of table cells: seven columns of a tracking book fit an A4 page's width."""


@dataclass(frozen=True)
class FormHead:
    """Who issues the form and the place-and-date line."""

    agency: str
    """"Ủy ban nhân dân xã An Khánh"."""
    place: str
    """"Xã An Khánh"."""
    day: dt.date
    unit: str = "Bộ phận Tiếp nhận và Trả kết quả"


@dataclass(frozen=True)
class Notice:
    """What a notice to the citizen about one dossier prints (forms 02, 03, 05)."""

    head: FormHead
    dossier_code: str
    applicant: str
    procedure: str
    received_at: dt.datetime
    reason: str
    """What to supplement, why refused, why stopped: as recorded in the event log."""
    signer: str
    """The clerk who recorded it."""


@dataclass(frozen=True)
class Apology:
    """What the apology letter prints (form 04): the notice, the date the receipt promised
    and the new one."""

    notice: Notice
    """Its reason is why the dossier is late."""
    appointment: dt.datetime | None
    new_date: dt.date


@dataclass(frozen=True)
class Step:
    """One row of the control slip: the dossier handed from one party to another."""

    handed_from: str
    handed_to: str
    at: dt.datetime
    due: dt.datetime | None
    result: str


@dataclass(frozen=True)
class ControlSlip:
    """The control slip of one dossier (form 06): every hand-over, from the event log."""

    head: FormHead
    dossier_code: str
    applicant: str
    procedure: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class BookRow:
    """One dossier in the tracking book (form 07)."""

    dossier_code: str
    applicant: str
    procedure: str
    received_at: dt.datetime
    appointment: dt.datetime | None
    finished_at: dt.datetime | None
    status: str
    """Vietnamese: "Đã trả kết quả", "Từ chối", ..."""


@dataclass(frozen=True)
class TrackingBook:
    """The tracking book of one unit over a period (form 07)."""

    head: FormHead
    start: dt.date
    end: dt.date
    rows: tuple[BookRow, ...]


def _moment(at: dt.datetime | None) -> str:
    return f"{at:%H:%M %d/%m/%Y}" if at else "-"


def _pdf(
    head: FormHead, title: str, draw: Callable[[PageWriter], None], family: FontFamily | None
) -> bytes:
    """One form: header block, title, then what draw writes; A4, reproducible bytes."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title.capitalize())
    w = PageWriter(canvas, family or default_family("serif"))
    header_block(w, agency=head.agency, unit=head.unit, place=head.place, day=head.day)
    w.gap(6 * mm)
    w.text(title, font=w.bold, size=13, center=True)
    w.gap(4 * mm)
    draw(w)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _signature(w: PageWriter, role: str, name: str) -> None:
    """The signing block on the right half."""
    half = w.width / 2
    w.gap(10)
    w.text(role, font=w.bold, x0=half, center=True)
    w.text("(Ký, ghi rõ họ tên)", font=w.italic, size=11, x0=half, center=True)
    w.gap(20 * mm)
    w.text(name, font=w.bold, x0=half, center=True)


def _notice(notice: Notice, title: str, lines: Sequence[str], family: FontFamily | None) -> bytes:
    def draw(w: PageWriter) -> None:
        w.text(f"Mã hồ sơ: {notice.dossier_code}", font=w.bold, center=True)
        w.gap(4 * mm)
        w.text(f"Kính gửi: Ông/Bà {notice.applicant}")
        w.text(
            f"{notice.head.unit} {notice.head.agency} tiếp nhận hồ sơ của Ông/Bà vào lúc "
            f"{notice.received_at:%H giờ %M phút, ngày %d/%m/%Y}, đề nghị giải quyết thủ tục "
            f"hành chính: {notice.procedure}."
        )
        for line in lines:
            w.text(line)
        _signature(w, "NGƯỜI LẬP PHIẾU", notice.signer)

    return _pdf(notice.head, title, draw, family)


def supplement_request_pdf(notice: Notice, *, family: FontFamily | None = None) -> bytes:
    """Form 02: what the citizen must bring to complete the dossier."""
    return _notice(notice, SUPPLEMENT_TITLE, [
        f"Hồ sơ của Ông/Bà cần bổ sung, hoàn thiện các nội dung sau: {notice.reason}.",
        "Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ "
        f"{notice.head.unit} để được hướng dẫn.",
    ], family)  # fmt: skip


def refusal_pdf(notice: Notice, *, family: FontFamily | None = None) -> bytes:
    """Form 03: the dossier is refused, with the reason."""
    return _notice(notice, REFUSAL_TITLE, [
        f"Cơ quan, đơn vị từ chối tiếp nhận, giải quyết hồ sơ. Lý do: {notice.reason}.",
        "Xin thông báo để Ông/Bà được biết và thực hiện./.",
    ], family)  # fmt: skip


def apology_pdf(apology: Apology, *, family: FontFamily | None = None) -> bytes:
    """Form 04: the dossier will not be ready by its appointment; why, an apology and the
    new date."""
    due = apology.appointment
    promised = f"{due:%H giờ %M phút, ngày %d/%m/%Y}" if due else "-"
    return _notice(apology.notice, APOLOGY_TITLE, [
        f"Thời hạn trả kết quả theo giấy tiếp nhận hồ sơ và hẹn trả kết quả: {promised}.",
        f"Hồ sơ chưa giải quyết xong đúng hẹn. Lý do: {apology.notice.reason}.",
        "Cơ quan giải quyết hồ sơ thành thật xin lỗi Ông/Bà vì sự chậm trễ này và hẹn lại "
        f"thời gian trả kết quả vào ngày {apology.new_date:%d/%m/%Y}.",
        "Mong nhận được sự thông cảm của Ông/Bà./.",
    ], family)  # fmt: skip


def stopping_notice_pdf(notice: Notice, *, family: FontFamily | None = None) -> bytes:
    """Form 05: processing of the dossier stops, with the reason."""
    return _notice(notice, STOPPING_TITLE, [
        f"Cơ quan, đơn vị dừng giải quyết hồ sơ. Lý do: {notice.reason}.",
        "Xin thông báo để Ông/Bà được biết./.",
    ], family)  # fmt: skip


def _table(
    w: PageWriter, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]]
) -> None:
    """A grid of wrapped cells, widths in millimetres; continues on a new page (header row
    repeated) when a row does not fit."""
    font, leading, pad = w.regular, TABLE_PT * 1.25, 1.5 * mm
    widths = [width * mm for _, width in columns]
    bottom = MARGIN_MM * mm

    def row(cells: Sequence[str], bold: bool) -> None:
        face = w.bold if bold else font
        wrapped = [
            simpleSplit(c, face, TABLE_PT, width - 2 * pad) or [""]
            for c, width in zip(cells, widths, strict=True)
        ]
        height = max(len(lines) for lines in wrapped) * leading + 2 * pad
        if w.y - height < bottom:
            w.canvas.showPage()
            w.y = w.height - MARGIN_MM * mm
            if not bold:
                row([title for title, _ in columns], True)
        x = MARGIN_MM * mm
        for lines, width in zip(wrapped, widths, strict=True):
            w.canvas.rect(x, w.y - height, width, height, stroke=1, fill=0)
            w.canvas.setFont(face, TABLE_PT)
            for number, line in enumerate(lines):
                w.canvas.drawString(x + pad, w.y - pad - TABLE_PT - number * leading, line)
            x += width
        w.y -= height

    row([title for title, _ in columns], True)
    for cells in rows:
        row(cells, False)


def control_slip_pdf(slip: ControlSlip, *, family: FontFamily | None = None) -> bytes:
    """Form 06: one row per hand-over of the dossier, with when, by when, and the result."""
    columns = (("STT", 10.0), ("Bên giao", 34.0), ("Bên nhận", 34.0),
               ("Thời gian giao, nhận", 26.0), ("Hạn xử lý", 26.0), ("Kết quả", 40.0))  # fmt: skip
    rows = [
        (str(n), s.handed_from, s.handed_to, _moment(s.at), _moment(s.due), s.result)
        for n, s in enumerate(slip.steps, start=1)
    ]

    def draw(w: PageWriter) -> None:
        w.text(f"Mã hồ sơ: {slip.dossier_code}", font=w.bold, center=True)
        w.text(f"Người nộp hồ sơ: {slip.applicant}")
        w.text(f"Thủ tục hành chính: {slip.procedure}")
        w.gap(3 * mm)
        _table(w, columns, rows)

    return _pdf(slip.head, CONTROL_SLIP_TITLE, draw, family)


def tracking_book_pdf(book: TrackingBook, *, family: FontFamily | None = None) -> bytes:
    """Form 07: one row per dossier the unit received in the period."""
    columns = (("STT", 9.0), ("Mã hồ sơ", 44.0), ("Người nộp", 26.0), ("Thủ tục", 32.0),
               ("Ngày nhận", 17.0), ("Hẹn trả", 17.0), ("Tình trạng", 25.0))  # fmt: skip
    rows = [
        (str(n), r.dossier_code, r.applicant, r.procedure, _moment(r.received_at),
         _moment(r.appointment), f"{r.status} {_moment(r.finished_at) if r.finished_at else ''}")
        for n, r in enumerate(book.rows, start=1)
    ]  # fmt: skip

    def draw(w: PageWriter) -> None:
        w.text(
            f"Từ ngày {book.start:%d/%m/%Y} đến ngày {book.end:%d/%m/%Y}",
            font=w.italic,
            center=True,
        )
        w.text(f"Số hồ sơ: {len(book.rows):02d}", center=True)
        w.gap(3 * mm)
        _table(w, columns, rows)

    return _pdf(book.head, BOOK_TITLE, draw, family)
