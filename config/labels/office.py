"""The one-stop counter: checklist, counter forms and their outcomes, fees and ratings,
units and routing, national data sources.

Part of config.labels, the one home of what clerks, leaders and archivists read.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "AGENT_SIGNING",
    "ARCHIVE_DONE",
    "CHECKS",
    "COMPETENT_UNIT",
    "COUNTER_DONE",
    "COUNTER_FORMS",
    "DATA_SOURCES",
    "DISPOSAL_FORM",
    "END_CHOICES",
    "NATIONAL_CHECKED",
    "PAYMENTS",
    "PRINTABLE_FORMS",
    "PROCEDURE_LEVELS",
    "RATINGS",
    "RECEIVING_UNIT",
    "UNIT_LEVELS",
    "completeness",
    "data_source",
    "national_check",
    "not_competent",
    "other_province",
    "routed",
]

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
