"""The errors of signing and verification, each under one of sohoa's root families."""

from __future__ import annotations

from config.errors import (
    ConfigurationError,
    Conflict,
    Forbidden,
    InputRejected,
    InvalidRequest,
    SohoaError,
    ToolFailed,
    TransientError,
)


class SignerUnavailable(ConfigurationError):
    """A signer profile's key cannot be opened: missing file, wrong passphrase, no token."""

    code = "signer_unavailable"
    hint_vi = "Không mở được khóa ký số; hãy kiểm tra tệp khóa, mật khẩu hoặc thiết bị ký (token)."


class SecretMissing(SignerUnavailable):
    """A passphrase or PIN is needed but neither its variable nor its secret file is set."""

    code = "secret_missing"
    hint_vi = (
        "Chưa cấu hình mật khẩu khóa ký số (SOHOA_SIGN_PASSPHRASE hoặc tệp bí mật); "
        "hãy báo cho quản trị hệ thống."
    )


class WrongPassphrase(SignerUnavailable):
    """The key file did not open with the passphrase given."""

    code = "wrong_passphrase"
    hint_vi = "Mật khẩu khóa ký số không đúng; hãy kiểm tra lại."


class TokenError(SignerUnavailable):
    """The PKCS#11 token refused: not present, wrong PIN, key or certificate not found."""

    code = "token_error"
    hint_vi = "Thiết bị ký số (USB token) không sẵn sàng hoặc sai mã PIN; hãy cắm lại và thử lại."


class CertificateMismatch(Forbidden):
    """The leader's agent presents another certificate than the one the signer profile
    names: the token plugged in is not this leader's, so nothing is signed with it (the
    client's side, as a wrong pairing code is: AgentRefused)."""

    code = "certificate_mismatch"
    hint_vi = (
        "Chứng thư số trên thiết bị ký không phải của người ký được cấu hình; hãy cắm đúng "
        "USB token của lãnh đạo, hoặc cập nhật chứng thư trong cấu hình người ký."
    )


class AgentRefused(Forbidden):
    """The leader's signing agent refused the caller: no or wrong pairing code, or the
    request came from a page or host it does not serve."""

    code = "sign_agent_refused"
    hint_vi = (
        "Chương trình ký trên máy lãnh đạo từ chối yêu cầu; hãy nhập đúng mã ghép nối mà "
        "chương trình ký hiển thị khi khởi động."
    )


class BatchRejected(InvalidRequest):
    """A batch the leader's agent will not sign: malformed, too large, or a digest that
    is not the one of the document it names."""

    code = "sign_batch_rejected"
    hint_vi = "Yêu cầu ký không hợp lệ nên không được ký; hãy báo cho quản trị hệ thống."


class SigningDeclined(Forbidden):
    """The leader saw the batch at the agent's prompt and declined to sign it."""

    code = "signing_declined"
    hint_vi = "Lãnh đạo đã từ chối ký các văn bản này."


class UnknownProfile(InvalidRequest):
    """A signer profile name that the signer configuration does not define."""

    code = "unknown_signer_profile"
    hint_vi = "Không có người ký này trong cấu hình; hãy kiểm tra tên hồ sơ ký (profile)."


class NotSignable(InputRejected):
    """A PDF that cannot be signed as it is (encrypted, broken, certified against changes)."""

    code = "not_signable"
    hint_vi = "Không ký được tệp PDF này; hãy xuất lại tệp từ phần mềm soạn thảo."


class SigningFailed(ToolFailed):
    """Signing started but did not finish (pyHanko refused, the CMS could not be built)."""

    code = "signing_failed"
    hint_vi = "Ký số không thành công; hãy thử lại hoặc báo cho quản trị hệ thống."


class ServiceUnavailable(TransientError):
    """A timestamp, OCSP, CRL, signing-agent or remote-signing service did not answer."""

    code = "signing_service_unavailable"
    hint_vi = (
        "Dịch vụ cấp dấu thời gian, kiểm tra chứng thư hoặc ký từ xa không phản hồi; "
        "việc ký sẽ được thử lại."
    )


class PdfaLost(SohoaError):
    """Signing would have turned a PDF/A-2b file into one that is no longer PDF/A-2b."""

    code = "pdfa_lost"
    hint_vi = "Tệp sau khi ký không còn đạt chuẩn PDF/A-2b; hãy báo cho quản trị hệ thống."


class AgentItemUnknown(Conflict):
    """A signature handed back for an item the server did not prepare for this leader (or
    prepared again since, with other signed attributes): nothing is embedded."""

    code = "agent_item_unknown"
    hint_vi = (
        "Chữ ký trả về không khớp với văn bản máy chủ đã chuẩn bị (văn bản đã được chuẩn bị "
        "lại hoặc không phải của bạn); chưa có gì được ký. Hãy tải lại trang rồi ký lại."
    )
