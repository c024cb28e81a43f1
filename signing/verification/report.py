"""What verification found, per signature: JSON for the API, lines for the terminal."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from config.labels import (
    COVERAGE,
    REVOCATION_STATES,
    SIGNATURE_KINDS,
    SIGNED_CHANGES,
    SIGNER_ROLES,
    TIME_SOURCES,
    VERDICTS,
    VERIFY_LINES,
)


class Verdict(StrEnum):
    """The bottom line on one signature, each failure reported distinctly."""

    VALID = "valid"
    """Intact, the signer's chain reaches a trusted root, not revoked or expired when
    signed, and nothing but form filling, signatures or archive updates came after it."""
    TAMPERED = "tampered"
    """The signed bytes changed: the document digest no longer matches (or the signature
    value does not verify)."""
    MODIFIED = "modified"
    """The signed revision is intact, but a later incremental update changed more than
    form fields and signatures (page content, for instance), or covers the file oddly."""
    REVOKED = "revoked"
    """The signer's certificate (or a CA above it) was revoked before the signing time."""
    EXPIRED = "expired"
    """The signer's certificate was not valid at the signing time (expired or not yet
    valid)."""
    UNTRUSTED = "untrusted"
    """The chain does not reach a trusted root (self-signed, or a foreign CA)."""
    WRONG_TRUST_SET = "wrong_trust_set"
    """Valid, but the chain reaches a root outside the sets of the signer's role (trust.yaml:
    a leader's or seal's signature chaining only to a public CA, not the government's
    official-duty CA; a timestamp outside the timestamp authorities' set)."""
    INDETERMINATE = "indeterminate"
    """Could not be decided (unreadable CMS, disallowed algorithm, untrusted timestamp)."""


class TimeSource(StrEnum):
    """Where the reported signing time comes from."""

    TIMESTAMP = "timestamp"
    """An RFC 3161 timestamp token on the signature: attested by a TSA."""
    CLAIMED = "claimed"
    """The signer's own clock (signingTime attribute or /M): not proof."""
    NONE = "none"


@dataclass
class Revocation:
    """Revocation status of the signer's certificate, and the data that told."""

    status: str
    """good, revoked, unknown (no data for it) or not_applicable (no chain)."""
    revoked_at: datetime | None = None
    reason: str | None = None
    sources: list[str] = dataclasses.field(default_factory=list)
    """e.g. "OCSP response by X produced 2026-03-14T02:30:00Z (embedded in the DSS)"."""


@dataclass
class SignatureReport:
    """Everything the verifier says about one signature or document timestamp."""

    field: str
    kind: str
    """signature, or document_timestamp (PAdES B-LTA archive timestamp)."""
    signer: str
    subject: str
    chain: list[str]
    """Subjects from the signer's certificate up to the last one found."""
    trusted: bool
    trust_root: str | None
    signing_time: datetime | None
    signing_time_source: TimeSource
    timestamp_authority: str | None
    intact: bool
    valid: bool
    """Whether the signature value verifies (intact: whether the digest matches)."""
    coverage: str
    modification: str | None
    changes: str | None
    """What changed after signing, in pyHanko's words (form fields, or why it is suspect)."""
    certification: str | None
    """For the certifying signature: what it allows afterwards."""
    revocation: Revocation
    level: str
    """PAdES level found (B-B, B-T, B-LT, B-LTA), or PKCS#7 for a non-PAdES signature."""
    validated_at: datetime | None
    validation_data: list[str]
    """Which data the verdict relied on (embedded in the document or fetched)."""
    verdict: Verdict
    reasons: list[str]
    warnings: list[str] = dataclasses.field(default_factory=list)
    ades_indication: str | None = None
    role: str | None = None
    """The signer's role, from the field sohoa created (signing.trust_sets.FIELD_ROLES)."""
    trust_sets: list[str] = dataclasses.field(default_factory=list)
    """The trust.yaml sets the chain's root belongs to."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["verdict_vi"] = VERDICTS[self.verdict]
        data["signing_time_source_vi"] = TIME_SOURCES[self.signing_time_source]
        for key in ("signing_time", "validated_at"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        if self.revocation.revoked_at:
            data["revocation"]["revoked_at"] = self.revocation.revoked_at.isoformat()
        return data


@dataclass
class VerificationReport:
    """A document's signatures in signing order, and the verdict on the whole file."""

    file: str
    signatures: list[SignatureReport]
    error: str | None = None

    @property
    def verdict(self) -> Verdict:
        """Valid only if the file has signatures and every one of them is valid."""
        regular = [s for s in self.signatures if s.kind == "signature"]
        if self.error or not regular:
            return Verdict.INDETERMINATE
        for signature in self.signatures:
            if signature.verdict is not Verdict.VALID:
                return signature.verdict
        return Verdict.VALID

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "file": self.file,
            "verdict": self.verdict.value,
            "verdict_vi": VERDICTS[self.verdict],
            "error": self.error,
            "signatures": [s.to_dict() for s in self.signatures],
        }


