"""Numbers and dates as Decree 30/2020/NĐ-CP Appendix I writes them on administrative documents."""

from __future__ import annotations

from datetime import date


def document_number(number: int, symbol: str = "") -> str:
    """A document's number and symbol: numbers below 10 take a leading zero ("05/QĐ-UBND");
    without a symbol, the number alone ("05")."""
    if number < 1:
        raise ValueError(f"document numbers start at 1, not {number}")
    text = f"{number:02d}"
    return f"{text}/{symbol}" if symbol else text


def document_date(day: date) -> str:
    """The date in words of the place-and-date line: days below 10 and the months January and
    February take a leading zero, the other months do not ("ngày 05 tháng 3 năm 2026",
    "ngày 14 tháng 02 năm 2026")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def civil_status_number(number: int, book: str) -> str:
    """A civil-status result's number from its book ("Số: 05, Quyển số: 01/2026"): birth and
    marriage certificates take it from the civil-status book, not the văn thư register."""
    return f"Số: {book_entry(number, book)}"


def book_entry(number: int, book: str) -> str:
    """What văn thư writes after a civil-status result's "Số:" label: the number and its
    book ("05, Quyển số: 01/2026"; the whole line: civil_status_number)."""
    return f"{document_number(number)}, Quyển số: {book}"
