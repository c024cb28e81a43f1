"""Templates of personal papers: power of attorney, personal history, certified copies."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from config.catalogue import get_catalogue
from digitize.synthetic.blocks import (
    DocBuilder,
    dateline,
    national_header,
    official,
    pick,
    signature,
    two_signatures,
)
from digitize.synthetic.case import Case
from digitize.synthetic.document import Align, Column, Line, Mark, Style, SyntheticDocument
from digitize.synthetic.people import Person, random_person
from digitize.synthetic.templates_birth import giay_khai_sinh, id_paper, sex_word
from digitize.synthetic.templates_family import giay_chung_nhan_ket_hon
from digitize.synthetic.templates_land import giay_chung_nhan_qsdd, honorific
from digitize.synthetic.templates_office import giay_chung_nhan_ho_kinh_doanh
from digitize.synthetic.words import dmy, long_date

_SCHOOLS = (
    "Trường Đại học Sư phạm Hà Nội",
    "Trường Đại học Bách khoa",
    "Trường Cao đẳng Y tế",
    "Trường Đại học Kinh tế Quốc dân",
    "Trường Trung cấp Nghề",
    "Trường Đại học Cần Thơ",
)


def _party(b: DocBuilder, heading: str, p: Person) -> None:
    b.heading(heading)
    b.field(pick(b.rng, "Họ và tên", "Ông/Bà"), p.upper_name)
    b.field("Ngày, tháng, năm sinh", dmy(p.date_of_birth))
    b.field("Giấy tờ tùy thân", id_paper(p, b.rng))
    b.field(pick(b.rng, "Địa chỉ thường trú", "Nơi cư trú"), p.address)


def _certification(b: DocBuilder, case: Case, signers: str, day: dt.date) -> str:
    """The commune's certification of signatures under a private paper; returns its number."""
    number = str(b.rng.randint(1, 2000))
    b.heading("LỜI CHỨNG THỰC", align=Align.CENTER)
    b.text(
        f"Ngày {day:%d/%m/%Y}, tại Ủy ban nhân dân {case.office.commune_full}, tôi "
        f"{official(b.rng)}, Phó Chủ tịch Ủy ban nhân dân {case.office.commune_full}, "
        f"chứng thực {signers} đã ký vào giấy ủy quyền này trước mặt tôi.",
        indent=True,
    )
    b.text(f"Số chứng thực: {number}, quyển số {b.rng.randint(1, 9):02d}/{day.year}-SCT/CK,ĐC")
    signature(b, ["Người thực hiện chứng thực"], official(b.rng), note=None, seal=True)
    return number


def giay_uy_quyen(case: Case, rng: random.Random) -> SyntheticDocument:
    """Giấy ủy quyền: the applicant authorizes someone to file and collect for them."""
    title = pick(rng, "Giấy ủy quyền", "Giấy ủy quyền", "Hợp đồng ủy quyền")
    b = DocBuilder("giay_uy_quyen", title, rng)
    a, agent = case.applicant, case.agent
    signed = case.filed - dt.timedelta(days=rng.randint(1, 10))
    procedure = get_catalogue().procedure(case.procedure_code).name.lower()
    national_header(b)
    b.title_block(title)
    if rng.random() < 0.5:
        b.text("Căn cứ Bộ luật Dân sự năm 2015;", italic=True)
    b.text(f"Hôm nay, {long_date(signed)}, tại {case.office.commune_full}, chúng tôi gồm:")
    _party(b, pick(rng, "I. BÊN ỦY QUYỀN (Bên A):", "BÊN ỦY QUYỀN:"), a)
    _party(b, pick(rng, "II. BÊN ĐƯỢC ỦY QUYỀN (Bên B):", "BÊN ĐƯỢC ỦY QUYỀN:"), agent)
    b.heading(pick(rng, "III. NỘI DUNG ỦY QUYỀN", "NỘI DUNG ỦY QUYỀN"))
    b.text(
        f"Bên ủy quyền đồng ý ủy quyền cho bên được ủy quyền thay mặt mình liên hệ với Ủy "
        f"ban nhân dân {case.office.area} để nộp hồ sơ, bổ sung giấy tờ và nhận kết quả "
        f"thủ tục {procedure}.",
        indent=True,
    )
    b.heading(pick(rng, "IV. THỜI HẠN ỦY QUYỀN", "THỜI HẠN ỦY QUYỀN"))
    b.text(
        pick(
            rng,
            "Kể từ ngày ký đến khi hoàn thành công việc được ủy quyền.",
            f"Từ ngày {dmy(signed)} đến ngày {dmy(signed + dt.timedelta(days=90))}.",
        ),
        indent=True,
    )
    b.text(
        "Bên ủy quyền chịu trách nhiệm trước pháp luật về mọi công việc do bên được ủy "
        "quyền thực hiện trong phạm vi ủy quyền nêu trên.",
        indent=True,
    )
    two_signatures(b, ("Bên được ủy quyền", agent.full_name), ("Bên ủy quyền", a.full_name))
    b.fields.update(
        full_name=a.full_name,
        id_number=a.id_number,
        date_of_birth=a.date_of_birth.isoformat(),
        agent_full_name=agent.full_name,
        agent_id_number=agent.id_number,
    )
    if rng.random() < 0.5:
        number = _certification(b, case, f"{a.full_name} và {agent.full_name}", signed)
        b.fields.update(
            number_symbol=number,
            issue_date=signed.isoformat(),
            issuing_body=f"Ủy ban nhân dân {case.office.commune_full}",
        )
    return b.build()


