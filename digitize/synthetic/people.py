"""Random Vietnamese people with valid personal identification numbers and addresses."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Literal

from config.text import nfc
from digitize.synthetic.places import Place, random_place

Sex = Literal["nam", "nữ"]
SEXES: tuple[Sex, Sex] = ("nam", "nữ")

REFERENCE_DATE = dt.date(2025, 6, 30)
"""The "today" of every generated document: fixed, so output never depends on the clock."""

_FAMILY = (
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 51),
    ("Phan", 45),
    ("Vũ", 39),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 6),
    ("Trương", 5),
    ("Lâm", 3),
    ("Mai", 3),
    ("Cao", 3),
    ("Đào", 3),
    ("Lương", 2),
    ("Trịnh", 3),
    ("Hà", 3),
    ("Tạ", 2),
    ("Kiều", 1),
    ("Chu", 2),
    ("Lưu", 2),
)
"""Family names with rough frequencies per thousand people."""

_SOUTHERN_READING = {"Hoàng": "Huỳnh", "Vũ": "Võ"}

_MIDDLE = {
    "nam": (
        "Văn",
        "Văn",
        "Văn",
        "Đức",
        "Minh",
        "Quang",
        "Hữu",
        "Công",
        "Thanh",
        "Xuân",
        "Ngọc",
        "Duy",
        "Tuấn",
        "Hoàng",
        "Anh",
        "Quốc",
        "Trọng",
        "Gia",
        "Bảo",
        "Đình",
    ),
    "nữ": (
        "Thị",
        "Thị",
        "Thị",
        "Thị",
        "Ngọc",
        "Thu",
        "Thanh",
        "Hồng",
        "Minh",
        "Phương",
        "Thùy",
        "Kim",
        "Bảo",
        "Khánh",
        "Mai",
        "Diệu",
        "Hải",
        "Quỳnh",
        "Bích",
        "Thảo",
    ),
}
_GIVEN = {
    "nam": (
        "Hùng",
        "Dũng",
        "Tuấn",
        "Nam",
        "Long",
        "Hải",
        "Minh",
        "Quân",
        "Phúc",
        "Thắng",
        "Cường",
        "Hiếu",
        "Trung",
        "Đức",
        "Khoa",
        "Huy",
        "Bình",
        "Sơn",
        "Tùng",
        "Việt",
        "Thành",
        "Toàn",
        "Hậu",
        "Lâm",
        "Khánh",
        "Đạt",
        "Phong",
        "Kiên",
        "Tài",
        "Hoàng",
        "An",
        "Bảo",
        "Nghĩa",
        "Quang",
        "Vinh",
        "Thịnh",
        "Duy",
        "Hưng",
        "Tiến",
        "Lộc",
    ),
    "nữ": (
        "Lan",
        "Hương",
        "Hoa",
        "Mai",
        "Hằng",
        "Linh",
        "Trang",
        "Thảo",
        "Ngọc",
        "Nhung",
        "Huyền",
        "Phương",
        "Thủy",
        "Yến",
        "Hà",
        "Nga",
        "Vân",
        "Loan",
        "Hạnh",
        "Thu",
        "Dung",
        "Liên",
        "Oanh",
        "Quyên",
        "Diệp",
        "Nhi",
        "Vy",
        "Anh",
        "Trâm",
        "Giang",
        "Hiền",
        "Tâm",
        "Uyên",
        "My",
        "Châu",
        "Ly",
        "Huệ",
        "Xuân",
        "Lụa",
        "Thắm",
    ),
}
_ETHNICITIES = (
    ("Kinh", 850),
    ("Tày", 20),
    ("Thái", 19),
    ("Mường", 15),
    ("Khmer", 14),
    ("Hoa", 8),
    ("Nùng", 11),
    ("H'Mông", 12),
    ("Dao", 9),
    ("Gia Rai", 5),
    ("Ê Đê", 4),
    ("Chăm", 2),
)
_RELIGIONS = (
    ("Không", 80),
    ("Phật giáo", 10),
    ("Công giáo", 7),
    ("Tin lành", 1),
    ("Cao Đài", 1),
    ("Phật giáo Hòa Hảo", 1),
)
_OCCUPATIONS = (
    "Nông dân",
    "Công nhân",
    "Giáo viên",
    "Kinh doanh",
    "Nhân viên văn phòng",
    "Lao động tự do",
    "Kỹ sư",
    "Bác sĩ",
    "Điều dưỡng",
    "Kế toán",
    "Buôn bán",
    "Hưu trí",
    "Nội trợ",
    "Lái xe",
    "Thợ may",
    "Công chức",
    "Viên chức",
)


@dataclass(frozen=True)
class Person:
    """A citizen as documents describe them; every string is NFC."""

    full_name: str
    """Family name, middle name(s), given name, in title case: "Nguyễn Thị Lan"."""
    sex: Sex
    date_of_birth: dt.date
    id_number: str
    """12-digit personal identification number, consistent with the fields below."""
    province_code: str
    """Province of birth registration: digits 1-3 of id_number."""
    residence: Place
    """Permanent residence ("nơi thường trú")."""
    hometown: str
    """Place of origin ("quê quán"), commune to province."""
    place_of_birth: str
    ethnicity: str = "Kinh"
    religion: str = "Không"
    nationality: str = "Việt Nam"
    occupation: str = ""
    phone: str = ""
    id_issue_date: dt.date | None = None
    """When the current ID card was issued; None for a child without a card."""
    id_expiry: dt.date | None = None
    """When the card expires; None when it has no expiry (issued after age 60) or no card."""

    @property
    def address(self) -> str:
        """The permanent residence as one line."""
        return self.residence.full

    @property
    def family_name(self) -> str:
        """The family name, first: Nguyễn in Nguyễn Thị Lan."""
        return self.full_name.split()[0]

    @property
    def upper_name(self) -> str:
        """The name in capitals, as certificates and ID cards print it."""
        return self.full_name.upper()

    def age_on(self, day: dt.date) -> int:
        """Completed years of age on a day."""
        before = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - int(before)


def century_sex_digit(sex: Sex, year: int) -> int:
    """Digit 4 of the ID number: 0/1 for men/women born in the 1900s, 2/3 in the 2000s..."""
    century = (year // 100) - 19
    if not 0 <= century <= 4:
        raise ValueError(f"no ID number century digit for birth year {year}")
    return century * 2 + (0 if sex == "nam" else 1)


def make_id_number(rng: random.Random, province_code: str, sex: Sex, born: dt.date) -> str:
    """A valid 12-digit number: province, century/sex, 2-digit birth year, 6 random digits."""
    serial = rng.randrange(1_000_000)
    return f"{province_code}{century_sex_digit(sex, born.year)}{born.year % 100:02d}{serial:06d}"


def id_number_is_valid(number: str, sex: Sex, born: dt.date, provinces: set[str]) -> bool:
    """Whether a number agrees with a sex and birth date, as a clerk would check it."""
    return (
        len(number) == 12
        and number.isdigit()
        and number[:3] in provinces
        and number[3] == str(century_sex_digit(sex, born.year))
        and number[4:6] == f"{born.year % 100:02d}"
    )


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    names = [name for name, _ in table]
    return rng.choices(names, weights=[w for _, w in table])[0]


def random_name(
    rng: random.Random, sex: Sex, *, family: str | None = None, southern: bool = False
) -> str:
    """A realistic full name; southern=True reads Hoàng/Vũ as Huỳnh/Võ."""
    family = family or _weighted(rng, _FAMILY)
    if southern:
        family = _SOUTHERN_READING.get(family, family)
    middle = rng.choice(_MIDDLE[sex])
    given = rng.choice([g for g in _GIVEN[sex] if g != middle])
    if rng.random() < 0.12:
        second = rng.choice([m for m in _MIDDLE[sex] if m not in (middle, "Văn", "Thị")])
        middle = f"{middle} {second}"
    return nfc(f"{family} {middle} {given}")


def _random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _card_dates(rng: random.Random, born: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Issue and expiry of the current card: renewed at 25, 40, 60, no expiry after 60."""
    earliest = max(dt.date(2016, 1, 1), born.replace(year=born.year + 14, day=1))
    if earliest >= REFERENCE_DATE:
        return None, None
    issued = _random_day(rng, earliest, REFERENCE_DATE - dt.timedelta(days=30))
    expiry = _card_expiry(born, issued)
    while expiry is not None and expiry < REFERENCE_DATE:
        # the card in the wallet is the current one: renewed a month before the old expired
        issued = expiry - dt.timedelta(days=30)
        expiry = _card_expiry(born, issued)
    return issued, expiry


