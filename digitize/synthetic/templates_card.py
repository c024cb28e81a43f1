"""Template of the citizen ID card (CCCD 2021 chip card or 2024 "Căn cước"), front and back."""

from __future__ import annotations

import datetime as dt
import random

from config.text import fold
from digitize.synthetic.blocks import DocBuilder, official
from digitize.synthetic.case import Case
from digitize.synthetic.document import Align, Column, Line, Mark, Style, SyntheticDocument
from digitize.synthetic.people import Person
from digitize.synthetic.templates_birth import ID_AUTHORITY, sex_word
from digitize.synthetic.words import dmy

_FEATURES = (
    "Nốt ruồi C:1cm dưới sau mép phải",
    "Sẹo chấm C:2cm trên trước đuôi mắt trái",
    "Nốt ruồi C:1,5cm trên đầu mày phải",
    "Sẹo chấm C:1cm dưới cằm",
)


def _check_digit(text: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1) over digits, letters and fillers."""
    total = 0
    for index, ch in enumerate(text):
        value = int(ch) if ch.isdigit() else (ord(ch) - 55 if ch.isalpha() else 0)
        total += value * (7, 3, 1)[index % 3]
    return str(total % 10)


def mrz(p: Person, expiry: dt.date | None) -> tuple[str, str, str]:
    """The three 30-character machine-readable lines on the back of the card (TD1)."""
    document = p.id_number[3:]
    line1 = f"IDVNM{document}{_check_digit(document)}{p.id_number}".ljust(30, "<")[:30]
    born = f"{p.date_of_birth:%y%m%d}"
    until = f"{expiry:%y%m%d}" if expiry else "991231"
    body = f"{born}{_check_digit(born)}{'M' if p.sex == 'nam' else 'F'}{until}{_check_digit(until)}"
    line2 = f"{body}VNM".ljust(29, "<") + _check_digit(line1 + body)
    parts = fold(p.full_name).upper().split()
    line3 = f"{parts[0]}<<{'<'.join(parts[1:])}".ljust(30, "<")[:30]
    return line1, line2, line3


def _bilingual(b: DocBuilder, vi: str, en: str, value: str, *, newline: bool = False) -> None:
    """A card field: "Vietnamese label / English label: value", value on its own line if long."""
    if newline:
        b.add(
            Line(f"{vi} / {en}:", Style.SMALL, column=Column.RIGHT),
            Line(value, Style.FIELD, column=Column.RIGHT, bold=True),
        )
    else:
        b.add(Line(f"{vi} / {en}: {value}", Style.FIELD, column=Column.RIGHT))


def _front(b: DocBuilder, p: Person, chip2024: bool, expiry: str) -> None:
    b.add(
        Line(
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            Style.NATIONAL_HEADER,
            align=Align.CENTER,
            bold=True,
        ),
        Line("SOCIALIST REPUBLIC OF VIET NAM", Style.SMALL, align=Align.CENTER),
    )
    if not chip2024:
        b.add(
            Line("Độc lập - Tự do - Hạnh phúc", Style.MOTTO, align=Align.CENTER, bold=True),
            Line("Independence - Freedom - Happiness", Style.SMALL, align=Align.CENTER),
        )
    title, english = (
        ("CĂN CƯỚC", "IDENTITY CARD")
        if chip2024
        else ("CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card")
    )
    b.add(
        Line(title, Style.TITLE, align=Align.CENTER, bold=True),
        Line(english, Style.SMALL, align=Align.CENTER, bold=True),
    )
    b.add(Line("", Style.SPACE, mark=Mark.PHOTO, height_mm=20.0, column=Column.LEFT))
    if chip2024:
        _bilingual(b, "Số định danh cá nhân", "Personal identification number", p.id_number)
        _bilingual(b, "Họ, chữ đệm và tên khai sinh", "Full name", p.upper_name, newline=True)
        _bilingual(b, "Ngày, tháng, năm sinh", "Date of birth", dmy(p.date_of_birth))
        _bilingual(
            b, "Giới tính", "Sex", f"{sex_word(p)}    Quốc tịch / Nationality: {p.nationality}"
        )
        return
    b.add(
        Line(f"Có giá trị đến: {expiry}", Style.SMALL, column=Column.LEFT),
        Line("Date of expiry", Style.SMALL, column=Column.LEFT),
    )
    _bilingual(b, "Số", "No.", p.id_number)
    _bilingual(b, "Họ và tên", "Full name", p.upper_name, newline=True)
    _bilingual(b, "Ngày sinh", "Date of birth", dmy(p.date_of_birth))
    _bilingual(b, "Giới tính", "Sex", f"{sex_word(p)}    Quốc tịch / Nationality: {p.nationality}")
    _bilingual(b, "Quê quán", "Place of origin", p.hometown, newline=True)
    _bilingual(b, "Nơi thường trú", "Place of residence", p.address, newline=True)


def _back(b: DocBuilder, p: Person, chip2024: bool, issued: dt.date, expiry: str) -> str:
    """The back of the card; returns the issuing body it names."""
    rng = b.rng
    left, right = Column.LEFT, Column.RIGHT
    b.new_page()
    if chip2024:
        _bilingual(b, "Nơi cư trú", "Place of residence", p.address, newline=True)
        _bilingual(b, "Nơi đăng ký khai sinh", "Place of birth", p.hometown, newline=True)
        _bilingual(b, "Ngày, tháng, năm cấp", "Date of issue", dmy(issued))
        _bilingual(b, "Ngày, tháng, năm hết hạn", "Date of expiry", expiry)
        body = "Bộ Công an"
        b.add(
            Line("", Style.SPACE, mark=Mark.QR, height_mm=16.0, column=left),
            Line("BỘ CÔNG AN / MINISTRY OF PUBLIC SECURITY", Style.SMALL, bold=True, column=right),
        )
    else:
        b.add(
            Line("", Style.SPACE, mark=Mark.FINGERPRINT, height_mm=13.0, column=left),
            Line("Ngón trỏ trái / Left index finger", Style.SMALL, column=left),
        )
        _bilingual(
            b, "Đặc điểm nhân dạng", "Personal identification", rng.choice(_FEATURES), newline=True
        )
        _bilingual(b, "Ngày, tháng, năm", "Date, month, year", dmy(issued))
        b.add(
            Line(
                "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",
                Style.SMALL,
                align=Align.CENTER,
                bold=True,
                column=right,
            ),
            Line("", Style.SPACE, mark=Mark.SIGNATURE, height_mm=5.0, column=right),
            Line(official(rng), Style.SMALL, align=Align.CENTER, bold=True, column=right),
        )
        body = ID_AUTHORITY
    for code_line in mrz(p, p.id_expiry):
        b.add(Line(code_line, Style.FIELD))
    return body


def cccd(case: Case, rng: random.Random) -> SyntheticDocument:
    """The applicant's ID card at card size: the front, and the back more often than not."""
    p = case.applicant
    chip2024 = rng.random() < 0.3
    title = "Căn cước" if chip2024 else "Căn cước công dân"
    b = DocBuilder("cccd", title, rng, page_size="card")
    issued = p.id_issue_date or case.filed - dt.timedelta(days=400)
    expiry = dmy(p.id_expiry) if p.id_expiry else "Không thời hạn"
    _front(b, p, chip2024, expiry)
    b.fields.update(
        full_name=p.full_name,
        id_number=p.id_number,
        date_of_birth=p.date_of_birth.isoformat(),
        sex=sex_word(p),
    )
    valid_until = p.id_expiry.isoformat() if p.id_expiry else "Không thời hạn"
    if not chip2024:  # the 2024 card prints its expiry on the back only
        b.fields.update(valid_until=valid_until)
    if rng.random() < 0.6:
        body = _back(b, p, chip2024, issued, expiry)
        b.fields.update(issue_date=issued.isoformat(), issuing_body=body, valid_until=valid_until)
    return b.build()
