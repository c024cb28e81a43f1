"""Turning pyHanko's validation status into sohoa's report: level, revocation, verdict."""

from __future__ import annotations

from datetime import datetime

from asn1crypto import cms, x509
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    TimestampSignatureStatus,
)
from pyhanko_certvalidator import ValidationContext

from signing.evidence import (
    Embedded,
    crl_covers,
    describe_crl,
    describe_ocsp,
    is_self_signed,
    ocsp_covers,
)
from signing.trust import common_name, describe
from signing.trust_sets import TrustSets
from signing.verification.report import Revocation, SignatureReport, TimeSource, Verdict

OUT_OF_BOUNDS = {"OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED", "EXPIRED", "NOT_YET_VALID"}
"""AdES sub-indications meaning the certificate was not valid at the time judged."""

CRYPTO_PROBLEMS = {"CRYPTO_CONSTRAINTS_FAILURE", "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"}
"""AdES sub-indications meaning an algorithm (hash, key size) is not acceptable."""

REVOCATION_UNCHECKED = (
    "chưa kiểm tra được chứng thư của người ký có bị thu hồi hay không (không có dữ liệu)"
)
"""The warning on a signature whose revocation status no data could tell."""

ACCEPTABLE_COVERAGE = (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)

_MDP_VI = {
    MDPPerm.NO_CHANGES: "chứng nhận tài liệu, không cho phép thay đổi",
    MDPPerm.FILL_FORMS: "chứng nhận tài liệu, cho phép điền biểu mẫu và ký thêm",
    MDPPerm.ANNOTATE: "chứng nhận tài liệu, cho phép điền biểu mẫu, ký thêm và ghi chú",
}
"""What a certifying signature allows after it, as a leader or archivist reads it."""


def indication_name(indication: object) -> str | None:
    """The name of an AdES sub-indication (pyHanko types them as a marker base class)."""
    return None if indication is None else str(getattr(indication, "name", indication))


def level(
    sig: EmbeddedPdfSignature,
    embedded: Embedded,
    tokens: list[cms.SignedData],
    archive_revisions: list[int],
) -> str:
    """The PAdES baseline level the signature's structure reaches."""
    subfilter = str(sig.sig_object.get("/SubFilter", ""))
    if subfilter != "/ETSI.CAdES.detached":
        return "PKCS#7 (not PAdES)"
    if not tokens:
        return "B-B"
    if not embedded.has_revinfo:
        return "B-T"
    if any(revision > sig.signed_revision for revision in archive_revisions):
        return "B-LTA"
    return "B-LT"


def unreadable(sig: EmbeddedPdfSignature, error: Exception, level_name: str) -> SignatureReport:
    """A signature the validator could not process (malformed CMS, banned algorithm)."""
    try:
        cert: x509.Certificate | None = sig.signer_cert
    except (ValueError, KeyError, TypeError):
        cert = None
    kind = "document_timestamp" if sig.sig_object_type == "/DocTimeStamp" else "signature"
    return SignatureReport(
        field=str(sig.field_name),
        kind=kind,
        signer=common_name(cert) if cert else "?",
        subject=describe(cert) if cert else "?",
        chain=[],
        trusted=False,
        trust_root=None,
        signing_time=sig.self_reported_timestamp,
        signing_time_source=TimeSource.CLAIMED,
        timestamp_authority=None,
        intact=False,
        valid=False,
        coverage="UNKNOWN",
        modification=None,
        changes=None,
        certification=None,
        revocation=Revocation("unknown"),
        level=level_name,
        validated_at=None,
        validation_data=[],
        verdict=Verdict.INDETERMINATE,
        reasons=[f"the signature cannot be validated: {type(error).__name__}: {error}"],
    )


def revocation(
    status: PdfSignatureStatus,
    context: ValidationContext,
    embedded: Embedded,
    chain: list[x509.Certificate],
) -> Revocation:
    """The signer's revocation status and the OCSP responses or CRLs that established it."""
    details = status.revocation_details
    if details is not None:
        whose = "a CA certificate above the signer's" if details.ca_revoked else "the signer's"
        return Revocation(
            "revoked",
            revoked_at=details.revocation_date,
            reason=f"{details.revocation_reason.native} ({whose} certificate)",
            sources=_sources(context, embedded, chain[:1]),
        )
    sources = _sources(context, embedded, chain[:1])
    if status.validation_path is None:
        return Revocation("not_applicable", sources=sources)
    return Revocation("good" if sources else "unknown", sources=sources)


