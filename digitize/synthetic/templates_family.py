"""Templates of marriage and death registration: forms, certificates and confirmations."""

from __future__ import annotations

import datetime as dt
import random

from digitize.synthetic.blocks import (
    DocBuilder,
    agency_header,
    commune_agency,
    dateline,
    leader_roles,
    national_header,
    official,
    pick,
    signature,
    two_signatures,
)
from digitize.synthetic.case import Case
from digitize.synthetic.document import Align, SyntheticDocument
from digitize.synthetic.people import Person
from digitize.synthetic.templates_birth import id_paper, sex_word
from digitize.synthetic.words import dmy

_CAUSES = (
    "Bệnh già",
    "Tai biến mạch máu não",
    "Suy tim",
    "Ung thư phổi",
    "Tai nạn giao thông",
    "Nhồi máu cơ tim",
    "Suy hô hấp",
    "Xơ gan",
)
_PURPOSES = (
    "làm thủ tục đăng ký kết hôn",
    "bổ sung hồ sơ vay vốn ngân hàng",
    "làm thủ tục mua bán nhà đất",
    "bổ sung hồ sơ xin việc",
    "làm thủ tục nhận con nuôi",
)


def marriage_date(case: Case, rng: random.Random) -> dt.date:
    """When the applicant married: after both turned 20, at least a year before the child."""
    younger = max(case.applicant.date_of_birth, case.spouse.date_of_birth)
    earliest = younger.replace(year=younger.year + 20, day=1)
    latest = case.child.date_of_birth - dt.timedelta(days=300)
    return earliest + dt.timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))


def death_of(case: Case, rng: random.Random) -> tuple[dt.date, str]:
    """Date and time of the deceased's death, some weeks before the dossier is filed."""
    died = case.filed - dt.timedelta(days=rng.randint(3, 50))
    return died, f"{rng.randint(0, 23):02d} giờ {rng.randint(0, 59):02d} phút, ngày {dmy(died)}"


def _spouse_fields(b: DocBuilder, p: Person, side: str) -> None:
    b.heading(pick(b.rng, f"Thông tin bên {side}", f"Bên {side}").upper())
    b.field("Họ, chữ đệm, tên", p.upper_name)
    b.field("Ngày, tháng, năm sinh", dmy(p.date_of_birth))
    b.field("Dân tộc", f"{p.ethnicity}    Quốc tịch: {p.nationality}")
    b.field(pick(b.rng, "Nơi cư trú", "Nơi thường trú"), p.address)
    b.field("Giấy tờ tùy thân", id_paper(p, b.rng))
    b.field("Kết hôn lần thứ mấy", pick(b.rng, "Lần đầu", "Thứ nhất"))


def to_khai_ket_hon(case: Case, rng: random.Random) -> SyntheticDocument:
    """Tờ khai đăng ký kết hôn, filled in by both partners."""
    b = DocBuilder("to_khai_ket_hon", "Tờ khai đăng ký kết hôn", rng)
    a, s = case.applicant, case.spouse
    wife, husband = (a, s) if a.sex == "nữ" else (s, a)
    national_header(b)
    b.title_block("Tờ khai đăng ký kết hôn")
    b.text(f"Kính gửi: Ủy ban nhân dân {case.office.area}", align=Align.CENTER)
    sides = [(wife, "nữ"), (husband, "nam")]
    if rng.random() < 0.3:
        sides.reverse()
    for person, side in sides:
        _spouse_fields(b, person, side)
    b.text(
        pick(
            rng,
            "Chúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của "
            "chúng tôi là tự nguyện, không vi phạm quy định của Luật Hôn nhân và gia đình "
            "Việt Nam.",
            "Chúng tôi xin cam đoan việc kết hôn là hoàn toàn tự nguyện, đủ điều kiện kết "
            "hôn theo quy định của pháp luật và chịu trách nhiệm về lời khai của mình.",
        ),
        indent=True,
    )
    b.text(
        f"Làm tại: {dateline(case.office.commune_full, case.filed)}", align=Align.RIGHT, italic=True
    )
    two_signatures(b, ("Bên nữ", wife.full_name), ("Bên nam", husband.full_name))
    b.fields.update(
        full_name=a.full_name,
        id_number=a.id_number,
        date_of_birth=a.date_of_birth.isoformat(),
        spouse_full_name=s.full_name,
        spouse_id_number=s.id_number,
        spouse_date_of_birth=s.date_of_birth.isoformat(),
    )
    return b.build()


