"""The archive's errors, each under one of sohoa's root families."""

from __future__ import annotations

from collections.abc import Sequence

from config.errors import InvalidRequest, SohoaError


class ArchiveRefused(InvalidRequest):
    """A dossier that is not fit to archive yet; every reason is listed at once."""

    code = "archive_refused"
    hint_vi = (
        "Hồ sơ chưa đủ điều kiện nộp lưu: kiểm tra chữ ký số, định dạng PDF/A và các thành "
        "phần bắt buộc theo từng lý do nêu trên."
    )

    def __init__(self, record: str, reasons: Sequence[str]) -> None:
        super().__init__(f"dossier {record} cannot be archived: " + "; ".join(reasons))
        self.record = record
        self.reasons = list(reasons)

    def to_dict(self) -> dict[str, str]:
        """As every SohoaError, with the reasons one per line."""
        return {**super().to_dict(), "reasons": "\n".join(self.reasons)}


class AlreadyArchived(InvalidRequest):
    """A record already has an archived package; only a correction adds a version."""

    code = "already_archived"
    hint_vi = "Hồ sơ đã được nộp lưu; muốn sửa thì tạo phiên bản mới kèm lý do đính chính."


class DisposalRefused(InvalidRequest):
    """A disposal that the record's retention or the request does not allow."""

    code = "disposal_refused"
    hint_vi = (
        "Không được hủy hồ sơ này: chưa hết thời hạn bảo quản, bảo quản vĩnh viễn, "
        "hoặc thiếu quyết định hủy."
    )


class FixityFailure(SohoaError):
    """A package file whose every copy differs from what was sealed: nothing good to use."""

    code = "fixity_failed"
    hint_vi = (
        "Tệp lưu trữ bị thay đổi ở mọi bản sao; hãy báo ngay cho quản trị hệ thống và "
        "khôi phục từ bản sao lưu."
    )
