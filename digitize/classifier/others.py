"""Documents outside the catalogue that the training corpus labels `khac`.

These kinds are deliberately not the synthetic generator's own unseen kinds (water bills,
school reports, hospital discharges, bank statements, rental contracts, household meeting
minutes): those stay unseen, so the benchmark's `khac` recall measures documents the model
never met. Several kinds here are near misses of catalogue types on purpose: a vehicle
registration certificate ("Giấy chứng nhận đăng ký xe"), a driving licence (a bilingual
card like the ID card), a judicial record ("Phiếu lý lịch tư pháp"), a residence
confirmation, a fee receipt, a petition ("Đơn đề nghị ...").
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from config.catalogue import OTHER_TYPE
from digitize.synthetic import Align, Column, Line, Mark, Style, SyntheticDocument
from digitize.synthetic.blocks import (
    DocBuilder,
    agency_header,
    commune_agency,
    dateline,
    district_agency,
    leader_roles,
    national_header,
    official,
    pick,
    recipients,
    signature,
)
from digitize.synthetic.case import Case, random_case
from digitize.synthetic.words import dmy, long_date, money

_TOPICS = (
    "triển khai công tác phòng, chống thiên tai năm",
    "tổng kết phong trào xây dựng nông thôn mới",
    "kiểm tra công tác cải cách hành chính",
    "tuyên truyền phổ biến giáo dục pháp luật",
    "rà soát hộ nghèo, hộ cận nghèo",
    "vệ sinh môi trường, phòng chống dịch bệnh",
    "tiêm chủng mở rộng cho trẻ em",
    "tổ chức lễ mít tinh kỷ niệm ngày thành lập",
    "thu thuế sử dụng đất phi nông nghiệp",
    "chuyển đổi số trong cơ quan nhà nước",
)
_PETITIONS = (
    ("Đơn đề nghị", "xác nhận hoàn cảnh gia đình khó khăn"),
    ("Đơn xin xác nhận", "có thời gian cư trú tại địa phương"),
    ("Đơn kiến nghị", "giải quyết tranh chấp lối đi chung"),
    ("Đơn xin cấp lại", "thẻ bảo hiểm y tế bị mất"),
    ("Đơn xin việc", "vị trí nhân viên văn phòng"),
    ("Đơn trình báo", "mất giấy tờ tùy thân"),
)


def _agency(case: Case, rng: random.Random) -> tuple[str, str]:
    return district_agency(case.office) if rng.random() < 0.5 else commune_agency(case.office)


def _symbol(rng: random.Random, kind: str) -> str:
    return f"Số: {rng.randint(1, 999)}/{kind}-{pick(rng, 'UBND', 'VP', 'CAX', 'TTg')}"


def invitation(case: Case, rng: random.Random) -> DocBuilder:
    """Giấy mời: an agency invites a citizen to a meeting."""
    b = DocBuilder(OTHER_TYPE, "Giấy mời", rng)
    p, day = case.applicant, case.filed
    agency_header(
        b,
        _agency(case, rng),
        number=_symbol(rng, "GM"),
        dateline=dateline(case.office.commune_full, day),
    )
    b.title_block("Giấy mời", f"V/v {rng.choice(_TOPICS)}")
    b.text(f"{pick(rng, 'Trân trọng kính mời', 'Kính mời')}: Ông/Bà {p.full_name}")
    b.field("Địa chỉ", p.address)
    b.field(
        "Thời gian",
        f"{rng.randint(7, 15):02d} giờ 00 phút, {long_date(day + dt.timedelta(days=5))}",
    )
    b.field("Địa điểm", pick(rng, "Hội trường Ủy ban nhân dân", "Phòng họp số 2, nhà văn hóa thôn"))
    b.field("Nội dung", f"Họp {rng.choice(_TOPICS)}")
    b.text("Rất mong Ông/Bà đến dự đúng thời gian và địa điểm nêu trên.", italic=True)
    leader_signature(b, case, rng)
    return b


def leader_signature(b: DocBuilder, case: Case, rng: random.Random) -> None:
    """A committee leader's signature beside a recipients list."""
    roles, _ = leader_roles(rng)
    b.add(*recipients(["Như trên", pick(rng, "Lưu: VT", "Lưu: VP")]))
    signature(b, roles, official(rng), note=None, seal=True)


