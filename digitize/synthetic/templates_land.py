"""Templates of land procedures: registration form, land use right certificate, transfer."""

from __future__ import annotations

import datetime as dt
import random

from digitize.synthetic.blocks import (
    DocBuilder,
    dateline,
    leader_roles,
    national_header,
    official,
    pick,
    signature,
    two_signatures,
)
from digitize.synthetic.case import Case, Parcel
from digitize.synthetic.document import Align, Mark, SyntheticDocument
from digitize.synthetic.people import Person
from digitize.synthetic.templates_birth import id_paper
from digitize.synthetic.words import capitalize, dmy, long_date, money, money_words, number_words


def honorific(p: Person) -> str:
    """Ông or Bà, as contracts and certificates name people."""
    return "Ông" if p.sex == "nam" else "Bà"


def party_line(p: Person, rng: random.Random) -> str:
    """A party as contracts describe them: name, birth date, ID, residence."""
    return (
        f"{honorific(p)}: {p.upper_name}, sinh ngày {dmy(p.date_of_birth)}; "
        f"{id_paper(p, rng)}; {pick(rng, 'thường trú tại', 'nơi cư trú')}: {p.address}"
    )


def certificate_issue(case: Case, rng: random.Random) -> tuple[dt.date, str]:
    """When and by whom the applicant's land certificate was issued."""
    issued = dt.date(rng.randint(2009, 2022), rng.randint(1, 12), rng.randint(1, 28))
    place = case.parcel.address
    body = (
        f"Ủy ban nhân dân {place.district_full}"
        if issued.year < 2015
        else f"Sở Tài nguyên và Môi trường {place.province_full}"
    )
    return issued, body


def _parcel_lines(b: DocBuilder, parcel: Parcel) -> None:
    """The parcel's particulars; certificates letter them a) b) c)..., contracts often not."""
    rng = b.rng
    letters = iter("abcdđeg") if rng.random() < 0.6 else None

    def label(text: str) -> str:
        return f"{next(letters)}) {text}" if letters else text

    b.field(label("Thửa đất số"), f"{parcel.number}    Tờ bản đồ số: {parcel.sheet}")
    b.field(label(pick(rng, "Địa chỉ", "Địa chỉ thửa đất")), parcel.address.full)
    b.field(
        label("Diện tích"),
        f"{parcel.area_text} m² (bằng chữ: {capitalize(_area_words(parcel))} mét vuông)",
    )
    b.field(label("Hình thức sử dụng"), pick(rng, "Sử dụng riêng", "Riêng"))
    b.field(label(pick(rng, "Mục đích sử dụng", "Mục đích sử dụng đất")), parcel.use)
    b.field(
        label("Thời hạn sử dụng"),
        "Lâu dài"
        if parcel.use_code in ("ONT", "ODT")
        else f"Đến ngày 15/10/{2043 + rng.randint(0, 20)}",
    )
    b.field(
        label(pick(rng, "Nguồn gốc sử dụng", "Nguồn gốc sử dụng đất")),
        pick(
            rng,
            "Công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
            "Nhận chuyển nhượng đất được công nhận quyền sử dụng đất",
            "Nhà nước giao đất có thu tiền sử dụng đất",
        ),
    )


def _area_words(parcel: Parcel) -> str:
    whole, tenth = divmod(round(parcel.area * 10), 10)
    return number_words(whole) + (f" phẩy {number_words(tenth)}" if tenth else "")


