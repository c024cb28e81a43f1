"""Vietnamese labels for what the service stores in English codes: states, roles, flags,
field names, error codes; one home for the pages, the CLI and the status endpoints.

Keyed by the codes' string values (config imports no other sohoa package, so not by the
enums themselves); tests/test_labels.py checks every enum value has its label here.
"""

from __future__ import annotations

from collections.abc import Mapping

from config.errors import SohoaError

DOSSIER_STATES: Mapping[str, str] = {
    "received": "đã tiếp nhận",
    "processing": "đang xử lý",
    "supplement_requested": "yêu cầu bổ sung",
    "awaiting_signature": "chờ ký",
    "signed": "đã ký",
    "returned": "đã trả kết quả",
    "archived": "đã nộp lưu",
    "cancelled": "đã hủy",
    "refused": "từ chối tiếp nhận",
    "withdrawn": "công dân rút hồ sơ",
    "stopped": "dừng giải quyết",
}
"""storage.enums.DossierStatus."""

DOCUMENT_STATES: Mapping[str, str] = {
    "queued": "chờ xử lý",
    "processing": "đang xử lý",
    "digitized": "đã số hóa",
    "failed": "lỗi",
    "split": "đã tách",
    "superseded": "đã thay thế",
}
"""storage.enums.DocumentStatus."""

COMPONENT_STATES: Mapping[str, str] = {
    "missing": "còn thiếu",
    "received": "đang số hóa",
    "digitized": "đã số hóa",
    "failed": "lỗi, cần quét lại",
}
"""storage.enums.ComponentState: a file received is one being digitized."""

SIGNATURE_STATES: Mapping[str, str] = {
    "queued": "chờ ký",
    "awaiting_token": "chờ lãnh đạo ký bằng thiết bị ký số",
    "signed": "đã ký",
    "failed": "lỗi",
    "cancelled": "đã hủy",
}
"""storage.enums.SignatureState."""

CERTIFICATION_STATES: Mapping[str, str] = {
    "pending": "chờ cán bộ số hóa ký",
    "signed": "đã ký",
    "failed": "ký lỗi",
}
"""storage.enums.CertificationState: a digitization result's signature by its clerk."""

FILE_OUTCOMES: Mapping[str, str] = {
    "stored": "đã lưu, chờ số hóa",
    "duplicate": "đã có trong hồ sơ",
    "rejected": "bị từ chối",
}
"""What became of a file handed to a dossier (api.services.AddedFile.status)."""

STATES: Mapping[str, str] = {**DOCUMENT_STATES, **DOSSIER_STATES}
"""A dossier's or a document's state (their shared codes mean the same)."""

PENDING_DOCUMENT = frozenset({"queued", "processing"})
"""Document states a worker will still change: pages poll while one is shown."""

PENDING_SIGNATURE = frozenset({"queued", "awaiting_token"})
"""Signature states that will still change (by a worker, or the leader's token)."""

PAGER = "Trang"
"""The name of the links under a list paged by cursor (read out by screen readers); where a page
has several paged lists, each one's name follows it ("Trang: Cảnh báo toàn vẹn")."""

SKIP_TO_MAIN = "Bỏ qua, đến nội dung chính"
"""The first link of every page, shown when focused: keyboard and screen-reader users jump over
the header's menu straight to the page's content."""

ACTIONS_COLUMN = "Thao tác"
"""The header of a table's column of links and buttons, read by screen readers alone."""

NEXT_PAGE = "Trang sau →"
"""The link under a paged list to its next page."""

FIRST_PAGE = "← Trang đầu"
"""The link under a paged list back to its first page."""

MORE_ROWS = "Còn nữa: chạy lại với --cursor {cursor} để xem trang sau."
"""What a paged CLI list prints (to stderr) when more rows follow."""


TURNS: Mapping[int, str] = {270: "↺ Xoay trái", 90: "↻ Xoay phải", 180: "Lật ngược"}
"""A page's quarter turns (degrees clockwise) as the inbox's buttons name them."""

AUTO_COMPONENT = "Tự xếp theo loại giấy tờ nhận dạng được"
"""Filing a scanner file into no chosen component: digitization files it by its type."""