def _sources(
    context: ValidationContext, embedded: Embedded, certs: list[x509.Certificate]
) -> list[str]:
    found = []
    for cert in certs:
        for response in context.ocsps:
            if ocsp_covers(response, cert):
                where = "embedded in the document" if embedded.holds(response) else "fetched online"
                found.append(f"{describe_ocsp(response)} ({where})")
        for revocation_list in context.crls:
            if crl_covers(revocation_list, cert):
                where = (
                    "embedded in the document"
                    if embedded.holds(revocation_list)
                    else "fetched online"
                )
                found.append(f"{describe_crl(revocation_list)} ({where})")
    return list(dict.fromkeys(found))


def relied_on(
    context: ValidationContext,
    embedded: Embedded,
    chain: list[x509.Certificate],
    how: str,
    timestamped: bool,
) -> list[str]:
    """Which data the verdict rests on, for the report."""
    data = [f"validated {how}"]
    if embedded.in_dss:
        data.append(
            f"document security store: {len(embedded.certs)} certificates, "
            f"{len(embedded.ocsps)} OCSP responses, {len(embedded.crls)} CRLs"
        )
    data.extend(_sources(context, embedded, chain))
    if timestamped:
        data.append("the signature's RFC 3161 timestamp token")
    return data


def changes(status: PdfSignatureStatus) -> str | None:
    """What later revisions did, in words."""
    result = status.diff_result
    if result is None:
        return None
    if isinstance(result, DiffResult):
        if result.modification_level is ModificationLevel.NONE:
            return None
        fields = ", ".join(sorted(result.changed_form_fields))
        kind = {
            ModificationLevel.LTA_UPDATES: "archive updates only (DSS, document timestamps)",
            ModificationLevel.FORM_FILLING: "form filling and signatures",
            ModificationLevel.ANNOTATIONS: "annotations",
        }.get(result.modification_level, result.modification_level.name)
        return f"{kind}" + (f"; fields changed: {fields}" if fields else "")
    text = " ".join(str(result).split())
    return text[:400] + ("…" if len(text) > 400 else "")


def certification(sig: EmbeddedPdfSignature) -> str | None:
    """For a certifying (DocMDP) signature: what it allows after it."""
    perm = sig.docmdp_level
    if perm is None:
        return None
    return _MDP_VI.get(perm, perm.name)


Finding = tuple[Verdict, str]


def _integrity(status: PdfSignatureStatus, indication: str | None) -> Finding | None:
    """Is what was signed still what is there, signed with acceptable algorithms?"""
    if not status.intact:
        return Verdict.TAMPERED, "the signed bytes changed: the document digest does not match"
    if not status.valid:
        return Verdict.TAMPERED, "the signature value does not verify"
    if indication in CRYPTO_PROBLEMS:
        return Verdict.INDETERMINATE, f"an algorithm is not allowed ({indication})"
    if status.coverage not in ACCEPTABLE_COVERAGE:
        return Verdict.MODIFIED, f"the signature covers the file oddly ({status.coverage})"
    if status.docmdp_ok is False:
        what = changes(status) or "changes not allowed after this signature"
        return Verdict.MODIFIED, f"modified after signing: {what}"
    return None


def _trust(
    status: PdfSignatureStatus,
    chain: list[x509.Certificate],
    trust_root: str | None,
    revocation_status: Revocation,
    indication: str | None,
) -> Finding | None:
    """Was the signer's certificate good, and trusted, at the time judged?"""
    if revocation_status.status == "revoked":
        return Verdict.REVOKED, f"certificate revoked since {revocation_status.revoked_at}"
    if indication in OUT_OF_BOUNDS:
        cert = status.signing_cert
        span = f"{cert.not_valid_before.isoformat()} to {cert.not_valid_after.isoformat()}"
        return Verdict.EXPIRED, f"certificate not valid at the time judged (valid {span})"
    if trust_root is None or status.validation_path is None:
        top = chain[-1]
        kind = "a self-signed certificate" if is_self_signed(top) else "an unknown issuer"
        return (
            Verdict.UNTRUSTED,
            f"the chain ends at {common_name(top)}, {kind} not among the trusted roots",
        )
    if indication is not None:
        return Verdict.INDETERMINATE, f"chain validation: {indication}"
    ts = status.timestamp_validity
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        return Verdict.INDETERMINATE, "the signature timestamp is not valid or not trusted"
    return None


