"""Templates of the office's own papers and business registration: receipts, decisions."""

from __future__ import annotations

import datetime as dt
import random

from config.catalogue import get_catalogue
from digitize.synthetic.blocks import (
    DocBuilder,
    agency_header,
    dateline,
    national_header,
    official,
    pick,
    signature,
    two_signatures,
)
from digitize.synthetic.case import Case
from digitize.synthetic.document import Align, SyntheticDocument
from digitize.synthetic.templates_birth import ID_AUTHORITY, sex_word
from digitize.synthetic.templates_land import honorific
from digitize.synthetic.words import dmy, long_date, money, money_words


def working_days_after(day: dt.date, days: int) -> dt.date:
    """The appointment date: a number of working days (Monday to Friday) after a day."""
    current = day
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _owner_lines(b: DocBuilder, case: Case) -> None:
    a = case.applicant
    b.field(pick(b.rng, "Họ và tên (ghi bằng chữ in hoa)", "Họ và tên chủ hộ"), a.upper_name)
    b.field("Ngày, tháng, năm sinh", f"{dmy(a.date_of_birth)}    Giới tính: {sex_word(a)}")
    b.field("Dân tộc", f"{a.ethnicity}    Quốc tịch: {a.nationality}")
    b.field("Loại giấy tờ pháp lý của cá nhân", pick(b.rng, "Căn cước công dân", "Thẻ căn cước"))
    b.field("Số giấy tờ pháp lý của cá nhân", a.id_number)
    if a.id_issue_date:
        b.field("Ngày cấp", f"{dmy(a.id_issue_date)}    Nơi cấp: {ID_AUTHORITY}")
    b.field("Địa chỉ thường trú", a.address)


def de_nghi_dang_ky_ho_kinh_doanh(case: Case, rng: random.Random) -> SyntheticDocument:
    """Giấy đề nghị đăng ký hộ kinh doanh, filed by the future owner."""
    title = "Giấy đề nghị đăng ký hộ kinh doanh"
    b = DocBuilder("de_nghi_dang_ky_ho_kinh_doanh", title, rng)
    biz, a = case.business, case.applicant
    national_header(b)
    b.title_block(title)
    b.text(
        f"Kính gửi: {pick(rng, 'Phòng Tài chính - Kế hoạch', 'Phòng Kinh tế')} "
        f"{biz.address.district_full}",
        align=Align.CENTER,
    )
    b.text(pick(rng, "Tôi là:", "Thông tin chủ hộ kinh doanh:"))
    _owner_lines(b, case)
    b.field(pick(rng, "Điện thoại", "Số điện thoại liên hệ"), a.phone)
    b.text("Đăng ký hộ kinh doanh do tôi là chủ hộ với các nội dung sau:")
    items = [
        ("1. Tên hộ kinh doanh", biz.name.upper()),
        ("2. Địa chỉ trụ sở hộ kinh doanh", biz.address.full),
        ("3. Ngành, nghề kinh doanh", biz.trade),
        ("4. Vốn kinh doanh", f"{money(biz.capital)} đồng"),
        ("5. Số lượng lao động", f"{biz.employees:02d} người"),
    ]
    b.fields_in_order(items, shuffle=False)
    b.text("Tôi cam kết:")
    b.text("- Bản thân không thuộc diện pháp luật cấm kinh doanh;")
    b.text(
        pick(
            rng,
            "- Chịu trách nhiệm trước pháp luật về tính hợp pháp, chính xác, trung "
            "thực của nội dung đăng ký trên.",
            "- Nội dung kê khai trên đây là đúng sự thật; nếu sai tôi xin chịu hoàn toàn "
            "trách nhiệm trước pháp luật.",
        )
    )
    signature(
        b,
        ["Chủ hộ kinh doanh"],
        a.full_name,
        date_text=dateline(biz.address.district_full, case.filed),
    )
    b.fields.update(
        full_name=a.full_name,
        id_number=a.id_number,
        date_of_birth=a.date_of_birth.isoformat(),
        business_name=biz.name,
        capital=str(biz.capital),
    )
    return b.build()