INBOX_DONE: Mapping[str, str] = {
    "split": "Đã tách tệp thành {n} tệp; mỗi tệp chờ xếp vào hồ sơ.",
    "turned": "Đã xoay trang {n}.",
}
"""What the inbox pages say after a clerk's edit sent them back ({n}: parts, or the page)."""


def state(code: str | None) -> str:
    """The Vietnamese label of a dossier's or document's state (the code if it has none)."""
    return STATES.get(code or "", code or "")


def component_state(code: str) -> str:
    """The Vietnamese label of a component's state."""
    return COMPONENT_STATES.get(code, code)


def signature_state(code: str) -> str:
    """The Vietnamese label of a signature's state."""
    return SIGNATURE_STATES.get(code, code)


def tone(code: str | None, required: bool = True) -> str:
    """The badge colour of a state: ok (done), bad (failed or missing: only an alarm for
    what is required), wait (anything else)."""
    if code in ("digitized", "signed", "returned", "archived"):
        return "ok"
    if code in ("failed", "missing", "cancelled", "refused", "stopped") and required:
        return "bad"
    return "wait"


CHECKS: Mapping[str, str] = {
    "present": "Có",
    "missing": "Thiếu",
    "uncertain": "Chưa chắc chắn",
}
"""A required component's completeness verdict (storage.completeness.Verdict)."""


def completeness(missing: int, uncertain: int) -> str:
    """The one-line summary of a dossier's completeness, as its page and the CLI say it."""
    if not missing and not uncertain:
        return "Đủ thành phần bắt buộc."
    if not missing:
        return f"Còn {uncertain} thành phần bắt buộc chưa chắc chắn."
    text = f"Còn thiếu {missing} thành phần bắt buộc"
    return text + (f", {uncertain} chưa chắc chắn." if uncertain else ".")


COUNTER_DONE: Mapping[str, str] = {
    "received": "Đã tiếp nhận hồ sơ. Hãy in giấy tiếp nhận cho công dân.",
    "supplement": "Đã ghi yêu cầu bổ sung; thời gian giải quyết tạm dừng.",
    "resume": "Đã nhận hồ sơ bổ sung; thời gian giải quyết tiếp tục, ngày hẹn trả đã lùi.",
    "return": "Đã trả kết quả cho công dân.",
    "route": "Đã chuyển hồ sơ đến cơ quan có thẩm quyền giải quyết.",
    "end": "Đã kết thúc hồ sơ; lý do đã được ghi để thông báo cho công dân.",
    "national_check": "Đã ghi nhận thành phần được đối chiếu với dữ liệu quốc gia.",
    "reuse": "Đã dùng lại kết quả số hóa còn hiệu lực của người nộp cho thành phần này.",
    "apology": "Đã ghi thư xin lỗi và ngày hẹn trả mới. Hãy in thư (mẫu 04) gửi công dân.",
    "payment": "Đã ghi nhận thu phí, lệ phí.",
    "split": "Đã gửi yêu cầu tách/gộp tài liệu; các tài liệu mới sẽ hiện trong hồ sơ sau ít phút.",
    "rating": "Đã ghi nhận đánh giá của công dân.",
}
"""What the dossier's page says after a counter action sent the clerk back to it."""

ARCHIVE_DONE: Mapping[str, str] = {
    "disposed": "Đã hủy hồ sơ theo quyết định; siêu dữ liệu, nhật ký và biên bản hủy được giữ lại.",
}
"""What a record's page says after the archivist's action sent them back to it."""

DISPOSAL_FORM: Mapping[str, str] = {
    "title": "Hủy hồ sơ hết thời hạn bảo quản",
    "warning": "Các tệp và nội dung văn bản của hồ sơ bị xóa vĩnh viễn, ở cả hai bản lưu; chỉ "
    "giữ lại siêu dữ liệu, nhật ký và biên bản hủy.",
    "decision": "Quyết định hủy (số, ngày, cơ quan ban hành)",
    "decision_placeholder": "vd: QĐ số 7/QĐ-UBND ngày 16/3/2046",
    "decided_by": "Người quyết định",
    "decided_by_placeholder": "vd: Chủ tịch UBND xã",
    "submit": "Hủy hồ sơ",
}
"""The disposal form on an archived record's page (`sohoa dispose`)."""