def verdict(
    status: PdfSignatureStatus,
    chain: list[x509.Certificate],
    trust_root: str | None,
    revocation_status: Revocation,
) -> tuple[Verdict, list[str], list[str]]:
    """The one verdict (integrity first, then trust), its reasons, and warnings that do
    not change it."""
    indication = indication_name(status.trust_problem_indic)
    warnings = []
    if revocation_status.status == "unknown":
        warnings.append(REVOCATION_UNCHECKED)
    finding = _integrity(status, indication) or _trust(
        status, chain, trust_root, revocation_status, indication
    )
    if finding is not None:
        return finding[0], [finding[1]], warnings
    if not status.bottom_line:
        return Verdict.INDETERMINATE, [status.summary()], warnings
    return Verdict.VALID, [], warnings


def wrong_trust_set(
    sets: TrustSets,
    sig: EmbeddedPdfSignature,
    root: x509.Certificate | None,
    timestamp: TimestampSignatureStatus | None,
) -> str | None:
    """Why a valid signature's chain, or its timestamp's, reaches a root outside the sets
    its role may use (trust.yaml), else None."""
    problem = sets.signer_problem(str(sig.field_name), root)
    if problem is None and timestamp is not None and timestamp.validation_path is not None:
        problem = sets.timestamp_problem(next(iter(timestamp.validation_path)))
    return problem


def timestamp_report(
    sig: EmbeddedPdfSignature,
    status: DocumentTimestampStatus,
    roots: tuple[x509.Certificate, ...],
    sets: TrustSets | None = None,
) -> SignatureReport:
    """A document (archive) timestamp of PAdES B-LTA."""
    cert = status.signing_cert
    if not (status.intact and status.valid):
        result, reasons = Verdict.TAMPERED, ["the timestamped bytes changed"]
    elif status.coverage not in ACCEPTABLE_COVERAGE or (
        status.modification_level is not None
        and status.modification_level > ModificationLevel.FORM_FILLING
    ):
        result, reasons = Verdict.MODIFIED, ["modified after the archive timestamp"]
    elif not status.trusted:
        result, reasons = Verdict.UNTRUSTED, ["the timestamp authority is not trusted"]
    else:
        result, reasons = Verdict.VALID, []
    root_ders = {r.dump() for r in roots}
    path = status.validation_path
    anchor = path[0] if path is not None and path[0].dump() in root_ders else None
    root = describe(anchor) if anchor is not None else None
    if result is Verdict.VALID and sets and (wrong := sets.timestamp_problem(anchor)):
        result, reasons = Verdict.WRONG_TRUST_SET, [wrong]
    when: datetime = status.timestamp
    return SignatureReport(
        field=str(sig.field_name),
        kind="document_timestamp",
        signer=common_name(cert),
        subject=describe(cert),
        chain=[common_name(c) for c in reversed(list(path))]
        if path is not None
        else [common_name(cert)],
        trusted=bool(status.trusted),
        trust_root=root,
        signing_time=when,
        signing_time_source=TimeSource.TIMESTAMP,
        timestamp_authority=common_name(cert),
        intact=status.intact,
        valid=status.valid,
        coverage=status.coverage.name if status.coverage else "UNKNOWN",
        modification=status.modification_level.name if status.modification_level else None,
        changes=None,
        certification=None,
        revocation=Revocation("not_applicable"),
        level="document timestamp",
        validated_at=None,
        validation_data=["timestamp token over the document and its DSS"],
        verdict=result,
        reasons=reasons,
        trust_sets=sets.sets_of(anchor) if sets else [],
    )