def notice(case: Case, rng: random.Random) -> DocBuilder:
    """Thông báo: an agency's public notice."""
    b = DocBuilder(OTHER_TYPE, "Thông báo", rng)
    agency_header(
        b,
        _agency(case, rng),
        number=_symbol(rng, "TB"),
        dateline=dateline(case.office.commune_full, case.filed),
    )
    topic = rng.choice(_TOPICS)
    b.title_block("Thông báo", f"Về việc {topic}")
    for _ in range(rng.randint(2, 4)):
        b.text(
            f"{pick(rng, 'Thực hiện', 'Căn cứ', 'Theo')} kế hoạch số {rng.randint(1, 300)}/KH-UBND "
            f"{long_date(case.filed - dt.timedelta(days=rng.randint(5, 60)))}, Ủy ban nhân dân "
            f"thông báo đến toàn thể nhân dân về việc {rng.choice(_TOPICS)}.",
            indent=True,
        )
    b.text(
        "Đề nghị các thôn, tổ dân phố thông báo rộng rãi để nhân dân biết, thực hiện./.",
        indent=True,
    )
    leader_signature(b, case, rng)
    return b


def official_letter(case: Case, rng: random.Random) -> DocBuilder:
    """Công văn: a letter between agencies, with its "V/v" summary under the number."""
    b = DocBuilder(OTHER_TYPE, "Công văn", rng)
    agency = _agency(case, rng)
    agency_header(
        b,
        agency,
        number=_symbol(rng, "UBND"),
        dateline=dateline(case.office.district_full, case.filed),
    )
    b.add(Line(f"V/v {rng.choice(_TOPICS)}", Style.SMALL, align=Align.CENTER, column=Column.LEFT))
    b.text(
        "Kính gửi: "
        + pick(rng, "Các phòng, ban chuyên môn", "Ủy ban nhân dân các xã", "Công an huyện"),
        align=Align.CENTER,
    )
    for _ in range(rng.randint(2, 3)):
        b.text(
            f"{agency[1]} đề nghị các đơn vị khẩn trương {rng.choice(_TOPICS)}, báo cáo kết quả "
            f"về {pick(rng, 'Văn phòng', 'Phòng Nội vụ')} trước "
            f"{long_date(case.filed + dt.timedelta(days=rng.randint(5, 30)))}.",
            indent=True,
        )
    leader_signature(b, case, rng)
    return b


def petition(case: Case, rng: random.Random) -> DocBuilder:
    """A citizen's petition ("Đơn đề nghị", "Đơn xin ..."), not one of the catalogue's forms."""
    kind, subject = rng.choice(_PETITIONS)
    b = DocBuilder(OTHER_TYPE, kind, rng)
    p = case.applicant
    national_header(b)
    b.title_block(kind, f"({subject})" if rng.random() < 0.5 else "")
    b.text(
        f"Kính gửi: {pick(rng, 'Ủy ban nhân dân', 'Công an', 'Trưởng thôn')} "
        f"{case.office.commune_full}",
        align=Align.CENTER,
    )
    b.field(pick(rng, "Tôi tên là", "Họ và tên"), p.upper_name)
    b.field("Sinh ngày", dmy(p.date_of_birth))
    b.field(pick(rng, "Số CCCD", "Số định danh cá nhân"), p.id_number)
    b.field(pick(rng, "Nơi cư trú", "Địa chỉ"), p.address)
    b.text(
        f"Nay tôi làm đơn này kính đề nghị {pick(rng, 'quý cơ quan', 'Ủy ban nhân dân')} "
        f"{subject}.",
        indent=True,
    )
    b.text(f"Lý do: {rng.choice(_TOPICS)}.", indent=True)
    b.text("Tôi xin chân thành cảm ơn!", indent=True)
    signature(
        b, ["Người làm đơn"], p.full_name, date_text=dateline(case.office.commune_full, case.filed)
    )
    return b