AGENT_SIGNING: Mapping[str, str] = {
    "title": "Ký bằng USB token của lãnh đạo",
    "intro": "Cắm USB token, chạy chương trình ký (sohoa sign-agent) trên máy này, chọn các "
    "hồ sơ rồi bấm ký: chương trình ký hiển thị số văn bản và hỏi mã PIN một lần cho cả lô.",
    "pairing": "Mã ghép nối (chương trình ký hiển thị khi khởi động)",
    "agent_url": "Địa chỉ chương trình ký",
    "submit": "Ký bằng USB token",
    "step_certificate": "Đang đọc chứng thư số trên USB token…",
    "step_prepare": "Máy chủ đang chuẩn bị {count} văn bản…",
    "step_sign": "Hãy kiểm tra danh sách và nhập mã PIN ở chương trình ký ({count} văn bản)…",
    "step_finish": "Đang gắn chữ ký vào văn bản và kiểm tra…",
    "done": "Đã ký {signed} hồ sơ bằng USB token; dấu của cơ quan sẽ được đóng tiếp.",
    "done_errors": "{failed} hồ sơ không ký được; xem lý do trong danh sách.",
    "none_chosen": "Hãy chọn ít nhất một hồ sơ.",
    "no_pairing": "Hãy nhập mã ghép nối mà chương trình ký hiển thị.",
    "nothing_owed": "Không còn văn bản nào chờ ký bằng USB token trong các hồ sơ đã chọn.",
    "agent_down": "Không kết nối được chương trình ký tại {url}: hãy chạy sohoa sign-agent "
    "trên máy này (và kiểm tra địa chỉ).",
    "agent_pairing": "Chương trình ký từ chối mã ghép nối: hãy nhập đúng mã nó hiển thị khi "
    "khởi động (nhập sai nhiều lần thì phải khởi động lại chương trình ký).",
    "agent_forbidden": "Chương trình ký không nhận yêu cầu từ trang này: hãy khởi động nó với "
    "--allow-origin là địa chỉ của trang.",
    "agent_declined": "Đã từ chối ở chương trình ký (không nhập mã PIN): chưa có gì được ký.",
    "agent_token": "USB token không sẵn sàng hoặc sai mã PIN: hãy cắm lại token rồi ký lại.",
    "agent_error": "Chương trình ký trả lỗi: {error}",
    "server_error": "Máy chủ từ chối: {hint}",
}
"""The leader inbox's form for signing with the leader's own token through the sign agent
(api/http/static/agent_sign.js reads these from the form's data attributes)."""

