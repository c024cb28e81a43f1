"""Vietnamese numbers and dates as official documents print them, in figures and in words."""

from __future__ import annotations

import datetime as dt

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu", "tỷ")


def _tens_and_units(n: int) -> str:
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    head = "mười" if tens == 1 else f"{_DIGITS[tens]} mươi"
    if units == 0:
        return head
    if units == 1 and tens > 1:
        tail = "mốt"
    elif units == 5:
        tail = "lăm"
    else:
        tail = _DIGITS[units]
    return f"{head} {tail}"


def _hundreds(n: int, *, full: bool) -> str:
    """Words for 0 <= n < 1000; full=True spells "không trăm" and "linh" inside a number."""
    hundreds, rest = divmod(n, 100)
    parts: list[str] = []
    if hundreds or full:
        parts.append(f"{_DIGITS[hundreds]} trăm")
    if rest == 0:
        return " ".join(parts)
    if rest < 10 and parts:
        parts.append(f"linh {_DIGITS[rest]}")
    else:
        parts.append(_tens_and_units(rest))
    return " ".join(parts)


def number_words(n: int) -> str:
    """A non-negative integer in Vietnamese words, e.g. 2025 -> "hai nghìn không trăm hai mươi lăm".

    Used for amounts and dates "ghi bằng chữ", which forms repeat in words to prevent forgery.
    """
    if n < 0:
        raise ValueError(f"number_words needs a non-negative number, not {n}")
    if n == 0:
        return _DIGITS[0]
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        inner = index < len(groups) - 1
        chunk = _hundreds(group, full=inner)
        scale = _SCALES[index % 4] if index < 4 else "tỷ"
        words.append(f"{chunk} {scale}".strip())
    return " ".join(words)


def capitalize(text: str) -> str:
    """First letter upper-cased, the rest untouched (str.capitalize lowers proper names)."""
    return text[:1].upper() + text[1:]


def money(amount: int) -> str:
    """An amount in đồng with dots as thousands separators: 850.000.000."""
    return f"{amount:,}".replace(",", ".")


def money_words(amount: int) -> str:
    """An amount in words, as contracts repeat it: "Tám trăm năm mươi triệu đồng"."""
    return capitalize(number_words(amount)) + " đồng"


def dmy(day: dt.date) -> str:
    """Day/month/year with zero padding: 05/03/2025."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def long_date(day: dt.date) -> str:
    """A date as running text, e.g. ngày 05 tháng 3 năm 2025; days below 10 and months
    1-2 are zero-padded (Decree 30/2020)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_words(day: dt.date) -> str:
    """A date in words, as birth certificates print it beside the figures."""
    return (
        f"Ngày {number_words(day.day)}, tháng {number_words(day.month)}, "
        f"năm {number_words(day.year)}"
    )
