"""Reports and the archive: portal rates and figures, backlog, alerts, packages, catalogue,
signers and keys, registers, control steps and history.

Part of config.labels, the one home of what clerks, leaders and archivists read.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ACCESS_REGIMES",
    "ALERT_KINDS",
    "ARCHIVE_COPIES",
    "BACKLOG",
    "BACKLOG_PAGE",
    "BOOK_STATES",
    "CATALOGUE_PAGE",
    "CONTROL_STEPS",
    "FIGURES_BY",
    "HISTORY",
    "KEY_KINDS",
    "PACKAGE_STATES",
    "PORTAL_FIGURES",
    "PORTAL_HEADING",
    "RATES",
    "RATES_SHORT",
    "SATISFACTION",
    "SIGNER_ROLES",
    "UNIT_ROLES",
]

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
    "clerk": "cán bộ một cửa ký kết quả số hóa",
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