COUNTER_FORMS: Mapping[str, str] = {
    "route_title": "Chuyển đến cơ quan có thẩm quyền",
    "route_to": "Cơ quan có thẩm quyền giải quyết",
    "route_reason": "Lý do chuyển (không bắt buộc)",
    "route_submit": "Chuyển hồ sơ",
    "competent_now": "Cơ quan giải quyết hiện tại",
    "needs_routing": "Cơ quan đang giữ hồ sơ không có thẩm quyền giải quyết thủ tục này; hãy "
    "chuyển hồ sơ đến cơ quan có thẩm quyền.",
    "end_title": "Kết thúc hồ sơ không có kết quả",
    "end_state": "Hình thức",
    "end_reason": "Lý do (thông báo cho công dân)",
    "end_placeholder": "vd: hồ sơ không thuộc trường hợp được giải quyết",
    "end_submit": "Kết thúc hồ sơ",
    "national_title": "Đối chiếu dữ liệu quốc gia thay cho bản giấy",
    "national_source": "Nguồn dữ liệu",
    "national_reference": "Mã tra cứu / số hồ sơ dữ liệu",
    "national_placeholder": "vd: mã kết quả tra cứu trên CSDL",
    "national_submit": "Ghi nhận đã đối chiếu",
    "reuse_title": "Dùng lại kết quả số hóa còn hiệu lực của người nộp",
    "reuse_result": "Kết quả số hóa",
    "reuse_from": "hồ sơ",
    "reuse_until": "hiệu lực đến",
    "reuse_no_limit": "không thời hạn",
    "reuse_submit": "Dùng lại, không quét",
    "apology_title": "Thư xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)",
    "apology_reason": "Lý do trễ hạn",
    "apology_placeholder": "vd: chờ xác minh thông tin tại cơ quan khác",
    "apology_date": "Ngày hẹn trả mới",
    "apology_submit": "Ghi và in thư xin lỗi",
    "forms_title": "Biểu mẫu in",
    "split_title": "Tách hoặc gộp tài liệu",
    "split_help": "Đánh dấu trang bắt đầu của mỗi tài liệu (bỏ bớt dấu để gộp, vd: mặt trước "
    "và mặt sau CCCD). Không đọc lại trang nào.",
    "split_page": "Tài liệu mới bắt đầu ở trang {n}",
    "split_submit": "Tách/gộp",
    "fee": "Phí, lệ phí",
    "payment_submit": "Ghi nhận đã thu",
    "rating_title": "Đánh giá của công dân",
    "rating_submit": "Ghi nhận đánh giá",
}
"""The dossier page's counter forms: routing, ending without a result, national checks,
reuse of the applicant's earlier digitization results, the apology letter."""

PAYMENTS: Mapping[str, str] = {
    "none": "không thu phí",
    "unpaid": "chưa thu",
    "paid_online": "đã thanh toán trực tuyến",
    "paid_direct": "đã nộp trực tiếp",
}
"""storage.enums.PaymentStatus."""

RATINGS: Mapping[str, str] = {
    "satisfied": "Hài lòng",
    "neutral": "Bình thường",
    "dissatisfied": "Không hài lòng",
}
"""storage.enums.Rating."""

PRINTABLE_FORMS: Mapping[str, str] = {
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)",
    "03": "Phiếu từ chối giải quyết hồ sơ (mẫu 03)",
    "04": "Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)",
    "05": "Thông báo dừng giải quyết hồ sơ (mẫu 05)",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 06)",
}
"""The forms of Circular 03/2025/TT-VPCP (as reported) a dossier's page links to print."""

END_CHOICES: Mapping[str, str] = {
    "refused": "Từ chối giải quyết",
    "withdrawn": "Công dân rút hồ sơ",
    "stopped": "Dừng giải quyết",
}
"""The end states a clerk chooses from (storage.outcomes.END_STATES)."""

UNIT_LEVELS: Mapping[str, str] = {
    "province": "cấp tỉnh",
    "department": "sở, ngành cấp tỉnh",
    "centre": "Trung tâm Phục vụ hành chính công",
    "commune": "cấp xã",
    "ward": "phường",
    "special_zone": "đặc khu",
}
"""config.units.UnitLevel, as a refusal names a unit's level."""

PROCEDURE_LEVELS: Mapping[str, str] = {"commune": "cấp xã", "province": "cấp tỉnh"}
"""config.catalogue.PROCEDURE_LEVELS: the level that resolves a procedure."""


def not_competent(unit_name: str, unit_level: str, procedure_level: str) -> str:
    """Why a unit may not resolve a procedure of another level, as the clerk reads it."""
    return (
        f"{unit_name} ({UNIT_LEVELS.get(unit_level, unit_level)}) không có thẩm quyền giải "
        f"quyết thủ tục {PROCEDURE_LEVELS.get(procedure_level, procedure_level)}; hãy chuyển "
        "hồ sơ đến cơ quan có thẩm quyền đúng cấp."
    )


RECEIVING_UNIT = "Nơi tiếp nhận"
"""The unit that received a dossier, as `sohoa dossier show` names it."""

COMPETENT_UNIT = "Cơ quan giải quyết"
"""The dossier's competent unit, where it differs from the receiving one."""


def routed(code: str, source: str, target: str) -> str:
    """What the clerk reads after routing a dossier (units by name)."""
    return f"{code}: đã chuyển từ {source} đến {target}"