def giay_chung_nhan_ho_kinh_doanh(case: Case, rng: random.Random) -> SyntheticDocument:
    """Giấy chứng nhận đăng ký hộ kinh doanh: the district's certificate, a result."""
    title = "Giấy chứng nhận đăng ký hộ kinh doanh"
    b = DocBuilder("giay_chung_nhan_ho_kinh_doanh", title, rng)
    biz, a = case.business, case.applicant
    issued = working_days_after(case.filed, 3)
    department = pick(rng, "Phòng Tài chính - Kế hoạch", "Phòng Kinh tế")
    agency_header(b, [f"UBND {biz.address.district_full}", department], number=None, dateline=None)
    b.title_block(title)
    b.field("Mã số hộ kinh doanh", biz.code, leader=False)
    b.field("Đăng ký lần đầu", long_date(issued), leader=False)
    b.field("1. Tên hộ kinh doanh", biz.name.upper())
    b.field("2. Địa điểm kinh doanh", biz.address.full)
    b.field("Điện thoại", a.phone)
    b.field("3. Ngành, nghề kinh doanh", biz.trade)
    b.field("4. Vốn kinh doanh", f"{money(biz.capital)} đồng")
    if rng.random() < 0.5:
        b.field("Bằng chữ", money_words(biz.capital))
    b.text("5. Chủ hộ kinh doanh:")
    _owner_lines(b, case)
    signature(
        b,
        [pick(rng, "Trưởng phòng", "KT. Trưởng phòng")],
        official(rng),
        note=None,
        seal=True,
        date_text=dateline(biz.address.district_full, issued),
    )
    b.fields.update(
        full_name=a.full_name,
        id_number=a.id_number,
        date_of_birth=a.date_of_birth.isoformat(),
        business_name=biz.name,
        business_code=biz.code,
        number_symbol=biz.code,
        issue_date=issued.isoformat(),
        issuing_body=f"{department} {biz.address.district_full}",
    )
    return b.build()


def _receipt_components(b: DocBuilder, case: Case) -> None:
    procedure = get_catalogue().procedure(case.procedure_code)
    b.text("1. Thành phần hồ sơ nộp gồm:")
    components = [c for c in procedure.components if c.required or b.rng.random() < 0.3]
    for number, component in enumerate(components, start=1):
        copy = pick(b.rng, "bản chính", "bản sao", "bản sao có chứng thực")
        b.text(f"{number}. {component.label}; số lượng: 01 {copy}")
    b.field("2. Số lượng hồ sơ", "01 (bộ)")
    b.field("3. Thời gian giải quyết hồ sơ theo quy định", procedure.processing_time())


def giay_tiep_nhan_ho_so(case: Case, rng: random.Random) -> SyntheticDocument:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả: the office's receipt with the dossier code."""
    title = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    b = DocBuilder("giay_tiep_nhan_ho_so", title, rng)
    a, place = case.applicant, case.office
    unit = pick(rng, "Bộ phận Tiếp nhận và Trả kết quả", "Bộ phận Một cửa")
    agency_header(
        b,
        [f"Ủy ban nhân dân {place.commune_full}", unit],
        number=None,
        dateline=dateline(place.commune_full, case.filed),
    )
    b.title_block(title, f"Mã hồ sơ: {case.dossier_code}")
    b.text(f"{unit} {place.commune_full}")
    b.field("Tiếp nhận hồ sơ của", f"{honorific(a)} {a.full_name}")
    shows_id = rng.random() < 0.6
    if shows_id:
        b.field("Số CCCD/Số định danh cá nhân", a.id_number)
    b.field("Địa chỉ", a.address)
    b.field("Số điện thoại", a.phone)
    b.field("Nội dung yêu cầu giải quyết", get_catalogue().procedure(case.procedure_code).name)
    _receipt_components(b, case)
    received = f"{rng.randint(7, 11):02d} giờ {rng.randint(0, 59):02d} phút"
    days = get_catalogue().procedure(case.procedure_code).processing_days
    due = working_days_after(case.filed, max(days, 1))
    b.field("4. Thời gian nhận hồ sơ", f"{received}, ngày {dmy(case.filed)}")
    b.field(
        "5. Thời gian trả kết quả giải quyết hồ sơ",
        f"{rng.choice((8, 9, 10, 14, 15)):02d} giờ 00 phút, ngày {dmy(due)}",
    )
    b.field("6. Đăng ký nhận kết quả tại", pick(rng, unit, "Qua dịch vụ bưu chính công ích"))
    b.small(
        f"Vào Sổ theo dõi hồ sơ, Quyển số: {rng.randint(1, 5):02d}, "
        f"Số thứ tự: {rng.randint(1, 400)}",
        italic=True,
    )
    two_signatures(b, ("Người nộp hồ sơ", a.full_name), ("Người tiếp nhận hồ sơ", official(rng)))
    b.fields.update(
        full_name=a.full_name,
        dossier_code=case.dossier_code,
        number_symbol=case.dossier_code,
        procedure_code=case.procedure_code,
        issue_date=case.filed.isoformat(),
        appointment_date=due.isoformat(),
        issuing_body=f"Ủy ban nhân dân {place.commune_full}",
    )
    if shows_id:
        b.fields["id_number"] = a.id_number
    return b.build()
