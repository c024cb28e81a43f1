"""The one root error of sohoa and the families every entry point maps to an outcome."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar


class ExitCode(IntEnum):
    """How a sohoa command ends, by family of error (sysexits.h's numbers where one fits)."""

    OK = 0
    FAILED = 1
    """Something of ours failed: a tool, a signature, a backup, a damaged file."""
    REJECTED = 2
    """The input or request was refused as it is; retrying the same will not help."""
    NOT_FOUND = 3
    """The dossier, document or record named does not exist."""
    TEMPORARY = 75
    """EX_TEMPFAIL: a failure that may pass; try again later."""
    NOT_PERMITTED = 77
    """EX_NOPERM: not signed in, or not allowed."""
    CONFIGURATION = 78
    """EX_CONFIG: settings, catalogues or keys that cannot be used as they are."""


class SohoaError(Exception):
    """Root of every error sohoa raises on purpose.

    Each subclass carries a stable machine-readable `code`, whether retrying may help
    (`transient`), the CLI exit status, the HTTP status, and a Vietnamese hint telling a
    clerk what to do. The English `message` names the file or record and the reason; it goes
    to logs and JSON. The CLI group and the HTTP error handler read the statuses from here.
    """

    code: ClassVar[str] = "error"
    transient: ClassVar[bool] = False
    exit_code: ClassVar[ExitCode] = ExitCode.FAILED
    http_status: ClassVar[int] = 500
    """A failure on sohoa's side unless a family says it is the client's (4xx)."""
    hint_vi: str = "Đã có lỗi; hãy báo cho quản trị hệ thống."
    """A class's hint; an instance may name its file or record in its own."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, str]:
        """The error as JSON-ready fields: code, message and the clerk's hint."""
        return {"code": self.code, "message": self.message, "hint": self.hint_vi}


class InputRejected(SohoaError):
    """A file that is not a document sohoa can digitize; retrying will not help."""

    code = "input_rejected"
    http_status = 422
    exit_code = ExitCode.REJECTED
    hint_vi = "Tệp không đọc được; hãy quét lại bản giấy hoặc nộp tệp khác."

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason


class EmptyFile(InputRejected):
    code = "empty_file"
    hint_vi = "Tệp rỗng (0 byte); hãy quét lại."


class FileTooLarge(InputRejected):
    code = "file_too_large"
    http_status = 413
    hint_vi = "Tệp quá lớn; hãy quét ở 200-300 dpi hoặc chia thành nhiều tệp."


class UnsupportedType(InputRejected):
    code = "unsupported_type"
    hint_vi = "Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF."


class CorruptFile(InputRejected):
    code = "corrupt_file"
    hint_vi = "Tệp bị hỏng, không mở được; hãy quét lại."


class EncryptedPdf(InputRejected):
    """A PDF that needs a password to open. One encrypted with an empty user password
    (owner restrictions only, as government PDFs often are) opens without one and is read."""

    code = "encrypted_pdf"
    hint_vi = "Tệp PDF có mật khẩu mở tệp; hãy xin bản không đặt mật khẩu hoặc quét lại bản giấy."

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(filename, reason)
        self.hint_vi = (
            f"Tệp “{filename}” được bảo vệ bằng mật khẩu mở tệp nên không đọc được; "
            "hãy xin bản không đặt mật khẩu hoặc quét lại bản giấy."
        )


class TooManyPages(InputRejected):
    code = "too_many_pages"
    hint_vi = "Tệp có quá nhiều trang; hãy chia thành nhiều tệp."


class ActiveContent(InputRejected):
    """A signed PDF carrying scripts, launch actions or an XFA form: it cannot be cleaned
    without breaking its signature (an unsigned one is cleaned instead,
    digitize.activecontent)."""

    code = "active_content"
    hint_vi = (
        "Tệp PDF đã ký số có chứa mã thực thi (JavaScript, lệnh chạy chương trình, "
        "biểu mẫu XFA); "
        "hãy xin bản không chứa mã hoặc quét lại bản giấy."
    )


class ImageTooLarge(InputRejected):
    code = "image_too_large"
    hint_vi = "Ảnh có kích thước điểm ảnh quá lớn; hãy quét ở 200-300 dpi."


class PdfTooComplex(InputRejected):
    """A PDF whose signatures will not be checked: more signatures, certificates, field
    nesting or decoded data than any real result has (built to exhaust the verifier)."""

    code = "pdf_too_complex"
    hint_vi = (
        "Tệp PDF có cấu trúc quá phức tạp (quá nhiều chữ ký, chứng thư số hoặc dữ liệu "
        "lồng nhau) nên không kiểm tra được; hãy xin lại bản gốc từ cơ quan đã cấp."
    )


class VerificationTimeout(InputRejected):
    """A signature check that ran past its deadline (a revocation server slow to answer,
    or a document slow to analyse); it was stopped, not retried."""

    code = "verify_timeout"
    hint_vi = (
        "Việc kiểm tra chữ ký số quá thời gian cho phép nên đã dừng (máy chủ kiểm tra "
        "thu hồi chứng thư không trả lời kịp); hãy thử lại sau ít phút."
    )


class NotFound(SohoaError):
    """A dossier, document or other record that does not exist."""

    code = "not_found"
    http_status = 404
    exit_code = ExitCode.NOT_FOUND
    hint_vi = "Không tìm thấy hồ sơ hoặc tài liệu; hãy kiểm tra lại mã."


class UnknownDossier(NotFound):
    """A dossier code a clerk typed (assigning a scanned file) that names no dossier of the
    unit."""

    code = "unknown_dossier"
    hint_vi = "Không có hồ sơ với mã này; hãy kiểm tra lại mã trên giấy tiếp nhận."

    def __init__(self, dossier_code: str) -> None:
        super().__init__(f"no dossier with code {dossier_code!r}")
        self.dossier_code = dossier_code
        self.hint_vi = (
            f"Không có hồ sơ mã “{dossier_code}”; hãy kiểm tra lại mã trên giấy tiếp nhận."
        )


class InvalidRequest(SohoaError):
    """A request that contradicts the catalogue or the record's state."""

    code = "invalid_request"
    http_status = 400
    exit_code = ExitCode.REJECTED
    hint_vi = "Yêu cầu không hợp lệ; hãy kiểm tra lại thông tin đã nhập."


class PageOutOfRange(InvalidRequest):
    """Page numbers a clerk gave (where to cut a scanned stack, which page to turn) that the
    file does not have, or a turn that is not a quarter turn."""

    code = "page_out_of_range"
    hint_vi = "Số trang hoặc góc xoay không hợp lệ; hãy kiểm tra lại số trang của tệp."

    def __init__(self, message: str, hint_vi: str) -> None:
        super().__init__(message)
        self.hint_vi = hint_vi


class SignedOriginal(InvalidRequest):
    """A scanned file carrying a digital signature, asked to be cut or turned: rewriting it
    would break the signature, so it is kept byte for byte."""

    code = "signed_original"
    hint_vi = (
        "Tệp có chữ ký số: tách hoặc xoay sẽ làm mất hiệu lực chữ ký, nên tệp được giữ "
        "nguyên; hãy xếp cả tệp vào hồ sơ."
    )


class Conflict(InvalidRequest):
    """A request made against a record that changed since the user saw it, or that may no
    longer change (HTTP 409)."""

    code = "conflict"
    http_status = 409
    hint_vi = "Hồ sơ đã thay đổi; hãy tải lại trang rồi thử lại."


class ResultChanged(Conflict):
    """A leader's signature asked for a result other than the one now in the dossier (a
    clerk uploaded, replaced or retyped it after the leader's preview): nothing is signed."""

    code = "result_changed"
    hint_vi = (
        "Văn bản kết quả đã thay đổi sau khi lãnh đạo xem (cán bộ đã tải lên, thay thế hoặc "
        "đổi loại văn bản); chưa có gì được ký. Hãy mở lại bản xem trước, kiểm tra rồi ký lại."
    )


class ResultFrozen(Conflict):
    """A change to a dossier whose result has signatures owed or made: what its signers saw
    must stay what they sign."""

    code = "result_frozen"
    hint_vi = (
        "Kết quả của hồ sơ đã được trình ký hoặc đã ký; không thể tải lên, thay thế, tách "
        "lại hay đổi loại văn bản trong hồ sơ này."
    )


class UnknownUnit(InvalidRequest):
    """A unit code the unit register (units.yaml) does not list, or a unit asked to do what
    the register says it does not (receive, or resolve)."""

    code = "unknown_unit"
    hint_vi = (
        "Đơn vị không có trong danh mục đơn vị hoặc không làm việc này; hãy kiểm tra mã đơn vị."
    )


class NotCompetent(InvalidRequest):
    """A unit asked to resolve a dossier whose procedure belongs to another level of
    government (a commune-level procedure sent to a provincial department), or to a unit of
    another province."""

    code = "not_competent"
    hint_vi = (
        "Đơn vị này không có thẩm quyền giải quyết thủ tục của hồ sơ; hãy chọn cơ quan có "
        "thẩm quyền đúng cấp."
    )

    def __init__(self, message: str, hint_vi: str | None = None) -> None:
        super().__init__(message)
        if hint_vi:
            self.hint_vi = hint_vi


class WrongPassword(InvalidRequest):
    """A signed-in user changing their password gave a wrong current one."""

    code = "wrong_password"
    hint_vi = "Mật khẩu hiện tại không đúng; hãy nhập lại."


class WeakPassword(InvalidRequest):
    """A new password shorter than the minimum."""

    code = "weak_password"
    hint_vi = "Mật khẩu quá ngắn; hãy chọn mật khẩu dài hơn."


class ConfigurationError(SohoaError):
    """Settings or catalogue files that cannot be used as they are."""

    code = "configuration"
    exit_code = ExitCode.CONFIGURATION
    http_status = 500  # the server's setup, not the client's request
    hint_vi = "Cấu hình hệ thống chưa đúng; hãy báo cho quản trị hệ thống."


class ToolFailed(SohoaError):
    """An external program (Tesseract, pdftoppm, redis-server) failed."""

    code = "tool_failed"
    http_status = 500  # a program on the server failed; the client did nothing wrong


class ToolMissing(ToolFailed):
    """An external program is not installed; every page would fail, so nothing is tried."""

    code = "tool_missing"
    hint_vi = "Máy chủ thiếu phần mềm cần thiết; hãy báo cho quản trị hệ thống."


class ToolTimeout(ToolFailed):
    """An external program ran past its time limit."""

    code = "tool_timeout"


class TransientError(SohoaError):
    """A failure that may pass: a restarting database or queue, a full disk being cleared."""

    code = "transient"
    http_status = 503
    transient = True
    exit_code = ExitCode.TEMPORARY
    hint_vi = "Hệ thống đang bận hoặc gián đoạn; việc sẽ được thử lại tự động."


class StorageFull(TransientError):
    """The disk under the data directory has no room left."""

    code = "storage_full"
    hint_vi = "Ổ đĩa lưu trữ đã đầy; hãy báo cho quản trị hệ thống."


class BlobUnavailable(TransientError):
    """The blob store could not be read just now (a volume or object store unreachable)."""

    code = "blob_unavailable"
    hint_vi = "Kho lưu trữ tệp tạm thời không đọc được; việc sẽ được thử lại tự động."


class BlobCorrupted(SohoaError):
    """A stored file whose bytes no longer hash to its name: changed on disk after it was
    stored. Nothing is made from it; the copy in a backup or archive replica is the good one."""

    code = "blob_corrupted"
    hint_vi = "Tệp đã lưu bị thay đổi hoặc hỏng trên ổ đĩa; hãy báo ngay cho quản trị hệ thống."

    def __init__(self, sha256: str) -> None:
        super().__init__(f"blob {sha256} no longer hashes to its name: changed after it was stored")
        self.sha256 = sha256


class VerifierBusy(TransientError):
    """Every thread for public signature checks is taken and their queue is full."""

    code = "verify_busy"
    hint_vi = "Hệ thống đang kiểm tra nhiều tệp cùng lúc; hãy thử lại sau ít phút."

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        """Seconds after which a check is likely to be taken again."""


class NotAuthenticated(SohoaError):
    """A request without a valid session or token, or a wrong user name or password."""

    code = "not_authenticated"
    http_status = 401
    exit_code = ExitCode.NOT_PERMITTED
    hint_vi = "Hãy đăng nhập lại (phiên làm việc đã hết hạn hoặc sai tên, mật khẩu)."


class Forbidden(SohoaError):
    """An authenticated user asking for something their role may not do."""

    code = "forbidden"
    http_status = 403
    exit_code = ExitCode.NOT_PERMITTED
    hint_vi = "Tài khoản của bạn không có quyền thực hiện việc này."


class PasswordChangeRequired(Forbidden):
    """Signed in with a password someone else set: it must be changed before anything else."""

    code = "password_change_required"
    hint_vi = "Mật khẩu do người khác đặt chỉ dùng một lần; hãy đổi mật khẩu trước khi làm việc."


class CsrfRejected(Forbidden):
    """A page form posted without the session's anti-forgery token."""

    code = "csrf_rejected"
    hint_vi = "Biểu mẫu đã hết hạn; hãy tải lại trang rồi thử lại."


class LoginThrottled(SohoaError):
    """Too many failed logins for a user name or from an address in a short time."""

    code = "login_throttled"
    http_status = 429
    exit_code = ExitCode.TEMPORARY
    hint_vi = "Đăng nhập sai quá nhiều lần; hãy đợi vài phút rồi thử lại."


class RateLimited(SohoaError):
    """Too many requests from one client in a short time to a public, costly route."""

    code = "rate_limited"
    http_status = 429
    exit_code = ExitCode.TEMPORARY
    hint_vi = "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn; hãy đợi một lát rồi thử lại."

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        """Seconds until the client's window ends and requests are taken again."""


class LoginBusy(RateLimited):
    """More logins at once than the server checks passwords for; the client retries."""

    code = "login_busy"
    hint_vi = "Máy chủ đang bận kiểm tra đăng nhập; hãy thử lại sau vài giây."


class AuditTrailBroken(SohoaError):
    """The event log's hash chain does not hold: an entry was deleted, edited or moved."""

    code = "audit_trail_broken"
    hint_vi = "Nhật ký sự kiện đã bị sửa hoặc xóa; hãy báo ngay cho quản trị hệ thống."