def other_province(unit_name: str) -> str:
    """Why a dossier may not be routed to a unit of another province."""
    return (
        f"{unit_name} thuộc tỉnh khác; hồ sơ chỉ được chuyển đến cơ quan có thẩm quyền trong "
        "cùng tỉnh (Nghị định 118/2025/NĐ-CP)."
    )


DATA_SOURCES: Mapping[str, str] = {
    "population": "Cơ sở dữ liệu quốc gia về dân cư",
    "civil_status": "Cơ sở dữ liệu hộ tịch điện tử",
    "vneid": "Ứng dụng VNeID (công dân xuất trình)",
}
"""storage.enums.DataSource: where a paper's data was checked instead of taking the paper."""

NATIONAL_CHECKED = "đã đối chiếu CSDL"
"""A component's badge when it was satisfied by a national-database lookup."""


def data_source(code: str) -> str:
    """The Vietnamese name of a national data source."""
    return DATA_SOURCES.get(code, code)


def national_check(source: str, reference: str, by: str, at: str) -> str:
    """Why a component checked against a national database is satisfied, as the checklist
    says it (`at`: office time, ISO 8601)."""
    when = at[:16].replace("T", " ")
    return (
        f"Đã đối chiếu với {data_source(source)} (mã tra cứu {reference}), "
        f"cán bộ {by}, lúc {when}; không cần bản giấy."
    )


VERDICTS: Mapping[str, str] = {
    "valid": "hợp lệ",
    "tampered": "KHÔNG hợp lệ: nội dung đã bị sửa",
    "modified": "KHÔNG hợp lệ: tài liệu bị thay đổi sau khi ký",
    "revoked": "KHÔNG hợp lệ: chứng thư số đã bị thu hồi",
    "expired": "KHÔNG hợp lệ: chứng thư số hết hạn khi ký",
    "untrusted": "KHÔNG tin cậy: không chứng thực được nguồn gốc chứng thư",
    "wrong_trust_set": "KHÔNG đúng tập tin cậy: chứng thư không thuộc loại dành cho vai trò "
    "người ký (sai tập tin cậy)",
    "indeterminate": "chưa xác định được",
}
"""The bottom line on a signature or a signed file (signing.verification.report.Verdict)."""

TIME_SOURCES: Mapping[str, str] = {
    "timestamp": "theo dấu thời gian của tổ chức cung cấp dịch vụ",
    "claimed": "theo đồng hồ máy của người ký (không phải bằng chứng)",
    "none": "không có",
}
"""Where a signature's signing time comes from (signing.verification.report.TimeSource)."""


ROLES: Mapping[str, str] = {
    "clerk": "Cán bộ một cửa",
    "leader": "Lãnh đạo",
    "archivist": "Cán bộ lưu trữ",
    "admin": "Quản trị",
    "exchange": "Hệ thống liên thông",
}
"""storage.enums.UserRole."""

NOTICES: Mapping[str, str] = {
    "added": "tạo tài khoản",
    "password_reset": "đặt lại mật khẩu",
    "password_changed": "đổi mật khẩu",
    "deactivated": "vô hiệu hóa tài khoản",
    "activated": "kích hoạt lại tài khoản",
}
"""What changed on an account, as its holder and admins read it."""

FLAGS: Mapping[str, str] = {
    "low_dpi": "độ phân giải thấp",
    "blank": "trang trắng",
    "low_confidence": "nhận dạng chưa chắc chắn",
    "dpi_estimated": "độ phân giải ước đoán",
    "ocr_failed": "không nhận dạng được",
    "render_failed": "không hiển thị được trang",
}
"""A page's quality flags (digitize.quality, digitize.pagework, digitize.pipeline)."""

