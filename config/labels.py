"""Vietnamese labels for what the service stores in English codes: states, roles, flags,
field names, error codes; one home for the pages, the CLI and the status endpoints.

Keyed by the codes' string values (config imports no other sohoa package, so not by the
enums themselves); tests/test_labels.py checks every enum value has its label here.
"""

from __future__ import annotations

from collections.abc import Mapping

STATES: Mapping[str, str] = {
    # dossiers
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
    # components and documents
    "missing": "còn thiếu",
    "digitized": "đã số hóa",
    "failed": "lỗi",
    "queued": "chờ xử lý",
    "split": "đã tách",
    "superseded": "đã thay thế",
    # signatures
    "awaiting_token": "chờ thiết bị ký số",
}
"""Where a dossier, component, document or signature is (their enums share some values)."""

PENDING_DOCUMENT = frozenset({"queued", "processing"})
"""Document states a worker will still change: pages poll while one is shown."""

PENDING_SIGNATURE = frozenset({"queued", "awaiting_token"})
"""Signature states that will still change (by a worker, or the leader's token)."""


def state(code: str | None) -> str:
    """The Vietnamese label of a state code (the code itself if it has none)."""
    return STATES.get(code or "", code or "")


def tone(code: str | None, required: bool = True) -> str:
    """The badge colour of a state: ok (done), bad (failed or missing: only an alarm for
    what is required), wait (anything else)."""
    if code in ("digitized", "signed", "returned", "archived"):
        return "ok"
    if code in ("failed", "missing", "cancelled", "refused") and required:
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
    text = f"Còn thiếu {missing} thành phần bắt buộc"
    return text + (f", {uncertain} chưa chắc chắn." if uncertain else ".")


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
"""The bottom line on a signature or a signed file (signing.report.Verdict)."""

TIME_SOURCES: Mapping[str, str] = {
    "timestamp": "theo dấu thời gian của tổ chức cung cấp dịch vụ",
    "claimed": "theo đồng hồ máy của người ký (không phải bằng chứng)",
    "none": "không có",
}
"""Where a signature's signing time comes from (signing.report.TimeSource)."""
