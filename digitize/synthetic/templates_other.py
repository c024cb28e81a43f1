"""Documents outside the catalogue ("khac"), for testing that a classifier does not guess."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

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
from digitize.synthetic.case import Case, random_case
from digitize.synthetic.document import Align, SyntheticDocument
from digitize.synthetic.people import Person
from digitize.synthetic.templates_birth import id_paper
from digitize.synthetic.templates_land import honorific
from digitize.synthetic.words import dmy, money, money_words

OTHER = "khac"


def _finish(b: DocBuilder, p: Person, kind: str) -> SyntheticDocument:
    b.fields.setdefault("full_name", p.full_name)
    return b.build(kind)


def water_bill(case: Case, rng: random.Random) -> SyntheticDocument:
    """A water utility's monthly bill: company header, meter readings, amount due."""
    p, month = case.applicant, case.filed.replace(day=1) - dt.timedelta(days=1)
    b = DocBuilder(OTHER, "Hóa đơn tiền nước", rng)
    company = f"CÔNG TY CỔ PHẦN CẤP NƯỚC {p.residence.province.upper()}"
    b.heading(company, align=Align.CENTER)
    tax_code, hotline = rng.randrange(10**9, 10**10), rng.randint(1000, 9999)
    b.small(f"Mã số thuế: {tax_code}    Tổng đài: 1900 {hotline}", align=Align.CENTER)
    b.title_block(
        pick(rng, "Hóa đơn tiền nước", "Hóa đơn giá trị gia tăng (tiền nước)"),
        f"Kỳ: tháng {month.month:02d}/{month.year}",
    )
    b.field("Tên khách hàng", p.full_name.upper())
    b.field("Mã khách hàng", f"PA{rng.randrange(10**8):08d}")
    b.field("Địa chỉ sử dụng nước", p.address)
    old = rng.randint(100, 2000)
    used = rng.randint(5, 40)
    b.field("Chỉ số cũ", f"{old}    Chỉ số mới: {old + used}    Tiêu thụ: {used} m³")
    price = 8500
    amount = used * price
    b.field("Đơn giá", f"{money(price)} đồng/m³")
    b.field("Tiền nước", f"{money(amount)} đồng")
    b.field("Thuế GTGT (5%)", f"{money(amount // 20)} đồng")
    total = amount + amount // 20
    b.field("Tổng cộng thanh toán", f"{money(total)} đồng")
    b.field("Số tiền viết bằng chữ", money_words(total))
    b.small(
        "Quý khách vui lòng thanh toán trong vòng 07 ngày kể từ ngày nhận hóa đơn.", italic=True
    )
    return _finish(b, p, "water_bill")


def school_report(case: Case, rng: random.Random) -> SyntheticDocument:
    """A pupil's end-of-year report card ("phiếu báo kết quả học tập")."""
    p = case.child if rng.random() < 0.3 else case.agent
    b = DocBuilder(OTHER, "Phiếu báo kết quả học tập", rng)
    school = f"Trường THCS {pick(rng, 'Nguyễn Du', 'Lê Quý Đôn', 'Chu Văn An', 'Kim Đồng')}"
    agency_header(
        b, [f"Phòng GD&ĐT {p.residence.district_full}", school], number=None, dateline=None
    )
    b.title_block("Phiếu báo kết quả học tập", f"Năm học {case.filed.year - 1} - {case.filed.year}")
    b.field("Họ và tên học sinh", p.full_name)
    b.field("Lớp", f"{rng.randint(6, 9)}A{rng.randint(1, 6)}")
    for subject in (
        "Toán",
        "Ngữ văn",
        "Tiếng Anh",
        "Khoa học tự nhiên",
        "Lịch sử và Địa lí",
        "Giáo dục công dân",
        "Tin học",
    ):
        b.field(subject, f"{rng.randint(50, 100) / 10:.1f}".replace(".", ","))
    b.field("Kết quả học tập", pick(rng, "Tốt", "Khá", "Đạt"))
    b.field("Kết quả rèn luyện", pick(rng, "Tốt", "Khá"))
    b.text(pick(rng, "Được lên lớp.", "Được khen thưởng danh hiệu Học sinh Giỏi."))
    signature(
        b,
        ["Hiệu trưởng"],
        official(rng),
        note=None,
        seal=True,
        date_text=dateline(p.residence.district_full, case.filed),
    )
    return _finish(b, p, "school_report")