def _card_expiry(born: dt.date, issued: dt.date) -> dt.date | None:
    """The expiry a card issued on that day prints: the holder's 25th, 40th or 60th
    birthday (a card issued within two years before one runs to the next), none after 58."""
    age = issued.year - born.year
    for limit in (25, 40, 60):
        if age < limit - 2:
            return born.replace(year=born.year + limit, day=min(born.day, 28))
    return None


def random_person(
    rng: random.Random,
    *,
    sex: Sex | None = None,
    born_between: tuple[dt.date, dt.date] = (dt.date(1955, 1, 1), dt.date(2006, 12, 31)),
    province_code: str | None = None,
    family_name: str | None = None,
    residence: Place | None = None,
) -> Person:
    """A random person; keyword arguments pin what a story needs (a child's family name...)."""
    chosen: Sex = sex if sex is not None else rng.choice(SEXES)
    born = _random_day(rng, *born_between)
    residence = residence or random_place(rng, province_code)
    code = province_code or (
        residence.province_code if rng.random() < 0.75 else random_place(rng).province_code
    )
    origin = random_place(rng, code)
    issued, expiry = _card_dates(rng, born)
    return Person(
        full_name=random_name(rng, chosen, family=family_name, southern=residence.southern),
        sex=chosen,
        date_of_birth=born,
        id_number=make_id_number(rng, code, chosen, born),
        province_code=code,
        residence=residence,
        hometown=nfc(origin.area[:1].upper() + origin.area[1:]),
        place_of_birth=_birth_place(rng, origin),
        ethnicity=_weighted(rng, _ETHNICITIES),
        religion=_weighted(rng, _RELIGIONS),
        occupation=rng.choice(_OCCUPATIONS),
        phone=f"0{rng.choice((3, 5, 7, 8, 9))}{rng.randrange(10**8):08d}",
        id_issue_date=issued,
        id_expiry=expiry,
    )


def _birth_place(rng: random.Random, origin: Place) -> str:
    return rng.choice(
        (
            f"Bệnh viện Đa khoa {origin.province_full}",
            f"Trạm Y tế {origin.commune_full}, {origin.district_full}, {origin.province_full}",
            f"Bệnh viện Phụ sản {origin.province_full}",
            f"Trung tâm Y tế {origin.district_full}, {origin.province_full}",
        )
    )