def introduction(case: Case, rng: random.Random) -> DocBuilder:
    """Giấy giới thiệu: an agency introduces its officer to another."""
    b = DocBuilder(OTHER_TYPE, "Giấy giới thiệu", rng)
    agency_header(b, _agency(case, rng), number=_symbol(rng, "GGT"), dateline=None)
    b.title_block("Giấy giới thiệu")
    b.field("Trân trọng giới thiệu", f"Ông/Bà {case.agent.full_name}")
    b.field(
        "Chức vụ", pick(rng, "Công chức Văn phòng - Thống kê", "Cán bộ địa chính", "Chuyên viên")
    )
    b.field("Được cử đến", f"Sở Tài chính {case.office.province_full}")
    b.field("Về việc", rng.choice(_TOPICS).capitalize())
    b.text(
        "Đề nghị Quý cơ quan tạo điều kiện để đồng chí có tên trên hoàn thành nhiệm vụ.",
        indent=True,
    )
    b.text(
        f"Giấy giới thiệu có giá trị đến {long_date(case.filed + dt.timedelta(days=15))}.",
        italic=True,
    )
    leader_signature(b, case, rng)
    return b


def driving_licence(case: Case, rng: random.Random) -> DocBuilder:
    """Giấy phép lái xe: a bilingual card, a near miss of the ID card."""
    b = DocBuilder(OTHER_TYPE, "Giấy phép lái xe", rng, page_size="card")
    p = case.applicant
    b.add(
        Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Style.SMALL, align=Align.CENTER, bold=True),
        Line("SOCIALIST REPUBLIC OF VIET NAM", Style.SMALL, align=Align.CENTER),
        Line("GIẤY PHÉP LÁI XE / DRIVER'S LICENSE", Style.TITLE, align=Align.CENTER, bold=True),
        Line("", Style.SPACE, mark=Mark.PHOTO, height_mm=20.0, column=Column.LEFT),
        Line(f"Số / No: {rng.randrange(10**11, 10**12)}", Style.FIELD, column=Column.RIGHT),
        Line(f"Họ tên / Full name: {p.upper_name}", Style.FIELD, column=Column.RIGHT),
        Line(
            f"Ngày sinh / Date of birth: {dmy(p.date_of_birth)}", Style.FIELD, column=Column.RIGHT
        ),
        Line(f"Quốc tịch / Nationality: {p.nationality.upper()}", Style.FIELD, column=Column.RIGHT),
        Line(f"Nơi cư trú / Address: {p.address}", Style.SMALL, column=Column.RIGHT),
        Line(f"Hạng / Class: {pick(rng, 'A1', 'B2', 'B', 'A')}", Style.FIELD, column=Column.RIGHT),
        Line(f"Có giá trị đến / Expires: {dmy(case.filed + dt.timedelta(days=3650))}", Style.SMALL),
    )
    return b


def vehicle_registration(case: Case, rng: random.Random) -> DocBuilder:
    """Giấy chứng nhận đăng ký xe: shares "Giấy chứng nhận đăng ký" with catalogue titles."""
    b = DocBuilder(OTHER_TYPE, "Giấy chứng nhận đăng ký xe", rng)
    p = case.applicant
    b.add(
        Line(
            f"CÔNG AN {case.office.district_full.upper()}",
            Style.NATIONAL_HEADER,
            align=Align.CENTER,
            bold=True,
        )
    )
    b.title_block(
        pick(rng, "Giấy chứng nhận đăng ký xe mô tô, xe máy", "Giấy chứng nhận đăng ký xe ô tô")
    )
    b.field("Tên chủ xe", p.upper_name)
    b.field("Địa chỉ", p.address)
    b.field(
        "Nhãn hiệu",
        f"{pick(rng, 'HONDA', 'YAMAHA', 'TOYOTA', 'VINFAST')}    "
        f"Số loại: {pick(rng, 'WAVE', 'SIRIUS', 'VIOS', 'VF5')}",
    )
    b.field("Số máy", f"{rng.randrange(10**9):09d}    Số khung: {rng.randrange(10**11):011d}")
    b.field(
        "Biển số đăng ký",
        f"{rng.randint(11, 99)}{pick(rng, 'B1', 'F1', 'A')}-"
        f"{rng.randint(100, 999)}.{rng.randint(10, 99)}",
    )
    b.field("Đăng ký lần đầu ngày", dmy(case.filed - dt.timedelta(days=rng.randint(30, 3000))))
    signature(b, ["Trưởng Công an"], official(rng), note=None, seal=True)
    return b


