"""Template of the commonest result: an administrative decision (Quyết định) of a committee."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from digitize.synthetic.blocks import (
    DocBuilder,
    agency_header,
    commune_agency,
    dateline,
    district_agency,
    leader_roles,
    leader_signature,
    official,
    pick,
    recipients,
)
from digitize.synthetic.case import Case
from digitize.synthetic.document import Align, Line, Style, SyntheticDocument
from digitize.synthetic.templates_land import honorific
from digitize.synthetic.words import long_date, money, money_words

LAW_ON_LOCAL_GOVERNMENT = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ "
    "sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày "
    "22 tháng 11 năm 2019;"
)


@dataclass(frozen=True)
class _Subject:
    """What a decision decides: its summary, legal bases and first article."""

    summary: str
    bases: tuple[str, ...]
    article1: str
    executor: str
    """Department that carries the decision out (Article 3)."""


def _land_use(case: Case, rng: random.Random) -> _Subject:
    a, parcel = case.applicant, case.parcel
    area = f"{parcel.area_text} m²"
    return _Subject(
        "Về việc cho phép chuyển mục đích sử dụng đất",
        (
            "Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;",
            "Căn cứ Nghị định số 102/2024/NĐ-CP ngày 30 tháng 7 năm 2024 của Chính phủ quy định "
            "chi tiết thi hành một số điều của Luật Đất đai;",
        ),
        f"Cho phép {honorific(a).lower()} {a.full_name}, {pick(rng, 'CCCD', 'Căn cước')} số "
        f"{a.id_number}, thường trú tại {a.address} được chuyển mục đích sử dụng {area} đất "
        f"từ {parcel.use.lower()} sang đất ở tại thửa đất số {parcel.number}, tờ bản đồ số "
        f"{parcel.sheet}.",
        "Trưởng phòng Tài nguyên và Môi trường",
    )


def _housing_support(case: Case, rng: random.Random) -> _Subject:
    a = case.applicant
    amount = rng.randrange(20, 80) * 1_000_000
    return _Subject(
        pick(
            rng,
            "Về việc hỗ trợ kinh phí xây dựng nhà ở cho hộ nghèo",
            "Về việc hỗ trợ kinh phí sửa chữa nhà ở cho hộ gia đình có hoàn cảnh khó khăn",
        ),
        (
            "Căn cứ Nghị quyết số 24/2024/NQ-HĐND của Hội đồng nhân dân tỉnh quy định chính sách "
            "hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo;",
        ),
        f"Hỗ trợ {honorific(a).lower()} {a.full_name}, sinh năm {a.date_of_birth.year}, "
        f"thường trú tại {a.address} số tiền {money(amount)} đồng (bằng chữ: "
        f"{money_words(amount)}).",
        "Trưởng phòng Lao động - Thương binh và Xã hội",
    )


def _civil_status(case: Case, rng: random.Random) -> _Subject:
    a = case.applicant
    return _Subject(
        pick(rng, "Về việc cải chính hộ tịch", "Về việc thay đổi, cải chính thông tin hộ tịch"),
        (
            "Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;",
            "Căn cứ Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của Chính phủ quy định "
            "chi tiết một số điều và biện pháp thi hành Luật Hộ tịch;",
        ),
        f"Cho phép cải chính ngày, tháng, năm sinh trong Giấy khai sinh của "
        f"{honorific(a).lower()} {a.full_name}, số định danh cá nhân {a.id_number}, thành "
        f"{a.date_of_birth:%d/%m/%Y}.",
        "Công chức Tư pháp - Hộ tịch",
    )


def _award(case: Case, rng: random.Random) -> _Subject:
    a = case.applicant
    return _Subject(
        "Về việc tặng Giấy khen",
        (
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
            "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        ),
        f"Tặng Giấy khen cho {honorific(a).lower()} {a.full_name}, "
        f"{pick(rng, 'trú tại', 'địa chỉ')} {a.address} đã có thành tích xuất sắc trong "
        f"{pick(rng, 'phong trào xây dựng nông thôn mới', 'công tác phòng chống thiên tai')} "
        f"năm {case.filed.year - 1}.",
        "Trưởng phòng Nội vụ",
    )


_SUBJECTS: tuple[Callable[[Case, random.Random], _Subject], ...] = (
    _land_use,
    _housing_support,
    _civil_status,
    _award,
)


def _body(b: DocBuilder, case: Case, subject: _Subject, committee: str, signed: dt.date) -> None:
    rng = b.rng
    b.add(Line(committee.upper(), Style.HEADING, align=Align.CENTER, bold=True))
    for basis in (LAW_ON_LOCAL_GOVERNMENT, *subject.bases):
        b.add(Line(basis, Style.BODY, italic=True, indent_mm=10.0))
    proposal = pick(rng, "Tờ trình", "Báo cáo thẩm định")
    b.add(
        Line(
            f"Xét đề nghị của {subject.executor} tại {proposal} số {rng.randint(5, 300)}"
            f"/TTr-{pick(rng, 'TNMT', 'LĐTBXH', 'TP', 'NV')} "
            f"{long_date(signed - dt.timedelta(days=rng.randint(2, 10)))}.",
            Style.BODY,
            italic=True,
            indent_mm=10.0,
        )
    )
    b.heading("QUYẾT ĐỊNH:", align=Align.CENTER)
    b.text(f"Điều 1. {subject.article1}", indent=True)
    b.text(
        pick(
            rng,
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
            "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành.",
        ),
        indent=True,
    )
    b.text(
        f"Điều 3. Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân, {subject.executor}, "
        f"Thủ trưởng các cơ quan, đơn vị có liên quan và {honorific(case.applicant).lower()} "
        f"{case.applicant.full_name} chịu trách nhiệm thi hành Quyết định này./.",
        indent=True,
    )


def quyet_dinh(case: Case, rng: random.Random) -> SyntheticDocument:
    """Quyết định of a district or commune People's Committee about the applicant."""
    b = DocBuilder("quyet_dinh", "Quyết định", rng)
    place = case.office
    subject = rng.choice(_SUBJECTS)(case, rng)
    district = rng.random() < 0.6
    agency = district_agency(place) if district else commune_agency(place)
    signed = case.filed + dt.timedelta(days=rng.randint(1, 12))
    by_chair = rng.random() < 0.3
    number = f"{rng.randint(1, 4999)}/QĐ-{'CT' if by_chair else 'UBND'}"
    agency_header(
        b,
        agency,
        number=f"Số: {number}",
        dateline=dateline(place.district_full if district else place.commune_full, signed),
    )
    b.title_block("Quyết định")
    b.add(Line(subject.summary, Style.BODY, align=Align.CENTER, bold=True))
    committee = f"Chủ tịch {agency[1]}" if by_chair else agency[1]
    _body(b, case, subject, committee, signed)
    roles, _ = leader_roles(rng)
    if by_chair:
        roles = roles[1:]
    sent = [
        "Như Điều 3",
        f"{'UBND ' + place.province_full if district else agency[0]}",
        pick(rng, "Lưu: VT", "Lưu: VT, TNMT"),
    ]
    leader_signature(b, roles, official(rng), left=recipients(sent))
    b.fields.update(
        full_name=case.applicant.full_name,
        number_symbol=number,
        issue_date=signed.isoformat(),
        issuing_body=agency[1],
        summary=subject.summary,
    )
    if case.applicant.id_number in subject.article1:
        b.fields["id_number"] = case.applicant.id_number
    return b.build()