FIELDS: Mapping[str, str] = {
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "id_number": "Số định danh cá nhân",
    "sex": "Giới tính",
    "other_id_numbers": "Số định danh khác",
    "dossier_code": "Mã hồ sơ",
    "number_symbol": "Số, ký hiệu",
    "document_symbol": "Ký hiệu văn bản",
    "issue_date": "Ngày ban hành",
    "issue_month": "Tháng ban hành",
    "issuing_body": "Cơ quan ban hành",
    "parent_body": "Cơ quan chủ quản",
    "summary": "Trích yếu",
    "signer_name": "Người ký",
    "signer_position": "Chức vụ người ký",
    "date_of_death": "Ngày chết",
    "appointment_date": "Ngày hẹn trả",
    "procedure_code": "Mã thủ tục",
    "book_number": "Số quyển",
    "certificate_serial": "Số phát hành giấy chứng nhận",
    "parcel_number": "Số thửa",
    "map_sheet": "Tờ bản đồ số",
    "area": "Diện tích",
    "price": "Giá",
    "business_name": "Tên hộ kinh doanh",
    "business_code": "Mã số hộ kinh doanh",
    "capital": "Vốn kinh doanh",
    "copied_type": "Loại giấy tờ được sao",
    "copied_number_symbol": "Số, ký hiệu giấy tờ được sao",
    "valid_until": "Có giá trị đến",
}
"""Extracted fields (digitize.fields) and the generated documents' own: the person a
document is about has the plain names."""

PERSON_ROLES: Mapping[str, str] = {
    "child": "người con",
    "mother": "mẹ",
    "father": "cha",
    "spouse": "vợ/chồng",
    "deceased": "người chết",
    "agent": "người được ủy quyền",
    "counterparty": "bên kia",
    "declarant": "người khai",
}
"""Other people's fields carry their role as a prefix (digitize.fields.PERSON_ROLES)."""


def field(key: str) -> str:
    """The Vietnamese name of an extracted field: `child_full_name` is "Họ và tên (người
    con)"; an unknown key is returned as it is (tests keep the tables complete)."""
    if key in FIELDS:
        return FIELDS[key]
    role, _, base = key.partition("_")
    if role in PERSON_ROLES and base in FIELDS:
        return f"{FIELDS[base]} ({PERSON_ROLES[role]})"
    return key


def flag(code: str) -> str:
    """The Vietnamese label of a page flag."""
    return FLAGS.get(code, code)


def error(code: str | None, message: str | None = None) -> str:
    """What a clerk reads for an error code stored on a record: its class's Vietnamese
    hint (config.errors), else the message as recorded."""
    hint = error_hints().get(code or "")
    return hint or message or ""


def error_hints() -> dict[str, str]:
    """Every error code of config.errors with its Vietnamese hint."""
    found: dict[str, str] = {}
    pending: list[type[SohoaError]] = [SohoaError]
    while pending:
        cls = pending.pop()
        found.setdefault(cls.code, cls.hint_vi)
        pending.extend(cls.__subclasses__())
    return found


RATES: Mapping[str, str] = {
    "digitization": "Tỷ lệ số hóa hồ sơ",
    "electronic_result": "Tỷ lệ kết quả điện tử (ký số)",
    "reuse": "Tỷ lệ tái sử dụng dữ liệu số hóa",
    "on_time": "Tỷ lệ giải quyết đúng hạn",
}
"""The four rates of storage.stats.RATE_NAMES, as the dashboard titles them."""

RATES_SHORT: Mapping[str, str] = {
    "digitization": "Số hóa",
    "electronic_result": "Kết quả điện tử",
    "reuse": "Tái sử dụng",
    "on_time": "Đúng hạn",
}
"""The same, as a terminal's columns title them."""

PORTAL_FIGURES: Mapping[str, str] = {
    "on_time": "Đúng hạn (2.1)",
    "electronic_result": "Kết quả điện tử (4.1)",
    "digitization": "Số hóa (4.2)",
    "reuse": "Tái sử dụng (4.3)",
    "population_data": "Dữ liệu dân cư (4.5)",
    "online": "Trực tuyến (3.3)",
    "direct": "Trực tiếp",
    "postal": "Bưu chính",
    "online_payment": "Thanh toán trực tuyến (3.6)",
    "dissatisfied": "Không hài lòng",
}
"""The national portal's figures (storage.portal), with their indicator numbers."""