def hospital_discharge(case: Case, rng: random.Random) -> SyntheticDocument:
    """A hospital discharge paper ("giấy ra viện")."""
    p = case.applicant
    b = DocBuilder(OTHER, "Giấy ra viện", rng)
    hospital = f"Bệnh viện Đa khoa {p.residence.province_full}"
    agency_header(
        b,
        [f"Sở Y tế {p.residence.province_full}", hospital],
        number=f"Số lưu trữ: {rng.randint(1000, 99999)}",
        dateline=None,
    )
    b.title_block("Giấy ra viện")
    b.field("Họ tên người bệnh", p.upper_name)
    b.field("Tuổi", f"{p.age_on(case.filed)}    Giới tính: {'Nam' if p.sex == 'nam' else 'Nữ'}")
    b.field("Dân tộc", p.ethnicity)
    b.field("Mã số BHXH/Thẻ BHYT số", f"HC4{rng.randrange(10**12):012d}")
    b.field("Địa chỉ", p.address)
    came = case.filed - dt.timedelta(days=rng.randint(10, 60))
    b.field(
        "Vào viện lúc",
        f"{rng.randint(0, 23):02d} giờ {rng.randint(0, 59):02d} phút, ngày {dmy(came)}",
    )
    b.field(
        "Ra viện lúc",
        f"{rng.randint(7, 16):02d} giờ 00 phút, ngày "
        f"{dmy(came + dt.timedelta(days=rng.randint(2, 9)))}",
    )
    b.field(
        "Chẩn đoán",
        pick(
            rng,
            "Viêm phổi cộng đồng",
            "Tăng huyết áp vô căn",
            "Viêm dạ dày cấp",
            "Sốt xuất huyết Dengue",
        ),
    )
    b.field("Phương pháp điều trị", pick(rng, "Nội khoa", "Kháng sinh, bù dịch"))
    b.field("Ghi chú", pick(rng, "Tái khám sau 01 tuần", "Uống thuốc theo đơn"))
    two_signatures(
        b,
        ("Trưởng khoa", official(rng)),
        ("Giám đốc bệnh viện", official(rng)),
        note="(Ký, ghi rõ họ tên)",
    )
    return _finish(b, p, "hospital_discharge")


def bank_statement(case: Case, rng: random.Random) -> SyntheticDocument:
    """A bank account statement ("sao kê tài khoản") with a few transactions."""
    p = case.applicant
    b = DocBuilder(OTHER, "Sao kê tài khoản", rng)
    bank = pick(
        rng,
        "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM",
        "NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN VIỆT NAM",
        "NGÂN HÀNG TMCP CÔNG THƯƠNG VIỆT NAM",
    )
    b.heading(bank, align=Align.CENTER)
    b.small(f"Chi nhánh {p.residence.province_full}", align=Align.CENTER)
    b.title_block(pick(rng, "Sao kê tài khoản", "Sổ phụ tài khoản khách hàng"))
    b.field("Tên tài khoản", p.upper_name)
    b.field("Số tài khoản", f"{rng.randrange(10**12, 10**13)}")
    start = case.filed - dt.timedelta(days=30)
    b.field("Từ ngày", f"{dmy(start)}    Đến ngày: {dmy(case.filed)}")
    balance = rng.randrange(5, 200) * 1_000_000
    b.field("Số dư đầu kỳ", f"{money(balance)} VND")
    b.heading("Ngày giao dịch    Nội dung    Số tiền    Số dư")
    day = start
    for _ in range(rng.randint(5, 10)):
        day += dt.timedelta(days=rng.randint(1, 4))
        amount = rng.randrange(1, 100) * 100_000 * rng.choice((1, -1))
        balance = max(0, balance + amount)
        what = pick(
            rng,
            "Chuyển khoản",
            "Rút tiền ATM",
            "Thanh toán hóa đơn điện",
            "Nhận lương",
            "Thanh toán QR",
        )
        b.text(
            f"{dmy(day)}    {what}    {'+' if amount > 0 else '-'}{money(abs(amount))}    "
            f"{money(balance)}"
        )
    b.field("Số dư cuối kỳ", f"{money(balance)} VND")
    return _finish(b, p, "bank_statement")


