"""What the API answers about signing: the leader's inbox of results, and the public
check of a PDF's signatures."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.http.schemas_dossiers import Answer


class SignatureState(Answer):
    """One signature a result is owed (the leader's, the seal's) and where it stands."""

    role: str
    signer: str | None
    status: str
    status_vi: str
    tone: str


class SigningRow(Answer):
    """A dossier's result in the signing inbox (GET /api/signing/inbox: a page of these, the
    next page in the `Link` header); `document_id` and `sha256` name it in a sign request."""

    code: str
    procedure: str
    applicant: str
    document_id: int
    document_type: str | None
    sha256: str | None
    to_sign: bool
    awaiting_token: bool = Field(
        description="The leader's signature waits for their own USB token (the sign agent)."
    )
    signatures: list[SignatureState]
    signed: bool
    appointment_at: str | None


class VerifyReport(Answer):
    """A PDF's signatures in signing order, and the verdict on the whole file."""

    file: str
    verdict: str = Field(description="valid, tampered, modified, revoked, expired, untrusted...")
    verdict_vi: str
    error: str | None
    signatures: list[dict[str, Any]] = Field(
        description="Per signature: signer, trust, signing time and its source, integrity, "
        "revocation, PAdES level, each verdict with its Vietnamese label."
    )


class SignatureRequestState(Answer):
    """A signature asked of the signing workers (signing.flow.results.request_status)."""

    id: int
    position: int
    role: str
    profile: str | None
    signer: str | None
    level: str | None
    status: str
    pdf: str | None = Field(description="The signed output's SHA-256, once made.")
    error: str | None


class SigningQueued(Answer):
    """A result's signatures, queued in order (POST /api/signing: one per result)."""

    code: str
    signatures: list[SignatureRequestState]