def giay_chung_nhan_ket_hon(case: Case, rng: random.Random) -> SyntheticDocument:
    """Giấy chứng nhận kết hôn: the marriage certificate, a result kept by the couple."""
    b = DocBuilder("giay_chung_nhan_ket_hon", "Giấy chứng nhận kết hôn", rng)
    a, s = case.applicant, case.spouse
    wife, husband = (a, s) if a.sex == "nữ" else (s, a)
    married = marriage_date(case, rng)
    national_header(b)
    b.title_block("Giấy chứng nhận kết hôn")
    number, book = rng.randint(1, 150), f"{rng.randint(1, 2):02d}/{married.year}"
    b.text(f"Số: {number}    Quyển số: {book}", align=Align.CENTER)
    spouses = [(husband, "chồng"), (wife, "vợ")]
    if rng.random() < 0.3:
        spouses.reverse()
    name_label = pick(rng, "Họ, chữ đệm, tên", "Họ và tên")
    for person, role in spouses:
        b.field(f"{name_label} {role}", person.upper_name)
        b.field(pick(rng, "Ngày, tháng, năm sinh", "Ngày sinh"), dmy(person.date_of_birth))
        b.field("Dân tộc", f"{person.ethnicity}    Quốc tịch: {person.nationality}")
        b.field(pick(rng, "Nơi cư trú", "Nơi thường trú"), person.address)
        b.field("Giấy tờ tùy thân", id_paper(person, rng))
    body = f"Ủy ban nhân dân {case.office.commune_full}"
    b.field(
        pick(rng, "Nơi đăng ký kết hôn", "Cơ quan đăng ký"), f"Ủy ban nhân dân {case.office.area}"
    )
    b.field(pick(rng, "Ngày, tháng, năm đăng ký", "Ngày đăng ký"), dmy(married))
    if rng.random() < 0.3:
        b.field("Ghi chú", pick(rng, "Không", "-/-"))
    two_signatures(b, ("Chồng", husband.full_name), ("Vợ", wife.full_name))
    roles, _ = leader_roles(rng)
    signature(b, roles, official(rng), note=None, seal=True)
    b.fields.update(
        full_name=a.full_name,
        id_number=a.id_number,
        date_of_birth=a.date_of_birth.isoformat(),
        spouse_full_name=s.full_name,
        spouse_id_number=s.id_number,
        number_symbol=str(number),
        book_number=book,
        issue_date=married.isoformat(),
        issuing_body=body,
    )
    return b.build()


def xac_nhan_tinh_trang_hon_nhan(case: Case, rng: random.Random) -> SyntheticDocument:
    """Giấy xác nhận tình trạng hôn nhân: the commune confirms a resident is single."""
    title = "Giấy xác nhận tình trạng hôn nhân"
    b = DocBuilder("xac_nhan_tinh_trang_hon_nhan", title, rng)
    p, place = case.applicant, case.office
    issued = case.filed + dt.timedelta(days=rng.randint(0, 3))
    number = f"{rng.randint(1, 300)}/{pick(rng, 'UBND-XNTTHN', 'XNTTHN', 'UBND-TP')}"
    agency_header(
        b,
        commune_agency(place),
        number=f"Số: {number}",
        dateline=dateline(place.commune_full, issued),
    )
    b.title_block(title)
    b.text(f"Ủy ban nhân dân {place.commune_full} xác nhận:")
    b.field(pick(rng, "Họ, chữ đệm, tên", "Họ và tên"), p.upper_name)
    b.field("Ngày, tháng, năm sinh", dmy(p.date_of_birth))
    b.field("Giới tính", f"{sex_word(p)}    Dân tộc: {p.ethnicity}    Quốc tịch: {p.nationality}")
    b.field("Giấy tờ tùy thân", id_paper(p, rng))
    b.field("Nơi cư trú", p.address)
    since = p.date_of_birth.replace(year=p.date_of_birth.year + 18, day=1)
    if rng.random() < 0.5:
        b.text(
            f"Trong thời gian cư trú tại {place.commune_full} từ ngày {dmy(since)} "
            f"đến ngày {dmy(issued)}"
        )
    b.field(
        "Tình trạng hôn nhân", pick(rng, "Hiện tại đang độc thân", "Chưa đăng ký kết hôn với ai")
    )
    b.field(pick(rng, "Giấy này được cấp để", "Mục đích sử dụng"), rng.choice(_PURPOSES))
    b.text("Giấy này có giá trị sử dụng 6 tháng kể từ ngày cấp.", italic=True)
    roles, _ = leader_roles(rng)
    signature(b, roles, official(rng), note=None, seal=True)
    b.fields.update(
        full_name=p.full_name,
        id_number=p.id_number,
        date_of_birth=p.date_of_birth.isoformat(),
        number_symbol=number,
        issue_date=issued.isoformat(),
        issuing_body=f"Ủy ban nhân dân {place.commune_full}",
    )
    return b.build()