def _time(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else "-"


def format_text(report: VerificationReport) -> list[str]:
    """The report as terminal lines, in Vietnamese as a leader or archivist reads it: one
    block per signature. Reasons, changes and the data relied on are quoted as the
    validator (pyHanko) words them: they name certificates and PDF objects."""
    say = VERIFY_LINES
    lines = [f"{report.file}: {VERDICTS[report.verdict]}"]
    if report.error:
        lines.append(f"  {say['error']}: {report.error}")
    for i, sig in enumerate(report.signatures, 1):
        what = SIGNATURE_KINDS.get(sig.kind, sig.kind)
        lines.append(f"  [{i}] {what} {sig.field}: {VERDICTS[sig.verdict]}")
        role = f" ({SIGNER_ROLES.get(sig.role, sig.role)})" if sig.role else ""
        lines.append(f"      {say['signer']}: {sig.signer}{role}")
        chain = " -> ".join(sig.chain) or "-"
        root = f"{say['trusted']} {sig.trust_root}" if sig.trusted else say["untrusted"]
        if sig.trust_sets:
            root += f", {say['sets']} {', '.join(sig.trust_sets)}"
        lines.append(f"      {say['chain']}: {chain} ({root})")
        source = TIME_SOURCES[sig.signing_time_source]
        tsa = f" {say['by']} {sig.timestamp_authority}" if sig.timestamp_authority else ""
        lines.append(f"      {say['time']}: {_time(sig.signing_time)} ({source}{tsa})")
        integrity = say["intact"] if sig.intact and sig.valid else say["not_intact"]
        coverage = COVERAGE.get(sig.coverage, sig.coverage)
        later = SIGNED_CHANGES.get(sig.modification, sig.modification) if sig.modification else "-"
        lines.append(
            f"      {say['integrity']}: {integrity}; {say['coverage']}: {coverage}; "
            f"{say['later']}: {later}"
        )
        if sig.changes:
            lines.append(f"      {say['changes']}: {sig.changes}")
        if sig.certification:
            lines.append(f"      {say['certification']}: {sig.certification}")
        rev = sig.revocation
        state = REVOCATION_STATES.get(rev.status, rev.status)
        when = f" {say['since']} {_time(rev.revoked_at)} ({rev.reason})" if rev.revoked_at else ""
        lines.append(f"      {say['revocation']}: {state}{when}")
        lines.append(f"      {say['level']}: {sig.level}; {say['as_of']} {_time(sig.validated_at)}")
        lines.extend(f"      {say['relied_on']}: {used}" for used in sig.validation_data)
        lines.extend(f"      {say['reason']}: {reason}" for reason in sig.reasons)
        lines.extend(f"      {say['warning']}: {warning}" for warning in sig.warnings)
    return lines