def _self_lines(b: DocBuilder, p: Person) -> None:
    rng = b.rng
    b.add(
        Line("", Style.SPACE, mark=Mark.PHOTO, height_mm=36.0, column=Column.LEFT),
        Line(f"Họ và tên: {p.upper_name}", Style.FIELD, column=Column.RIGHT),
        Line(f"Giới tính: {sex_word(p)}", Style.FIELD, column=Column.RIGHT),
        Line(f"Sinh ngày: {dmy(p.date_of_birth)}", Style.FIELD, column=Column.RIGHT),
        Line(f"Dân tộc: {p.ethnicity}    Tôn giáo: {p.religion}", Style.FIELD, column=Column.RIGHT),
        Line(f"Số CCCD: {p.id_number}", Style.FIELD, column=Column.RIGHT),
    )
    b.field("Nơi sinh", p.place_of_birth)
    b.field(pick(rng, "Quê quán", "Nguyên quán"), p.hometown)
    b.field(pick(rng, "Nơi thường trú", "Hộ khẩu thường trú"), p.address)
    b.field("Số điện thoại", p.phone)
    b.field("Trình độ văn hóa", pick(rng, "12/12", "9/12", "12/12"))
    b.field("Trình độ chuyên môn", pick(rng, "Đại học", "Cao đẳng", "Trung cấp", "Không"))
    b.field("Nghề nghiệp hiện nay", p.occupation)
    if rng.random() < 0.5:
        joined = p.date_of_birth.replace(year=p.date_of_birth.year + 16, day=1)
        b.field("Ngày vào Đoàn TNCS Hồ Chí Minh", dmy(joined))


def _family_lines(b: DocBuilder, case: Case) -> None:
    p, rng = case.applicant, b.rng
    born = (
        p.date_of_birth.replace(year=p.date_of_birth.year - 35, day=1),
        p.date_of_birth.replace(year=p.date_of_birth.year - 20, day=1),
    )
    father = random_person(rng, sex="nam", family_name=p.family_name, born_between=born)
    mother = random_person(rng, sex="nữ", born_between=born)
    for relative, role in ((father, "bố"), (mother, "mẹ"), (case.spouse, "vợ/chồng")):
        b.field(
            f"Họ và tên {role}", f"{relative.full_name}    Năm sinh: {relative.date_of_birth.year}"
        )
        b.field("Nghề nghiệp", f"{relative.occupation}    Chỗ ở: {relative.residence.area}")


def _history_lines(b: DocBuilder, p: Person) -> None:
    rng, start = b.rng, p.date_of_birth.year + 18
    b.text(f"Từ năm {start} đến năm {start + 4}: Học tại {rng.choice(_SCHOOLS)}.")
    b.text(
        f"Từ năm {start + 4} đến năm {start + 9}: "
        f"{pick(rng, 'Làm việc tại', 'Công tác tại')} Công ty TNHH "
        f"{pick(rng, 'Minh Phát', 'Hòa Bình', 'Thành Công', 'An Phú')}."
    )
    b.text(f"Từ năm {start + 9} đến nay: {p.occupation} tại {p.residence.commune_full}.")


