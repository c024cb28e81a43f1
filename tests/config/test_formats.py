"""Numbers and dates as Decree 30/2020/NĐ-CP Appendix I writes them."""

from __future__ import annotations

from datetime import date

import pytest

from config.formats import civil_status_number, document_date, document_number


def test_numbers_below_ten_take_a_leading_zero() -> None:
    assert document_number(5, "QĐ-UBND") == "05/QĐ-UBND"
    assert document_number(12, "QĐ-UBND") == "12/QĐ-UBND"
    assert document_number(7) == "07"
    with pytest.raises(ValueError, match="start at 1"):
        document_number(0)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 14), "ngày 14 tháng 02 năm 2026"),
        (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
        (date(2026, 10, 9), "ngày 09 tháng 10 năm 2026"),
    ],
)
def test_days_below_ten_and_january_february_take_a_leading_zero(day: date, text: str) -> None:
    assert document_date(day) == text


def test_civil_status_results_carry_their_books_number() -> None:
    assert civil_status_number(5, "01/2026") == "Số: 05, Quyển số: 01/2026"