PORTAL_HEADING = "Theo cách tính của Cổng Dịch vụ công quốc gia (Quyết định 766/QĐ-TTg)"
"""Above the portal's figures, in `sohoa stats` and on the dashboard."""

SATISFACTION = "Hài lòng (5.4)"
"""The portal's satisfaction figure (storage.portal.PortalRow.satisfaction)."""

FIGURES_BY: Mapping[str, str] = {
    "competent": "Theo đơn vị có thẩm quyền",
    "receiving": "Theo nơi tiếp nhận",
}
"""How the dashboard groups its figures (by the competent unit or the receiving centre)."""

BACKLOG: Mapping[str, str] = {
    "overdue": "QUÁ HẠN",
    "due_soon": "đến hạn",
    "waiting_supplement": "chờ bổ sung",
}
"""Where a dossier of the backlog stands (storage.backlog)."""

BACKLOG_PAGE: Mapping[str, str] = {
    "title": "Hồ sơ cần xử lý",
    "nav": "Cần xử lý",
    "caption": "Quá hạn trước, rồi đến hạn, rồi chờ bổ sung",
    "state": "Tình trạng",
    "code": "Mã hồ sơ",
    "procedure": "Thủ tục",
    "applicant": "Người nộp",
    "appointment": "Hẹn trả",
    "late": "Trễ (ngày làm việc)",
    "leader": "Lãnh đạo ký",
    "apology": "Thư xin lỗi",
    "apology_due": "cần gửi",
    "at_risk": "nguy cơ trễ hạn",
    "write_apology": "Viết thư",
    "empty": "Không có hồ sơ quá hạn, đến hạn hay chờ bổ sung.",
    "per_leader": "Theo lãnh đạo",
    "overdue": "Quá hạn",
    "due_soon": "Đến hạn",
    "waiting_supplement": "Chờ bổ sung",
    "book_title": "Sổ theo dõi hồ sơ (mẫu 07)",
    "book_from": "Tiếp nhận từ ngày",
    "book_to": "đến ngày",
    "book_submit": "In sổ",
}
"""The backlog page of clerks and leaders (`sohoa backlog`), with the tracking book."""

ALERT_KINDS: Mapping[str, str] = {
    "changed": "bị sửa",
    "missing": "bị mất",
    "unexpected": "tệp lạ",
}
"""What a fixity check found (storage.enums.AlertKind)."""

ARCHIVE_COPIES: Mapping[str, str] = {"primary": "bản chính", "replica": "bản sao dự phòng"}
"""storage.enums.ArchiveCopy."""

PACKAGE_STATES: Mapping[str, str] = {
    "active": "hiện hành",
    "superseded": "đã thay thế",
    "disposed": "đã hủy",
}
"""storage.enums.PackageStatus."""

CATALOGUE_PAGE: Mapping[str, str] = {
    "title": "Danh mục",
    "note": "Chỉ xem. Người vận hành sửa các danh mục trong tệp cấu hình (units.yaml, "
    "procedures.yaml, signers.yaml).",
    "units": "Đơn vị",
    "procedures": "Thủ tục hành chính",
    "signers": "Người ký",
    "code": "Mã",
    "name": "Tên",
    "level": "Cấp",
    "parent": "Trực thuộc",
    "agency_code": "Mã cơ quan",
    "unit_role": "Nhiệm vụ",
    "remote": "Vùng sâu, vùng xa",
    "processing_time": "Thời hạn giải quyết",
    "fee": "Phí, lệ phí (đồng)",
    "result": "Kết quả",
    "components": "Thành phần hồ sơ",
    "optional": "không bắt buộc",
    "profile": "Hồ sơ ký",
    "signer_role": "Vai trò ký",
    "full_name": "Họ tên",
    "title_col": "Chức vụ",
    "unit": "Cơ quan",
    "key": "Khóa ký",
    "yes": "có",
}
"""The admin's read-only page of the unit register, procedures and signer profiles."""

UNIT_ROLES: Mapping[str, str] = {
    "receive": "tiếp nhận",
    "resolve": "giải quyết",
    "both": "tiếp nhận và giải quyết",
}
"""config.units.UnitRole."""