def don_dang_ky_dat_dai(case: Case, rng: random.Random) -> SyntheticDocument:
    """Đơn đăng ký biến động đất đai (form 09/ĐK), filed by the owner for a transfer."""
    title = pick(
        rng,
        "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất",
        "Đơn đăng ký đất đai, tài sản gắn liền với đất",
    )
    b = DocBuilder("don_dang_ky_dat_dai", title, rng)
    a, parcel = case.applicant, case.parcel
    b.small(pick(rng, "Mẫu số 09/ĐK", "Mẫu số 11/ĐK", "Mẫu số 04a/ĐK"), align=Align.RIGHT)
    national_header(b)
    b.title_block(title)
    b.text(
        f"Kính gửi: Văn phòng đăng ký đất đai {parcel.address.province_full} - "
        f"Chi nhánh {parcel.address.district_full}",
        align=Align.CENTER,
    )
    b.heading("I. PHẦN KÊ KHAI CỦA NGƯỜI ĐĂNG KÝ")
    b.field(
        "1. Người sử dụng đất", f"{honorific(a)} {a.upper_name}, sinh năm {a.date_of_birth.year}"
    )
    b.field(pick(rng, "Giấy tờ nhân thân", "Giấy tờ tùy thân"), id_paper(a, rng))
    b.field(pick(rng, "Địa chỉ", "Địa chỉ thường trú"), a.address)
    issued, _ = certificate_issue(case, rng)
    b.text("2. Giấy chứng nhận đã cấp:")
    b.field("Số vào sổ cấp GCN", parcel.register_number)
    b.field("Số phát hành GCN", parcel.certificate_serial)
    b.field("Ngày cấp GCN", dmy(issued))
    b.text("3. Nội dung biến động:")
    _parcel_lines(b, parcel)
    b.field(
        "4. Lý do biến động",
        f"Chuyển nhượng quyền sử dụng đất cho "
        f"{honorific(case.counterparty).lower()} {case.counterparty.full_name}",
    )
    b.field(
        "5. Giấy tờ liên quan nộp kèm",
        pick(
            rng,
            "Hợp đồng chuyển nhượng quyền sử dụng đất; Giấy chứng nhận đã cấp",
            "Bản gốc Giấy chứng nhận; Hợp đồng chuyển nhượng đã công chứng",
        ),
    )
    b.text(
        "Tôi xin cam đoan nội dung kê khai trên đơn là đúng sự thật, nếu sai tôi hoàn toàn "
        "chịu trách nhiệm trước pháp luật.",
        indent=True,
    )
    signature(
        b,
        ["Người viết đơn"],
        a.full_name,
        date_text=dateline(parcel.address.commune_full, case.filed),
        note="(Ký, ghi rõ họ tên và đóng dấu nếu có)",
    )
    b.fields.update(
        full_name=a.full_name,
        id_number=a.id_number,
        parcel_number=str(parcel.number),
        map_sheet=str(parcel.sheet),
        area=parcel.area_text,
    )
    return b.build()


def giay_chung_nhan_qsdd(case: Case, rng: random.Random) -> SyntheticDocument:
    """Giấy chứng nhận quyền sử dụng đất: two pages, the holder then the parcel and sketch."""
    title = pick(
        rng,
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    )
    b = DocBuilder("giay_chung_nhan_qsdd", title, rng)
    a, parcel = case.applicant, case.parcel
    issued, body = certificate_issue(case, rng)
    national_header(b)
    b.space(8)
    b.title_block(title)
    b.space(6)
    b.heading("I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất")
    b.text(f"{honorific(a)}: {a.upper_name}, sinh năm {a.date_of_birth.year}")
    b.text(id_paper(a, rng))
    b.text(f"Địa chỉ thường trú: {a.address}")
    if rng.random() < 0.5:
        spouse = case.spouse
        b.text(
            f"và {honorific(spouse).lower()}: {spouse.upper_name}, sinh năm "
            f"{spouse.date_of_birth.year}; {id_paper(spouse, rng)}"
        )
    b.space(30)
    b.text(parcel.certificate_serial, align=Align.CENTER, bold=True)
    b.new_page()
    b.heading("II. Thửa đất, nhà ở và tài sản khác gắn liền với đất")
    b.text("1. Thửa đất:")
    _parcel_lines(b, parcel)
    b.field("2. Nhà ở", pick(rng, "-/-", "Không"))
    b.field("3. Ghi chú", pick(rng, "-/-", "Không"))
    b.heading("III. Sơ đồ thửa đất, nhà ở và tài sản khác gắn liền với đất")
    b.space(55, Mark.SKETCH)
    roles = (
        leader_roles(rng)[0]
        if body.startswith("Ủy ban")
        else ["Sở Tài nguyên và Môi trường", "KT. Giám đốc", "Phó Giám đốc"]
    )
    signature(
        b,
        roles,
        official(rng),
        note=None,
        seal=True,
        date_text=dateline(parcel.address.province_full, issued),
    )
    b.field("Số vào sổ cấp GCN", parcel.register_number, leader=False)
    b.fields.update(
        full_name=a.full_name,
        id_number=a.id_number,
        parcel_number=str(parcel.number),
        map_sheet=str(parcel.sheet),
        area=parcel.area_text,
        certificate_serial=parcel.certificate_serial,
        number_symbol=parcel.register_number,
        issue_date=issued.isoformat(),
        issuing_body=body,
    )
    return b.build()