def _death_lines(b: DocBuilder, d: Person, when: str, cause: str) -> None:
    b.field(pick(b.rng, "Họ, chữ đệm, tên", "Họ và tên người chết"), d.upper_name)
    b.field("Ngày, tháng, năm sinh", dmy(d.date_of_birth))
    b.field("Giới tính", f"{sex_word(d)}    Dân tộc: {d.ethnicity}    Quốc tịch: {d.nationality}")
    b.field(pick(b.rng, "Nơi cư trú cuối cùng", "Nơi thường trú"), d.address)
    b.field("Giấy tờ tùy thân", id_paper(d, b.rng))
    b.field("Đã chết vào lúc", when)
    b.field(
        "Nơi chết",
        pick(b.rng, f"Tại nhà riêng, {d.address}", f"Trung tâm Y tế {d.residence.district_full}"),
    )
    b.field("Nguyên nhân chết", cause)


def to_khai_khai_tu(case: Case, rng: random.Random) -> SyntheticDocument:
    """Tờ khai đăng ký khai tử, filled in by a relative of the deceased."""
    b = DocBuilder("to_khai_khai_tu", "Tờ khai đăng ký khai tử", rng)
    a, d = case.applicant, case.deceased
    died, when = death_of(case, rng)
    national_header(b)
    b.title_block("Tờ khai đăng ký khai tử")
    b.text(f"Kính gửi: Ủy ban nhân dân {case.office.area}", align=Align.CENTER)
    b.field(pick(rng, "Họ, chữ đệm, tên người yêu cầu", "Họ và tên người yêu cầu"), a.upper_name)
    b.field("Nơi cư trú", a.address)
    b.field("Giấy tờ tùy thân", id_paper(a, rng))
    b.field("Quan hệ với người đã chết", pick(rng, "Con", "Con đẻ", "Cháu"))
    b.text(
        pick(
            rng,
            "Đề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:",
            "Đề nghị Quý cơ quan đăng ký khai tử cho người đã chết có tên dưới đây:",
        )
    )
    _death_lines(b, d, when, rng.choice(_CAUSES))
    b.text(
        "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm "
        "trước pháp luật về cam đoan của mình.",
        indent=True,
    )
    signature(
        b,
        ["Người yêu cầu"],
        a.full_name,
        date_text=f"Làm tại: {dateline(case.office.commune_full, case.filed)}",
    )
    b.fields.update(
        full_name=a.full_name,
        id_number=a.id_number,
        deceased_full_name=d.full_name,
        deceased_id_number=d.id_number,
        deceased_date_of_birth=d.date_of_birth.isoformat(),
        date_of_death=died.isoformat(),
    )
    return b.build()


def giay_bao_tu(case: Case, rng: random.Random) -> SyntheticDocument:
    """Giấy báo tử: a hospital's or commune's notice of death, naming the deceased."""
    b = DocBuilder("giay_bao_tu", "Giấy báo tử", rng)
    d = case.deceased
    died, when = death_of(case, rng)
    issued = died + dt.timedelta(days=rng.randint(0, 3))
    place = d.residence
    by_hospital = rng.random() < 0.5
    agency = (
        (f"Sở Y tế {place.province_full}", f"Trung tâm Y tế {place.district_full}")
        if by_hospital
        else commune_agency(place)
    )
    number = f"{rng.randint(1, 900)}/{pick(rng, 'GBT', 'GBT-TTYT' if by_hospital else 'GBT-UBND')}"
    agency_header(
        b,
        agency,
        number=f"Số: {number}",
        dateline=dateline(place.district_full if by_hospital else place.commune_full, issued),
    )
    b.title_block("Giấy báo tử")
    b.text(pick(rng, f"{agency[1]} báo tin:", "Xác nhận người có tên dưới đây đã chết:"))
    _death_lines(b, d, when, rng.choice(_CAUSES))
    roles = ["Giám đốc"] if by_hospital else leader_roles(rng)[0]
    signature(b, roles, official(rng), note=None, seal=True)
    b.fields.update(
        full_name=d.full_name,
        id_number=d.id_number,
        date_of_birth=d.date_of_birth.isoformat(),
        date_of_death=died.isoformat(),
        number_symbol=number,
        issue_date=issued.isoformat(),
        issuing_body=agency[1],
    )
    return b.build()
