"""Plausible Vietnamese addresses: village or street, commune, district, province."""

from __future__ import annotations

import random
from dataclasses import dataclass

from config.catalogue import get_catalogue

CITY_CODES = frozenset({"001", "031", "048", "079", "092"})
"""Centrally-run cities: "thành phố", with urban districts (quận) and wards (phường)."""

SOUTHERN_FROM = "048"
"""From Đà Nẵng southwards hamlets are "ấp"/"khu phố" and Hoàng/Vũ are read Huỳnh/Võ."""

HIGHLAND_CODES = frozenset({"002", "004", "006", "010", "011", "012", "014", "015", "017"})
"""Northern mountain provinces, where villages are often "bản"."""

_FIRST = (
    "An",
    "Tân",
    "Phú",
    "Hòa",
    "Bình",
    "Đông",
    "Tây",
    "Nam",
    "Xuân",
    "Thạch",
    "Yên",
    "Hưng",
    "Quảng",
    "Vĩnh",
    "Thanh",
    "Hồng",
    "Cẩm",
    "Đức",
    "Nghĩa",
    "Long",
    "Hải",
    "Kim",
    "Mỹ",
    "Phước",
    "Thuận",
    "Trung",
    "Lạc",
    "Minh",
    "Hiệp",
    "Gia",
    "Diễn",
    "Hoàng",
    "Tiên",
    "Quỳnh",
)
_SECOND = (
    "Lập",
    "Hòa",
    "Phú",
    "Khánh",
    "Hưng",
    "Thịnh",
    "Lợi",
    "Thành",
    "Sơn",
    "Lâm",
    "Xuân",
    "Bình",
    "Tiến",
    "Phong",
    "Lộc",
    "Điền",
    "Thọ",
    "Mỹ",
    "An",
    "Đạo",
    "Hải",
    "Long",
    "Hiệp",
    "Trung",
    "Quang",
    "Định",
    "Nghĩa",
    "Đức",
    "Tường",
    "Châu",
    "Ninh",
    "Hà",
)
_STREETS = (
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Phan Đình Phùng",
    "Nguyễn Du",
    "Hùng Vương",
    "Lê Duẩn",
    "Điện Biên Phủ",
    "Võ Thị Sáu",
    "Trần Phú",
    "Nguyễn Huệ",
    "Lê Hồng Phong",
    "Phan Chu Trinh",
    "Ngô Quyền",
    "Bà Triệu",
    "Nguyễn Văn Cừ",
    "Tô Hiến Thành",
    "Lạc Long Quân",
    "Hoàng Hoa Thám",
    "Nguyễn Thị Minh Khai",
)
_DIRECTIONS = ("Đông", "Tây", "Nam", "Bắc", "Thượng", "Hạ", "Trung", "Đoài", "Chùa", "Đình")


@dataclass(frozen=True)
class Place:
    """An address down to the village or street, as forms write "Nơi cư trú"."""

    province_code: str
    province: str
    """Province name without its kind, e.g. "Nam Định", "Hồ Chí Minh"."""
    province_kind: str
    """Kind of province: tỉnh, or thành phố for the five central cities."""
    district: str
    district_kind: str
    """Kind of district: huyện, quận, thị xã or thành phố."""
    commune: str
    commune_kind: str
    """Kind of commune: xã, phường or thị trấn."""
    locality: str
    """Village, hamlet or street address: "Thôn Đông", "Số 12, ngõ 45, phố Lê Lợi"."""

    @property
    def commune_full(self) -> str:
        """Kind and name of the commune, e.g. xã An Khánh."""
        return f"{self.commune_kind} {self.commune}"

    @property
    def district_full(self) -> str:
        """Kind and name of the district, e.g. huyện Hoài Đức."""
        return f"{self.district_kind} {self.district}"

    @property
    def province_full(self) -> str:
        """Kind and name of the province, e.g. thành phố Hà Nội, tỉnh Nam Định."""
        return f"{self.province_kind} {self.province}"

    @property
    def area(self) -> str:
        """Commune, district, province: "xã An Khánh, huyện Hoài Đức, thành phố Hà Nội"."""
        return f"{self.commune_full}, {self.district_full}, {self.province_full}"

    @property
    def full(self) -> str:
        """The whole address, locality first, as "Nơi cư trú" lines print it."""
        return f"{self.locality}, {self.area}"

    @property
    def southern(self) -> bool:
        """South of Quảng Nam: hamlets are "ấp" and Hoàng/Vũ are read Huỳnh/Võ."""
        return self.province_code >= SOUTHERN_FROM


def provinces() -> dict[str, str]:
    """Province codes to names, from the process's catalogue (config/data/provinces.yaml)."""
    return get_catalogue().provinces


def province_name(code: str) -> tuple[str, str]:
    """(kind, name) of a province code: ("thành phố", "Hồ Chí Minh"), ("tỉnh", "Nam Định")."""
    name = provinces()[code].removeprefix("TP. ")
    return ("thành phố" if code in CITY_CODES else "tỉnh"), name


def place_name(rng: random.Random) -> str:
    """A two-syllable place name in the usual Sino-Vietnamese style: "Tân Lập", "Hòa Khánh"."""
    first = rng.choice(_FIRST)
    second = rng.choice([s for s in _SECOND if s != first])
    return f"{first} {second}"


def _locality(rng: random.Random, code: str, urban: bool) -> str:
    if urban:
        number = rng.randint(1, 250)
        street = rng.choice(_STREETS)
        return rng.choice(
            (
                f"Số {number}, ngõ {rng.randint(2, 180)}, phố {street}",
                f"Số {number} đường {street}",
                f"Tổ dân phố số {rng.randint(1, 25)}",
                f"Số {number}/{rng.randint(2, 60)} đường {street}",
            )
        )
    if code >= SOUTHERN_FROM:
        return rng.choice(
            (f"Ấp {place_name(rng)}", f"Ấp {rng.randint(1, 9)}", f"Khu phố {rng.randint(1, 12)}")
        )
    if code in HIGHLAND_CODES and rng.random() < 0.5:
        return f"Bản {rng.choice(('Nà', 'Pác', 'Khuổi', 'Nậm', 'Co'))} {rng.choice(_SECOND)}"
    return rng.choice(
        (
            f"Thôn {rng.choice(_DIRECTIONS)}",
            f"Thôn {rng.randint(1, 12)}",
            f"Xóm {rng.randint(1, 15)}",
            f"Thôn {place_name(rng)}",
        )
    )


def random_place(rng: random.Random, province_code: str | None = None) -> Place:
    """A random address in the province (a random one when not given)."""
    code = province_code or rng.choice(sorted(provinces()))
    province_kind, province = province_name(code)
    urban = rng.random() < (0.7 if code in CITY_CODES else 0.25)
    if urban:
        district_kind = "quận" if code in CITY_CODES else rng.choice(("thành phố", "thị xã"))
        commune_kind = "phường"
    else:
        district_kind = "huyện"
        commune_kind = "thị trấn" if rng.random() < 0.1 else "xã"
    return Place(
        province_code=code,
        province=province,
        province_kind=province_kind,
        district=place_name(rng),
        district_kind=district_kind,
        commune=place_name(rng),
        commune_kind=commune_kind,
        locality=_locality(rng, code, urban),
    )


def same_commune(rng: random.Random, place: Place) -> Place:
    """Another address in the same commune (a neighbour, a business site)."""
    urban = place.commune_kind == "phường"
    return Place(
        place.province_code,
        place.province,
        place.province_kind,
        place.district,
        place.district_kind,
        place.commune,
        place.commune_kind,
        _locality(rng, place.province_code, urban),
    )
