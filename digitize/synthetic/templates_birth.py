"""Templates of birth registration: the form, the medical birth certificate, the result."""

from __future__ import annotations

import datetime as dt
import random

from digitize.synthetic.blocks import (
    DocBuilder,
    agency_header,
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
from digitize.synthetic.words import date_words, dmy

ID_AUTHORITY = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
"""Issuer printed on chip ID cards since 2021."""


def id_paper(p: Person, rng: random.Random) -> str:
    """How forms describe the applicant's ID: card kind, number, issue date and issuer."""
    kind = pick(rng, "Căn cước công dân", "CCCD", "Thẻ căn cước")
    issued = f", cấp ngày {dmy(p.id_issue_date)}" if p.id_issue_date else ""
    where = pick(rng, f", nơi cấp: {ID_AUTHORITY}", "", ", nơi cấp: Cục CS QLHC về TTXH")
    return f"{kind} số {p.id_number}{issued}{where}"


def sex_word(p: Person) -> str:
    """The sex as forms print it: Nam or Nữ."""
    return "Nam" if p.sex == "nam" else "Nữ"


def relation(case: Case) -> str:
    """What the applicant is to the child."""
    return "Mẹ" if case.applicant.sex == "nữ" else "Cha"


def _child_lines(b: DocBuilder, case: Case) -> None:
    child, rng = case.child, b.rng
    name_label = pick(rng, "Họ, chữ đệm, tên", "Họ, chữ đệm và tên", "Họ và tên")
    b.field(name_label, child.upper_name)
    b.field("Ngày, tháng, năm sinh", f"{dmy(child.date_of_birth)}")
    if rng.random() < 0.7:
        b.field("Ghi bằng chữ", date_words(child.date_of_birth))
    b.field(
        "Giới tính",
        f"{sex_word(child)}    Dân tộc: {child.ethnicity}    Quốc tịch: {child.nationality}",
    )
    b.field("Nơi sinh", child.place_of_birth)
    b.field("Quê quán", case.father.hometown)


def _parent_lines(b: DocBuilder, parent: Person, role: str) -> None:
    b.field(f"Họ, chữ đệm, tên người {role}", parent.upper_name)
    b.field(
        "Năm sinh",
        f"{parent.date_of_birth.year}    Dân tộc: {parent.ethnicity}    "
        f"Quốc tịch: {parent.nationality}",
    )
    b.field("Nơi cư trú", parent.address)


def to_khai_khai_sinh(case: Case, rng: random.Random) -> SyntheticDocument:
    """Tờ khai đăng ký khai sinh (form of Circular 04/2020/TT-BTP), filled in by a parent."""
    b = DocBuilder("to_khai_khai_sinh", "Tờ khai đăng ký khai sinh", rng)
    a = case.applicant
    national_header(b)
    b.title_block("Tờ khai đăng ký khai sinh")
    b.text(f"Kính gửi: Ủy ban nhân dân {case.office.area}", align=Align.CENTER)
    b.field(pick(rng, "Họ, chữ đệm, tên người yêu cầu", "Họ và tên người yêu cầu"), a.upper_name)
    b.field("Nơi cư trú", a.address)
    b.field("Giấy tờ tùy thân", id_paper(a, rng))
    b.field("Quan hệ với người được khai sinh", relation(case))
    b.text(
        pick(
            rng,
            "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
            "Đề nghị cơ quan có thẩm quyền đăng ký khai sinh cho người có tên dưới đây:",
        )
    )
    _child_lines(b, case)
    _parent_lines(b, case.mother, "mẹ")
    _parent_lines(b, case.father, "cha")
    b.text(
        pick(
            rng,
            "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật, "
            "được sự thỏa thuận nhất trí của các bên liên quan theo quy định pháp luật.",
            "Tôi xin cam đoan những thông tin khai trên đây là đúng sự thật và chịu "
            "trách nhiệm trước pháp luật về cam đoan của mình.",
        ),
        indent=True,
    )
    if rng.random() < 0.6:
        b.field("Đề nghị cấp bản sao", f"Có, số lượng: {rng.randint(1, 3):02d} bản")
    signature(
        b,
        ["Người yêu cầu"],
        a.full_name,
        date_text=f"Làm tại: {dateline(case.office.commune_full, case.filed)}",
        note=pick(rng, "(Ký, ghi rõ họ, chữ đệm, tên)", "(Ký, ghi rõ họ tên)"),
    )
    b.fields.update(
        full_name=a.full_name,
        id_number=a.id_number,
        child_full_name=case.child.full_name,
        child_date_of_birth=case.child.date_of_birth.isoformat(),
        mother_full_name=case.mother.full_name,
        father_full_name=case.father.full_name,
    )
    return b.build()


def _birth_time(rng: random.Random, day: dt.date) -> str:
    return f"{rng.randint(0, 23):02d} giờ {rng.randint(0, 59):02d} phút, ngày {dmy(day)}"


def giay_chung_sinh(case: Case, rng: random.Random) -> SyntheticDocument:
    """Giấy chứng sinh: the hospital's medical birth certificate, naming the mother."""
    b = DocBuilder("giay_chung_sinh", "Giấy chứng sinh", rng)
    mother, child = case.mother, case.child
    hospital = child.place_of_birth.split(",")[0]
    number = f"Số: {rng.randint(100, 9999)}/GCS"
    agency_header(
        b, [f"Sở Y tế {case.office.province_full}", hospital], number=number, dateline=None
    )
    b.title_block("Giấy chứng sinh", pick(rng, "", f"Quyển số: {rng.randint(1, 20):02d}"))
    b.field(pick(rng, "Họ và tên mẹ", "Họ và tên mẹ/người nuôi dưỡng"), mother.upper_name)
    b.field(pick(rng, "Năm sinh", "Ngày, tháng, năm sinh"), dmy(mother.date_of_birth))
    b.field("Số CCCD/Số định danh cá nhân", mother.id_number)
    b.field("Dân tộc", mother.ethnicity)
    b.field(pick(rng, "Nơi đăng ký thường trú", "Nơi cư trú"), mother.address)
    b.field("Đã sinh con vào lúc", _birth_time(rng, child.date_of_birth))
    b.field("Tại", child.place_of_birth)
    births = rng.randint(1, 3)
    b.field("Số lần sinh", f"{births:02d}    Số con hiện sống: {rng.randint(1, births):02d}")
    b.field("Số con trong lần sinh này", "01")
    b.field("Giới tính của con", sex_word(child))
    b.field("Cân nặng", f"{rng.randint(25, 40) * 100} gram")
    b.field("Tình trạng trẻ", pick(rng, "Bình thường", "Khỏe mạnh"))
    b.field("Dự định đặt tên con", child.upper_name)
    b.text(
        pick(
            rng,
            "Ghi chú: Giấy chứng sinh được cấp để làm thủ tục đăng ký khai sinh.",
            "Ghi chú: Không được tẩy xóa, sửa chữa.",
        ),
        italic=True,
    )
    issued = child.date_of_birth + dt.timedelta(days=rng.randint(1, 4))
    _clinic_signatures(b, rng, case, issued)
    b.fields.update(
        full_name=mother.full_name,
        id_number=mother.id_number,
        date_of_birth=mother.date_of_birth.isoformat(),
        child_date_of_birth=child.date_of_birth.isoformat(),
        child_full_name=child.full_name,
        number_symbol=number.removeprefix("Số: "),
        issue_date=issued.isoformat(),
        issuing_body=hospital,
    )
    return b.build()


def _clinic_signatures(b: DocBuilder, rng: random.Random, case: Case, issued: dt.date) -> None:
    b.text(dateline(case.office.province_full, issued), align=Align.RIGHT, italic=True)
    midwife = f"{pick(rng, 'Bs.', 'NHS.', 'ĐD.')} {official(rng)}"
    director = official(rng)
    two_signatures(
        b, ("Người đỡ đẻ", midwife), ("Thủ trưởng cơ sở y tế", director), note="(Ký, ghi rõ họ tên)"
    )


def giay_khai_sinh(case: Case, rng: random.Random) -> SyntheticDocument:
    """Giấy khai sinh (original) or Trích lục khai sinh (extract): the registration's result."""
    child = case.child
    title = pick(rng, "Giấy khai sinh", "Trích lục khai sinh")
    b = DocBuilder("giay_khai_sinh", title, rng)
    registered = case.filed + dt.timedelta(days=rng.randint(0, 1))
    national_header(b)
    b.title_block(title, pick(rng, "(Bản chính)", "(Bản sao)") if rng.random() < 0.6 else "")
    number, book = rng.randint(1, 400), f"{rng.randint(1, 3):02d}/{registered.year}"
    b.text(f"Số: {number}    Quyển số: {book}")
    b.field(pick(rng, "Họ, chữ đệm, tên", "Họ và tên"), child.upper_name)
    b.field("Ngày, tháng, năm sinh", f"{dmy(child.date_of_birth)}")
    b.field("Ghi bằng chữ", date_words(child.date_of_birth))
    b.field(
        "Giới tính",
        f"{sex_word(child)}    Dân tộc: {child.ethnicity}    Quốc tịch: {child.nationality}",
    )
    b.field("Nơi sinh", child.place_of_birth)
    b.field("Quê quán", case.father.hometown)
    b.field("Số định danh cá nhân", child.id_number)
    for parent, role in ((case.mother, "mẹ"), (case.father, "cha")):
        _parent_lines(b, parent, role)
    b.field("Họ, chữ đệm, tên người đi khai sinh", case.applicant.full_name)
    b.field("Giấy tờ tùy thân", id_paper(case.applicant, rng))
    b.field(
        pick(rng, "Nơi đăng ký khai sinh", "Nơi đăng ký"), f"Ủy ban nhân dân {case.office.area}"
    )
    b.field(pick(rng, "Ngày, tháng, năm đăng ký", "Ngày đăng ký"), dmy(registered))
    roles, _ = leader_roles(rng)
    signature(
        b,
        roles,
        official(rng),
        note=None,
        seal=True,
        date_text=dateline(case.office.commune_full, registered),
    )
    b.fields.update(
        full_name=child.full_name,
        id_number=child.id_number,
        date_of_birth=child.date_of_birth.isoformat(),
        number_symbol=str(number),
        book_number=book,
        issue_date=registered.isoformat(),
        issuing_body=f"Ủy ban nhân dân {case.office.commune_full}",
        mother_full_name=case.mother.full_name,
        father_full_name=case.father.full_name,
    )
    return b.build()


__all__ = ["giay_chung_sinh", "giay_khai_sinh", "id_paper", "sex_word", "to_khai_khai_sinh"]