def judicial_record(case: Case, rng: random.Random) -> DocBuilder:
    """Phiếu lý lịch tư pháp: a near miss of the personal history statement."""
    b = DocBuilder(OTHER_TYPE, "Phiếu lý lịch tư pháp", rng)
    p = case.applicant
    agency_header(
        b,
        ("Bộ Tư pháp", f"Sở Tư pháp {case.office.province_full}"),
        number=f"Số: {rng.randint(100, 99999)}/LLTP",
        dateline=None,
    )
    b.title_block("Phiếu lý lịch tư pháp", f"Số {rng.randint(1, 2)}")
    b.field("Họ và tên", p.upper_name)
    b.field("Giới tính", "Nam" if p.sex == "nam" else "Nữ")
    b.field("Ngày, tháng, năm sinh", dmy(p.date_of_birth))
    b.field("Nơi sinh", p.place_of_birth)
    b.field("Số CCCD", p.id_number)
    b.field("Nơi thường trú", p.address)
    b.field("Tình trạng án tích", pick(rng, "Không có án tích", "Không"))
    b.field("Thông tin về việc cấm đảm nhiệm chức vụ", pick(rng, "Không bị cấm", "Không"))
    signature(
        b,
        ["Giám đốc"],
        official(rng),
        note=None,
        seal=True,
        date_text=dateline(case.office.province_full, case.filed),
    )
    return b


def residence_confirmation(case: Case, rng: random.Random) -> DocBuilder:
    """Xác nhận thông tin về cư trú (form CT07), from the commune police."""
    b = DocBuilder(OTHER_TYPE, "Xác nhận thông tin về cư trú", rng)
    p = case.applicant
    agency_header(
        b,
        (f"Công an {case.office.district_full}", f"Công an {case.office.commune_full}"),
        number=_symbol(rng, "XN"),
        dateline=dateline(case.office.commune_full, case.filed),
    )
    b.title_block(pick(rng, "Xác nhận thông tin về cư trú", "Giấy xác nhận thông tin về cư trú"))
    b.text(f"Công an {case.office.commune_full} xác nhận thông tin về cư trú của công dân như sau:")
    b.field("Họ, chữ đệm và tên", p.upper_name)
    b.field("Ngày, tháng, năm sinh", dmy(p.date_of_birth))
    b.field("Số định danh cá nhân", p.id_number)
    b.field("Nơi thường trú", p.address)
    b.field(
        "Họ, chữ đệm và tên chủ hộ", case.spouse.upper_name if rng.random() < 0.4 else p.upper_name
    )
    b.field("Quan hệ với chủ hộ", pick(rng, "Chủ hộ", "Vợ", "Chồng", "Con"))
    b.text("Giấy xác nhận có giá trị 30 ngày kể từ ngày cấp.", italic=True)
    signature(b, ["Trưởng Công an"], official(rng), note=None, seal=True)
    return b