def so_yeu_ly_lich(case: Case, rng: random.Random) -> SyntheticDocument:
    """Sơ yếu lý lịch (personal history statement) with the commune's confirmation; 2 pages."""
    b = DocBuilder("so_yeu_ly_lich", "Sơ yếu lý lịch", rng)
    p = case.applicant
    national_header(b)
    b.title_block("Sơ yếu lý lịch", pick(rng, "(Tự thuật)", "(Dùng cho người đi xin việc)"))
    b.heading(pick(rng, "I. THÔNG TIN BẢN THÂN", "I. SƠ LƯỢC TIỂU SỬ BẢN THÂN"))
    _self_lines(b, p)
    b.heading(pick(rng, "II. QUAN HỆ GIA ĐÌNH", "II. HOÀN CẢNH GIA ĐÌNH"))
    _family_lines(b, case)
    b.new_page()
    b.heading(pick(rng, "III. QUÁ TRÌNH HỌC TẬP VÀ CÔNG TÁC", "III. QUÁ TRÌNH HỌC TẬP, CÔNG TÁC"))
    _history_lines(b, p)
    b.heading("IV. KHEN THƯỞNG VÀ KỶ LUẬT")
    b.field("Khen thưởng", pick(rng, "Không", "Giấy khen của Ủy ban nhân dân huyện"))
    b.field("Kỷ luật", "Không")
    b.text(
        "Tôi xin cam đoan những lời khai trên là đúng sự thật, nếu có điều gì khai man tôi "
        "xin chịu hoàn toàn trách nhiệm trước pháp luật.",
        indent=True,
    )
    confirmed = case.filed - dt.timedelta(days=rng.randint(1, 30))
    signature(
        b, ["Người khai"], p.full_name, date_text=dateline(p.residence.commune_full, confirmed)
    )
    b.heading(
        f"XÁC NHẬN CỦA ỦY BAN NHÂN DÂN {p.residence.commune_full.upper()}", align=Align.CENTER
    )
    remark = pick(
        rng,
        "bản thân chấp hành tốt chủ trương, chính sách của Đảng, pháp luật của Nhà nước",
        "lời khai trên là đúng",
    )
    b.text(
        f"Xác nhận {honorific(p).lower()} {p.full_name} hiện cư trú tại địa phương; {remark}.",
        indent=True,
    )
    signature(
        b,
        ["TM. Ủy ban nhân dân", "Chủ tịch"],
        official(rng),
        note=None,
        seal=True,
        date_text=dateline(p.residence.commune_full, confirmed),
    )
    b.fields.update(
        full_name=p.full_name, id_number=p.id_number, date_of_birth=p.date_of_birth.isoformat()
    )
    return b.build()


_COPYABLE = (
    giay_khai_sinh,
    giay_chung_nhan_ket_hon,
    giay_chung_nhan_ho_kinh_doanh,
    giay_chung_nhan_qsdd,
)
"""Originals citizens most often bring as certified copies."""

_PERSON_KEYS = ("full_name", "id_number", "date_of_birth")


def _stamp(case: Case, rng: random.Random, number: str, book: str, day: dt.date) -> list[Line]:
    """The certification stamp, "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH", set in small type
    at the bottom right under the original's own signature, as clerks stamp it."""
    right = Column.RIGHT
    return [
        Line("", Style.SPACE, height_mm=4.0),
        Line(
            "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH",
            Style.SMALL,
            align=Align.CENTER,
            bold=True,
            column=right,
        ),
        Line(
            f"Số chứng thực: {number}    Quyển số: {book}",
            Style.SMALL,
            align=Align.CENTER,
            column=right,
        ),
        Line(
            dateline(case.office.commune_full, day),
            Style.SMALL,
            align=Align.CENTER,
            italic=True,
            column=right,
        ),
        Line(
            "NGƯỜI THỰC HIỆN CHỨNG THỰC", Style.SMALL, align=Align.CENTER, bold=True, column=right
        ),
        Line(
            pick(rng, "PHÓ CHỦ TỊCH", "CHỦ TỊCH", "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH"),
            Style.SMALL,
            align=Align.CENTER,
            bold=True,
            column=right,
        ),
        Line("", Style.SPACE, mark=Mark.SEAL, height_mm=14.0, column=right),
        Line(official(rng), Style.SMALL, align=Align.CENTER, bold=True, column=right),
    ]


def ban_sao_chung_thuc(case: Case, rng: random.Random) -> SyntheticDocument:
    """A certified copy: an original's pages with the commune's certification stamp added.

    The fields name the person of the original and the certification's own number, date
    and body; the original's number is kept as copied_number_symbol.
    """
    original = rng.choice(_COPYABLE)(case, rng)
    issued = original.fields.get("issue_date")
    since = dt.date.fromisoformat(issued) if issued else case.filed - dt.timedelta(days=30)
    day = since + dt.timedelta(days=rng.randint(1, 60))
    number = str(rng.randint(1, 5000))
    book = f"{rng.randint(1, 9):02d}/{day.year}-SCT/BS"
    stamp = _stamp(case, rng, number, book, day)
    pages = (*original.pages[:-1], (*original.pages[-1], *stamp))
    fields = {k: v for k, v in original.fields.items() if k in _PERSON_KEYS}
    fields.update(
        copied_type=original.doc_type,
        number_symbol=number,
        book_number=book,
        issue_date=day.isoformat(),
        issuing_body=f"Ủy ban nhân dân {case.office.commune_full}",
    )
    if "number_symbol" in original.fields:
        fields["copied_number_symbol"] = original.fields["number_symbol"]
    return dataclasses.replace(
        original,
        doc_type="ban_sao_chung_thuc",
        title="Bản sao chứng thực",
        pages=pages,
        fields=fields,
        kind=f"ban_sao_{original.doc_type}",
    )