def rental_contract(case: Case, rng: random.Random) -> SyntheticDocument:
    """A house rental contract between two citizens ("hợp đồng thuê nhà")."""
    owner, tenant = case.counterparty, case.applicant
    b = DocBuilder(OTHER, "Hợp đồng thuê nhà", rng)
    national_header(b)
    b.title_block(pick(rng, "Hợp đồng thuê nhà", "Hợp đồng thuê nhà ở"))
    b.text(f"Hôm nay, ngày {dmy(case.filed)}, tại {tenant.residence.commune_full}, chúng tôi gồm:")
    for heading, p in (("BÊN CHO THUÊ (Bên A):", owner), ("BÊN THUÊ (Bên B):", tenant)):
        b.heading(heading)
        b.text(
            f"{honorific(p)}: {p.upper_name}, sinh năm {p.date_of_birth.year}; "
            f"{id_paper(p, rng)}; địa chỉ: {p.address}"
        )
    rent = rng.randrange(15, 120) * 100_000
    b.text(f"Điều 1. Bên A đồng ý cho Bên B thuê căn nhà tại {tenant.residence.full} để ở.")
    b.text(
        f"Điều 2. Giá thuê: {money(rent)} đồng/tháng (bằng chữ: {money_words(rent)}); "
        f"tiền đặt cọc: {money(rent * 2)} đồng."
    )
    b.text(
        f"Điều 3. Thời hạn thuê: {rng.choice((6, 12, 24))} tháng kể từ ngày ký; tiền thuê "
        "trả vào ngày 05 hằng tháng."
    )
    b.text(
        "Điều 4. Bên B sử dụng nhà đúng mục đích, giữ gìn tài sản, thanh toán tiền điện, "
        "nước đầy đủ; Bên A bảo đảm quyền sử dụng ổn định của Bên B."
    )
    two_signatures(b, ("Bên cho thuê", owner.full_name), ("Bên thuê", tenant.full_name))
    return _finish(b, tenant, "rental_contract")


def family_meeting_minutes(case: Case, rng: random.Random) -> SyntheticDocument:
    """Minutes of a household meeting ("biên bản họp thành viên hộ gia đình")."""
    p = case.applicant
    b = DocBuilder(OTHER, "Biên bản họp thành viên hộ gia đình", rng)
    national_header(b)
    b.title_block(
        "Biên bản họp thành viên hộ gia đình",
        pick(rng, "(V/v thành lập hộ kinh doanh)", "(V/v cử người đại diện)"),
    )
    b.text(
        f"Hôm nay, hồi {rng.randint(8, 20)} giờ, ngày {dmy(case.filed)}, tại nhà "
        f"{honorific(p).lower()} {p.full_name}, địa chỉ {p.address}, các thành viên hộ "
        "gia đình gồm có:",
        indent=True,
    )
    for number, member in enumerate((p, case.spouse), start=1):
        b.text(
            f"{number}. {member.full_name}, sinh năm {member.date_of_birth.year}, "
            f"CCCD số {member.id_number}"
        )
    b.text(
        f"Cuộc họp thống nhất cử {honorific(p).lower()} {p.full_name} làm chủ hộ kinh "
        f"doanh {case.business.name}, ngành nghề: {case.business.trade.lower()}.",
        indent=True,
    )
    b.text(
        "Biên bản kết thúc vào hồi cùng ngày, đã đọc lại cho mọi người cùng nghe và nhất "
        "trí ký tên dưới đây.",
        indent=True,
    )
    two_signatures(b, ("Thư ký", case.spouse.full_name), ("Chủ trì", p.full_name))
    return _finish(b, p, "family_meeting_minutes")


OTHER_KINDS: dict[str, Callable[[Case, random.Random], SyntheticDocument]] = {
    "water_bill": water_bill,
    "school_report": school_report,
    "hospital_discharge": hospital_discharge,
    "bank_statement": bank_statement,
    "rental_contract": rental_contract,
    "family_meeting_minutes": family_meeting_minutes,
}
"""Unseen kinds by name; all have doc_type "khac"."""


def make_other_document(
    rng: random.Random,
    person: Person | None = None,
    *,
    kind: str | None = None,
    case: Case | None = None,
) -> SyntheticDocument:
    """A document the catalogue does not describe (doc_type "khac"), of a random or given kind."""
    case = case or random_case(rng, person)
    builder = OTHER_KINDS[kind or rng.choice(sorted(OTHER_KINDS))]
    return builder(case, rng)