def fee_receipt(case: Case, rng: random.Random) -> DocBuilder:
    """Biên lai thu phí, lệ phí: what the office also hands out, not the dossier receipt."""
    b = DocBuilder(OTHER_TYPE, "Biên lai thu phí, lệ phí", rng)
    agency_header(b, _agency(case, rng), number=None, dateline=None)
    b.title_block(
        pick(rng, "Biên lai thu phí, lệ phí", "Biên lai thu tiền phí, lệ phí"),
        f"Ký hiệu: {pick(rng, 'AA/25P', 'BL/24E')}    Số: {rng.randrange(10**7):07d}",
    )
    b.field("Tên đơn vị hoặc người nộp tiền", case.applicant.full_name)
    b.field("Địa chỉ", case.applicant.address)
    fee = rng.choice((8000, 15000, 50000, 100000))
    b.field(
        "Nội dung thu",
        pick(rng, "Lệ phí đăng ký hộ tịch", "Phí chứng thực", "Lệ phí cấp giấy chứng nhận"),
    )
    b.field("Số tiền", f"{money(fee)} đồng")
    b.field("Hình thức thanh toán", pick(rng, "Tiền mặt", "Chuyển khoản"))
    signature(
        b,
        ["Người thu tiền"],
        official(rng),
        date_text=dateline(case.office.commune_full, case.filed),
    )
    return b


def commitment(case: Case, rng: random.Random) -> DocBuilder:
    """Giấy cam kết / bản cam kết: a citizen's undertaking."""
    title = pick(rng, "Giấy cam kết", "Bản cam kết", "Giấy xác nhận")
    b = DocBuilder(OTHER_TYPE, title, rng)
    p = case.applicant
    national_header(b)
    b.title_block(title)
    b.field("Tôi tên là", p.full_name)
    b.field("Ngày sinh", dmy(p.date_of_birth))
    b.field("Địa chỉ", p.address)
    b.text(
        f"Tôi xin cam kết {pick(rng, 'chấp hành nghiêm quy định về', 'thực hiện đúng nội dung')} "
        f"{rng.choice(_TOPICS)}; nếu vi phạm tôi xin chịu hoàn toàn trách nhiệm.",
        indent=True,
    )
    signature(
        b, ["Người cam kết"], p.full_name, date_text=dateline(case.office.commune_full, case.filed)
    )
    return b


def report(case: Case, rng: random.Random) -> DocBuilder:
    """Báo cáo / Tờ trình / Kế hoạch: an agency's internal paper."""
    kind, code = rng.choice((("Báo cáo", "BC"), ("Tờ trình", "TTr"), ("Kế hoạch", "KH")))
    b = DocBuilder(OTHER_TYPE, kind, rng)
    agency_header(
        b,
        _agency(case, rng),
        number=_symbol(rng, code),
        dateline=dateline(case.office.commune_full, case.filed),
    )
    topic = rng.choice(_TOPICS)
    b.title_block(kind, f"{pick(rng, 'Kết quả', 'Về việc', 'Triển khai')} {topic}")
    for number in range(1, rng.randint(3, 5)):
        b.heading(
            f"{'I' * number}. "
            + pick(rng, "Tình hình chung", "Kết quả thực hiện", "Tồn tại", "Nhiệm vụ, giải pháp")
        )
        b.text(
            f"Trong kỳ, đơn vị đã {rng.choice(_TOPICS)}; đạt {rng.randint(60, 100)}% kế "
            "hoạch đề ra.",
            indent=True,
        )
    leader_signature(b, case, rng)
    return b


OTHER_TRAINING_KINDS: dict[str, Callable[[Case, random.Random], DocBuilder]] = {
    "invitation": invitation,
    "notice": notice,
    "official_letter": official_letter,
    "petition": petition,
    "introduction": introduction,
    "driving_licence": driving_licence,
    "vehicle_registration": vehicle_registration,
    "judicial_record": judicial_record,
    "residence_confirmation": residence_confirmation,
    "fee_receipt": fee_receipt,
    "commitment": commitment,
    "report": report,
}
"""Kinds of `khac` documents the training corpus uses, by name."""


def make_training_other(rng: random.Random, kind: str | None = None) -> SyntheticDocument:
    """A `khac` document of a training kind (random unless given)."""
    name = kind or rng.choice(sorted(OTHER_TRAINING_KINDS))
    return OTHER_TRAINING_KINDS[name](random_case(rng), rng).build(name)