def _contract_terms(b: DocBuilder, case: Case) -> None:
    rng, parcel = b.rng, case.parcel
    b.heading("ĐIỀU 1. QUYỀN SỬ DỤNG ĐẤT CHUYỂN NHƯỢNG")
    b.text(
        f"Bên A là người sử dụng hợp pháp thửa đất theo Giấy chứng nhận số phát hành "
        f"{parcel.certificate_serial}, số vào sổ {parcel.register_number}, cụ thể:"
    )
    _parcel_lines(b, parcel)
    b.heading("ĐIỀU 2. GIÁ CHUYỂN NHƯỢNG VÀ PHƯƠNG THỨC THANH TOÁN")
    b.text(
        f"Giá chuyển nhượng quyền sử dụng đất nêu tại Điều 1 là: {money(parcel.price)} "
        f"đồng (bằng chữ: {money_words(parcel.price)}).",
        indent=True,
    )
    b.text(
        pick(
            rng,
            "Phương thức thanh toán: tiền mặt, trả một lần ngay khi ký hợp đồng.",
            "Phương thức thanh toán: chuyển khoản qua ngân hàng trong thời hạn 05 ngày "
            "kể từ ngày ký hợp đồng.",
        ),
        indent=True,
    )
    b.new_page()
    b.heading("ĐIỀU 3. VIỆC GIAO VÀ ĐĂNG KÝ QUYỀN SỬ DỤNG ĐẤT")
    b.text(
        "Bên A có nghĩa vụ giao thửa đất nêu tại Điều 1 cùng giấy tờ về quyền sử dụng đất "
        "cho Bên B; Bên B có trách nhiệm đăng ký biến động tại cơ quan có thẩm quyền.",
        indent=True,
    )
    b.heading("ĐIỀU 4. TRÁCH NHIỆM NỘP THUẾ, LỆ PHÍ")
    b.text(
        pick(
            rng,
            "Thuế thu nhập cá nhân do Bên A nộp; lệ phí trước bạ do Bên B nộp.",
            "Các bên thỏa thuận Bên B chịu toàn bộ thuế, phí và lệ phí phát sinh.",
        ),
        indent=True,
    )
    b.heading("ĐIỀU 5. PHƯƠNG THỨC GIẢI QUYẾT TRANH CHẤP")
    b.text(
        "Trong quá trình thực hiện hợp đồng, nếu phát sinh tranh chấp, các bên cùng "
        "thương lượng giải quyết; nếu không thương lượng được thì yêu cầu Tòa án có "
        "thẩm quyền giải quyết theo quy định của pháp luật.",
        indent=True,
    )
    b.heading("ĐIỀU 6. CAM ĐOAN CỦA CÁC BÊN")
    b.text(
        "Các bên cam đoan những thông tin về nhân thân và về thửa đất đã ghi trong hợp "
        "đồng này là đúng sự thật; việc giao kết hợp đồng là hoàn toàn tự nguyện.",
        indent=True,
    )


def hop_dong_chuyen_nhuong_qsdd(case: Case, rng: random.Random) -> SyntheticDocument:
    """Hợp đồng chuyển nhượng quyền sử dụng đất, notarized: two pages."""
    title = "Hợp đồng chuyển nhượng quyền sử dụng đất"
    b = DocBuilder("hop_dong_chuyen_nhuong_qsdd", title, rng)
    seller, buyer = case.applicant, case.counterparty
    signed = case.filed - dt.timedelta(days=rng.randint(2, 20))
    office = f"Văn phòng công chứng {pick(rng, 'Nguyễn Huệ', 'Hồng Đức', 'Trung tâm', 'Sông Hồng')}"
    national_header(b)
    b.title_block(title)
    b.text(
        f"Hôm nay, {long_date(signed)}, tại {office}, {case.parcel.address.province_full}, "
        f"chúng tôi gồm có:",
        indent=True,
    )
    b.heading(f"BÊN CHUYỂN NHƯỢNG{pick(rng, ' (sau đây gọi là Bên A)', ' (Bên A)')}:")
    b.text(party_line(seller, rng))
    b.heading(f"BÊN NHẬN CHUYỂN NHƯỢNG{pick(rng, ' (sau đây gọi là Bên B)', ' (Bên B)')}:")
    b.text(party_line(buyer, rng))
    b.text(
        "Hai bên đồng ý thực hiện việc chuyển nhượng quyền sử dụng đất với các thỏa thuận sau đây:",
        indent=True,
    )
    _contract_terms(b, case)
    two_signatures(b, ("Bên A", seller.full_name), ("Bên B", buyer.full_name))
    number = f"{rng.randint(100, 9999)}"
    book = f"{rng.randint(1, 9):02d}/{signed.year} TP/CC-SCC/HĐGD"
    b.heading("LỜI CHỨNG CỦA CÔNG CHỨNG VIÊN", align=Align.CENTER)
    notary = official(rng)
    b.text(
        f"Hôm nay, {long_date(signed)}, tại {office}, tôi {notary}, công chứng viên, "
        f"chứng nhận hợp đồng chuyển nhượng quyền sử dụng đất được giao kết giữa Bên A là "
        f"{seller.full_name} và Bên B là {buyer.full_name}.",
        indent=True,
    )
    b.text(f"Số công chứng: {number}, quyển số {book}")
    signature(b, ["Công chứng viên"], notary, note=None, seal=True)
    b.fields.update(
        full_name=seller.full_name,
        id_number=seller.id_number,
        date_of_birth=seller.date_of_birth.isoformat(),
        counterparty_full_name=buyer.full_name,
        counterparty_id_number=buyer.id_number,
        parcel_number=str(case.parcel.number),
        price=str(case.parcel.price),
        number_symbol=number,
        book_number=book,
        issue_date=signed.isoformat(),
        issuing_body=office,
    )
    return b.build()
