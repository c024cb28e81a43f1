"""The states of dossiers, documents, components and signatures, and the words every
page shares (pager, skip link, turns).

Part of config.labels, the one home of what clerks, leaders and archivists read.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ACTIONS_COLUMN",
    "AUTO_COMPONENT",
    "CERTIFICATION_STATES",
    "COMPONENT_STATES",
    "DOCUMENT_STATES",
    "DOSSIER_STATES",
    "FILE_OUTCOMES",
    "FIRST_PAGE",
    "INBOX_DONE",
    "MORE_ROWS",
    "NEXT_PAGE",
    "PAGER",
    "PENDING_DOCUMENT",
    "PENDING_SIGNATURE",
    "RUN_LINES",
    "SIGNATURE_STATES",
    "SKIP_TO_MAIN",
    "STATES",
    "TURNS",
    "component_state",
    "signature_state",
    "state",
    "tone",
]

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

RUN_LINES: Mapping[str, str] = {
    "ok": "xong",
    "error": "lỗi",
    "pages": "trang",
    "signed": "đã ký",
}
"""The words of `sohoa digitize` and `sohoa sign`'s line per file and their progress lines."""

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