SIGNER_ROLES: Mapping[str, str] = {
    "drafter": "ký nháy",
    "leader": "lãnh đạo ký duyệt",
    "organisation": "văn thư đóng dấu",
}
"""signing.profiles.Role."""

KEY_KINDS: Mapping[str, str] = {
    "pkcs12": "tệp khóa trên máy chủ",
    "pkcs11": "token/HSM trên máy chủ",
    "agent": "USB token của lãnh đạo (qua phần mềm ký)",
    "csc": "dịch vụ ký số từ xa",
    "plugin": "bộ điều hợp HSM",
}
"""The kinds of key a signer profile names (signing.profiles.KeySpec)."""

ACCESS_REGIMES: Mapping[str, str] = {"open": "công khai", "restricted": "hạn chế sử dụng"}
"""config.retention.AccessRegime (chế độ sử dụng)."""

BOOK_STATES: Mapping[str, str] = {
    "received": "Đang giải quyết",
    "processing": "Đang giải quyết",
    "supplement_requested": "Chờ bổ sung",
    "awaiting_signature": "Chờ ký",
    "signed": "Đã có kết quả",
    "returned": "Đã trả kết quả",
    "archived": "Đã trả kết quả",
    "cancelled": "Đã hủy",
    "refused": "Từ chối",
    "withdrawn": "Rút hồ sơ",
    "stopped": "Dừng giải quyết",
}
"""A dossier's status as the tracking book (form 07) and the control slip print it: the
citizen's view, where received and processing are one state."""

CONTROL_STEPS: Mapping[str, str] = {
    "received": "Tiếp nhận hồ sơ",
    "routed": "Chuyển đơn vị có thẩm quyền",
    "supplement_asked": "Yêu cầu bổ sung: {reason}",
    "supplement_received": "Đã bổ sung hồ sơ",
    "apology": "Xin lỗi, hẹn lại ngày {new_date}: {reason}",
    "processed_on_time": "Có kết quả, đúng hạn",
    "processed_late": "Có kết quả, quá hạn",
    "returned_on_time": "Trả kết quả, đúng hạn",
    "returned_late": "Trả kết quả, quá hạn",
    "receiver": "Bộ phận Một cửa, {unit}",
    "citizen": "Công dân: {name}",
}
"""The control slip's (form 06) rows and parties, one per hand-over the event log records
(api.forms.control_steps)."""

HISTORY: Mapping[str, str] = {
    "dossier.received": "Tiếp nhận hồ sơ",
    "document.uploaded": "Nhận tệp",
    "upload.rejected": "Từ chối tệp tải lên",
    "document.digitized": "Số hóa xong",
    "document.failed": "Số hóa không thành công",
    "document.corrected": "Sửa loại giấy tờ",
    "document.field_corrected": "Sửa dữ liệu trích xuất",
    "document.split": "Tách/gộp tài liệu",
    "document.rescan_requested": "Yêu cầu quét lại",
    "document.certified": "Cán bộ ký số kết quả số hóa",
    "document.signed": "Lãnh đạo ký số kết quả",
    "document.number_issued": "Cấp số văn bản",
    "inbox.filed": "Xếp tệp quét vào hồ sơ",
    "component.reused": "Dùng lại kết quả số hóa",
    "component.national_checked": "Đối chiếu dữ liệu quốc gia",
    "dossier.supplement_requested": "Yêu cầu bổ sung",
    "dossier.supplement_received": "Nhận hồ sơ bổ sung",
    "dossier.apology_sent": "Thư xin lỗi, hẹn lại ngày trả",
    "dossier.routed": "Chuyển cơ quan có thẩm quyền",
    "dossier.processed": "Có kết quả",
    "dossier.returned": "Trả kết quả cho công dân",
    "dossier.ended": "Kết thúc hồ sơ không có kết quả",
    "dossier.paid": "Thu phí, lệ phí",
    "dossier.rated": "Công dân đánh giá",
    "record.archived": "Nộp lưu",
}
"""What a dossier's history on its page calls each event (storage.enums.EventKind); events
of the machinery (jobs started, retries, accesses) are not listed there."""
