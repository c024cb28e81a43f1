"""Whether a PDF may be archived: every signature in it verifies (offline from the
document's own data for B-LT and B-LTA) and it is PDF/A-2b; the archive's verdict rules,
on bytes in and a finding out (storage.archive plans what to check and seals the package).

The signed result must be PDF/A-2b (signing.pdfa: pikepdf's validator) and every other PDF
too: the PDF/A-2b validation digitization recorded on exactly these bytes stands (their blob
name being their hash); PDFs that carry signatures or were not recorded as PDF/A are
validated again. Every reason to refuse is reported, not only the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from config.settings import Settings
from signing import pdfa
from signing.verification.report import SignatureReport, Verdict
from signing.verification.run import VerifyOptions, verify_pdf
from storage.archive.plan import PdfFinding, PdfToCheck
from storage.blobs import BlobStore


def _signature(report: SignatureReport) -> dict[str, Any]:
    return {
        "field": report.field,
        "kind": report.kind,
        "signer": report.signer,
        "verdict": report.verdict.value,
        "level": report.level,
        "signing_time": report.signing_time.isoformat() if report.signing_time else None,
        "signing_time_source": report.signing_time_source.value,
        "trusted": report.trusted,
    }


def check_pdf(data: bytes, check: PdfToCheck, options: VerifyOptions) -> PdfFinding:
    """Verify every signature of one PDF and whether it is PDF/A-2b."""
    report = verify_pdf(data, check.label, options)
    problems = [f"{check.label}: {report.error}"] if report.error else []
    if check.signed_result and not any(s.kind == "signature" for s in report.signatures):
        problems.append(f"{check.label} carries no signature")
    for signature in report.signatures:
        if signature.verdict is not Verdict.VALID:
            why = "; ".join(signature.reasons) or signature.verdict.value
            problems.append(
                f"{check.label}: {signature.kind} {signature.field} by {signature.signer} "
                f"is {signature.verdict.value} ({why})"
            )
    validate = check.signed_result or bool(report.signatures) or not check.recorded_pdfa
    conforming = pdfa.conforms(data) if validate else True
    signatures = tuple(_signature(s) for s in report.signatures)
    return PdfFinding(check.sha256, conforming, signatures, tuple(problems))


def check_pdfs(
    settings: Settings, blobs: BlobStore, checks: Sequence[PdfToCheck]
) -> list[PdfFinding]:
    """Every PDF the plan lists, checked (the ones missing from the store are the plan's
    own problem already)."""
    options = VerifyOptions.from_settings(settings)
    return [
        check_pdf(blobs.read_bytes(c.sha256), c, options) for c in checks if blobs.exists(c.sha256)
    ]
