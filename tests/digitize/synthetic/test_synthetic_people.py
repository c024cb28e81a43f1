"""People and cases: valid personal identification numbers, Vietnamese names and places."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

from digitize.synthetic import id_number_is_valid, random_case, random_person
from digitize.synthetic.people import century_sex_digit
from digitize.synthetic.words import date_words, long_date, number_words

FAMILY_NAMES = {
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
    "Lâm",
    "Mai",
    "Cao",
    "Đào",
    "Lương",
    "Trịnh",
    "Hà",
    "Tạ",
    "Kiều",
    "Chu",
    "Lưu",
}


def _expected_digit(sex: str, year: int) -> str:
    """Digit 4 spelled out independently of the code under test (DOMAIN.md)."""
    table = {(19, "nam"): "0", (19, "nữ"): "1", (20, "nam"): "2", (20, "nữ"): "3"}
    return table[(year // 100, sex)]


def test_id_numbers_encode_province_century_sex_and_birth_year(provinces: set[str]) -> None:
    for seed in range(400):
        p = random_person(random.Random(seed))
        n = p.id_number
        assert len(n) == 12 and n.isdigit(), n
        assert n[:3] in provinces and n[:3] == p.province_code
        assert n[3] == _expected_digit(p.sex, p.date_of_birth.year), (n, p.sex, p.date_of_birth)
        assert n[4:6] == f"{p.date_of_birth.year % 100:02d}"
        assert id_number_is_valid(n, p.sex, p.date_of_birth, provinces)


def test_children_born_in_the_2000s_get_century_digits_2_and_3(provinces: set[str]) -> None:
    digits = set()
    for seed in range(60):
        child = random_case(random.Random(seed)).child
        assert child.date_of_birth.year >= 2024
        assert id_number_is_valid(child.id_number, child.sex, child.date_of_birth, provinces)
        digits.add(child.id_number[3])
    assert digits == {"2", "3"}
    assert century_sex_digit("nữ", 2101) == 5


def test_a_number_that_disagrees_with_the_sex_or_year_is_invalid(provinces: set[str]) -> None:
    p = random_person(random.Random(7), sex="nam", born_between=(dt.date(1990, 1, 1),) * 2)
    assert id_number_is_valid(p.id_number, "nam", p.date_of_birth, provinces)
    assert not id_number_is_valid(p.id_number, "nữ", p.date_of_birth, provinces)
    assert not id_number_is_valid(p.id_number, "nam", dt.date(1991, 1, 1), provinces)


def test_names_and_addresses_are_vietnamese_with_diacritics_in_nfc() -> None:
    people = [random_person(random.Random(seed)) for seed in range(200)]
    for p in people:
        parts = p.full_name.split()
        assert len(parts) >= 3 and parts[0] in FAMILY_NAMES
        for text in (p.full_name, p.address, p.hometown, p.place_of_birth):
            assert unicodedata.is_normalized("NFC", text)
        assert any(word in p.address for word in ("xã", "phường", "thị trấn"))
        assert any(word in p.address for word in ("huyện", "quận", "thị xã", "thành phố"))
    addresses = " ".join(p.address for p in people)
    assert any(ch in addresses for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
    assert len({p.family_name for p in people}) >= 10
    assert any(p.full_name.split()[1] == "Thị" for p in people if p.sex == "nữ")


def test_a_case_keeps_one_family_together() -> None:
    case = random_case(random.Random(3))
    assert case.mother.sex == "nữ" and case.father.sex == "nam"
    assert case.child.family_name == case.father.family_name
    assert case.child.date_of_birth < case.filed
    assert case.deceased.date_of_birth < case.applicant.date_of_birth


def test_numbers_and_dates_in_words() -> None:
    assert number_words(2025) == "hai nghìn không trăm hai mươi lăm"
    assert number_words(1990) == "một nghìn chín trăm chín mươi"
    assert number_words(21) == "hai mươi mốt"
    assert number_words(105) == "một trăm linh năm"
    assert number_words(850_000_000) == "tám trăm năm mươi triệu"
    assert long_date(dt.date(2025, 2, 5)) == "ngày 05 tháng 02 năm 2025"
    assert long_date(dt.date(2025, 3, 14)) == "ngày 14 tháng 3 năm 2025"
    assert date_words(dt.date(2024, 12, 31)).startswith("Ngày ba mươi mốt, tháng mười hai")
