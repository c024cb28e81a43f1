"""The story behind a dossier: who applies, the child, spouse, parcel or business it is about."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from config.catalogue import get_catalogue
from digitize.synthetic.people import REFERENCE_DATE, Person, Sex, random_person
from digitize.synthetic.places import Place, random_place, same_commune

_TRADES = (
    ("Bán lẻ hàng tạp hóa", "Tạp hóa"),
    ("Dịch vụ ăn uống", "Quán ăn"),
    ("Sửa chữa xe máy", "Sửa xe"),
    ("Bán lẻ quần áo, giày dép", "Thời trang"),
    ("Cắt tóc, gội đầu", "Salon tóc"),
    ("Bán lẻ điện thoại, phụ kiện", "Điện thoại"),
    ("Kinh doanh cà phê, giải khát", "Cà phê"),
    ("Bán buôn vật liệu xây dựng", "Vật liệu"),
    ("Dịch vụ photocopy, in ấn", "Photocopy"),
    ("Bán lẻ thuốc tân dược", "Nhà thuốc"),
)
_LAND_USES = (
    ("Đất ở tại nông thôn", "ONT"),
    ("Đất ở tại đô thị", "ODT"),
    ("Đất trồng cây lâu năm", "CLN"),
    ("Đất trồng lúa", "LUC"),
    ("Đất nuôi trồng thủy sản", "NTS"),
)


@dataclass(frozen=True)
class Business:
    """A household business ("hộ kinh doanh")."""

    name: str
    trade: str
    address: Place
    capital: int
    """Registered capital in đồng."""
    employees: int
    code: str
    """Household business code on the certificate."""


@dataclass(frozen=True)
class Parcel:
    """A land parcel as cadastral maps and certificates identify it."""

    sheet: int
    """Map sheet number ("tờ bản đồ số")."""
    number: int
    """Parcel number ("thửa đất số")."""
    area: float
    """Area in square metres."""
    use: str
    use_code: str
    address: Place
    certificate_serial: str
    """Printed serial of the paper certificate: "CS 123456"."""
    register_number: str
    """Number in the certificate register: "CS 01234"."""
    price: int
    """Transfer price in đồng."""

    @property
    def area_text(self) -> str:
        """Area with a decimal comma, as Vietnamese documents print it: 125,4."""
        return f"{self.area:.1f}".replace(".", ",")


@dataclass(frozen=True)
class Case:
    """Everyone and everything one dossier's documents mention, generated together so the
    documents agree (the same child on the birth form and the medical certificate)."""

    applicant: Person
    spouse: Person
    child: Person
    deceased: Person
    agent: Person
    """Someone the applicant authorizes (power of attorney)."""
    counterparty: Person
    """The other party of a contract (the buyer of a land parcel)."""
    office: Place
    """The commune the applicant applies at: their residence."""
    filed: dt.date
    """Day the dossier is filed; documents the citizen brings are dated before it."""
    business: Business
    parcel: Parcel
    procedure_code: str = "1.001193"
    """The procedure the dossier is filed for (receipts list its components)."""
    dossier_code: str = "000.00.12.H42-250314-0012"
    """Code the office gives the dossier at reception (config.identifiers.DOSSIER_CODE)."""

    @property
    def mother(self) -> Person:
        """The child's mother: the applicant or their spouse."""
        return self.applicant if self.applicant.sex == "nữ" else self.spouse

    @property
    def father(self) -> Person:
        """The child's father: the applicant or their spouse."""
        return self.applicant if self.applicant.sex == "nam" else self.spouse


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _spouse(rng: random.Random, applicant: Person) -> Person:
    sex: Sex = "nam" if applicant.sex == "nữ" else "nữ"
    born = applicant.date_of_birth
    return random_person(
        rng,
        sex=sex,
        residence=applicant.residence,
        born_between=(born - dt.timedelta(days=6 * 365), born + dt.timedelta(days=4 * 365)),
    )


def _business(rng: random.Random, owner: Person) -> Business:
    trade, short = rng.choice(_TRADES)
    return Business(
        name=f"Hộ kinh doanh {short} {' '.join(owner.full_name.split()[-2:])}",
        trade=trade,
        address=same_commune(rng, owner.residence),
        capital=rng.randrange(50, 1500) * 1_000_000,
        employees=rng.randint(1, 8),
        code=f"{rng.randint(1, 99):02d}{rng.choice('ABCDEGHK')}{rng.randrange(10**7):07d}",
    )


def _parcel(rng: random.Random, owner: Person) -> Parcel:
    use, code = rng.choice(_LAND_USES)
    letters = rng.choice(("CS", "CT", "CH", "BY", "DA", "DB"))
    return Parcel(
        sheet=rng.randint(1, 60),
        number=rng.randint(1, 950),
        area=rng.randint(450, 6000) / 10 if code in ("ONT", "ODT") else rng.randint(300, 9000),
        use=use,
        use_code=code,
        address=same_commune(rng, owner.residence),
        certificate_serial=f"{letters} {rng.randrange(10**6):06d}",
        register_number=f"{rng.choice(('CS', 'CH', 'VP'))} {rng.randrange(10**5):05d}",
        price=rng.randrange(3, 300) * 10_000_000,
    )


def dossier_code(rng: random.Random, filed: dt.date) -> str:
    """A dossier code: agency code V1V2V3.Z1Z2.Y1Y2.MX1X2, receipt date, day's serial."""
    agency = f"000.{rng.randint(0, 40):02d}.{rng.randint(1, 40):02d}.H{rng.randint(1, 63):02d}"
    return f"{agency}-{filed:%y%m%d}-{rng.randint(1, 60):04d}"


def random_case(
    rng: random.Random, applicant: Person | None = None, procedure_code: str | None = None
) -> Case:
    """A case around an applicant (a random adult when not given)."""
    applicant = applicant or random_person(
        rng, born_between=(dt.date(1975, 1, 1), dt.date(2001, 12, 31))
    )
    spouse = _spouse(rng, applicant)
    father = applicant if applicant.sex == "nam" else spouse
    filed = _day(rng, dt.date(2024, 3, 1), REFERENCE_DATE - dt.timedelta(days=14))
    child = random_person(
        rng,
        family_name=father.family_name,
        residence=applicant.residence,
        province_code=applicant.residence.province_code,
        born_between=(filed - dt.timedelta(days=55), filed - dt.timedelta(days=2)),
    )
    elder_born = (
        applicant.date_of_birth.replace(year=applicant.date_of_birth.year - 38, day=1),
        applicant.date_of_birth.replace(year=applicant.date_of_birth.year - 20, day=1),
    )
    deceased = random_person(rng, born_between=elder_born, residence=applicant.residence)
    return Case(
        applicant=applicant,
        spouse=spouse,
        child=child,
        deceased=deceased,
        agent=random_person(rng, residence=random_place(rng, applicant.residence.province_code)),
        counterparty=random_person(rng),
        office=applicant.residence,
        filed=filed,
        business=_business(rng, applicant),
        parcel=_parcel(rng, applicant),
        procedure_code=procedure_code
        or rng.choice(sorted(p.code for p in get_catalogue().procedures)),
        dossier_code=dossier_code(rng, filed),
    )
