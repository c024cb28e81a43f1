"""Signature verdicts, roles, notices, page flags, extracted fields and error codes.

Part of config.labels, the one home of what clerks, leaders and archivists read.
"""

from __future__ import annotations

from collections.abc import Mapping

from config.errors import SohoaError

__all__ = [
    "COVERAGE",
    "FIELDS",
    "FLAGS",
    "NOTICES",
    "PERSON_ROLES",
    "REVOCATION_STATES",
    "ROLES",
    "SIGNATURE_KINDS",
    "SIGNED_CHANGES",
    "TIME_SOURCES",
    "VERDICTS",
    "VERIFY_LINES",
    "error",
    "error_hints",
    "field",
    "flag",
]

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


SIGNATURE_KINDS: Mapping[str, str] = {
    "signature": "Chữ ký",
    "document_timestamp": "Dấu thời gian lưu trữ",
}
"""signing.verification.report.SignatureReport.kind."""

COVERAGE: Mapping[str, str] = {
    "ENTIRE_FILE": "toàn bộ tệp",
    "ENTIRE_REVISION": "toàn bộ phiên bản đã ký",
    "CONTIGUOUS_BLOCK_FROM_START": "chỉ một phần đầu tệp",
    "UNCLEAR": "không rõ",
    "UNKNOWN": "không rõ",
}
"""What a signature covers (pyHanko's SignatureCoverageLevel names)."""

SIGNED_CHANGES: Mapping[str, str] = {
    "NONE": "không có",
    "LTA_UPDATES": "chỉ bổ sung dữ liệu lưu trữ dài hạn",
    "FORM_FILLING": "điền biểu mẫu, ký thêm",
    "ANNOTATIONS": "thêm ghi chú",
    "OTHER": "thay đổi khác",
}
"""What came after a signature (pyHanko's ModificationLevel names)."""

REVOCATION_STATES: Mapping[str, str] = {
    "good": "chưa bị thu hồi",
    "revoked": "ĐÃ BỊ THU HỒI",
    "unknown": "không rõ (không có dữ liệu kiểm tra)",
    "not_applicable": "không áp dụng (không có chuỗi chứng thư)",
}
"""signing.verification.report.Revocation.status."""

VERIFY_LINES: Mapping[str, str] = {
    "error": "lỗi",
    "signer": "Người ký",
    "chain": "Chuỗi chứng thư",
    "trusted": "gốc tin cậy",
    "untrusted": "KHÔNG tin cậy",
    "sets": "thuộc tập",
    "time": "Thời điểm ký",
    "by": "do",
    "integrity": "Toàn vẹn",
    "intact": "nguyên vẹn",
    "not_intact": "KHÔNG nguyên vẹn",
    "coverage": "phạm vi ký",
    "later": "thay đổi sau khi ký",
    "changes": "Các thay đổi",
    "certification": "Chứng nhận",
    "revocation": "Thu hồi",
    "since": "từ",
    "level": "Mức PAdES",
    "as_of": "thẩm định tại thời điểm",
    "relied_on": "Dữ liệu đã dùng",
    "reason": "Lý do",
    "warning": "Cảnh báo",
}
"""The line titles of `sohoa verify`'s report (signing.verification.report.format_text);
reasons and the data relied on are quoted as the validator words them."""


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
