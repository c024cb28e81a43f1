"""Archiving a dossier: the PDFs checked by signing/, then sealed by storage/; the `archive`
queue's task, and the same work in-process for `sohoa archive`.

Storage plans the package and refuses what the database shows is not ready; the PDFs are
checked here because only signing/ may read signatures: every signature in every PDF
must verify (signing.verification.run.verify_pdf, offline from the document's own data for B-LT and
B-LTA), the signed result must be PDF/A-2b (signing.pdfa: pikepdf's validator) and every
other PDF too (the PDF/A-2b validation digitization recorded on exactly these bytes, their
blob name being their hash; PDFs that carry signatures or were not recorded as PDF/A are
validated again). Every reason to refuse is reported at once, and logged on the dossier.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from config.settings import Settings, get_settings
from signing import pdfa
from signing.verification.report import SignatureReport, Verdict
from signing.verification.run import VerifyOptions, verify_pdf
from storage.archive.errors import ArchiveRefused
from storage.archive.package import ArchiveContext, PackageSummary, archive_record, record_refusal
from storage.archive.plan import PdfFinding, PdfToCheck, plan_archive
from storage.blobs import BlobStore
from storage.db import open_database
from workers.boundary import Finished, task
from workers.jobs import JobKind

log = logging.getLogger(__name__)

ACTOR = "worker"


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
        check_pdf(blobs.read_bytes(c.sha256), c, options)
        for c in checks
        if blobs.exists(c.sha256)
    ]


def run_archive(
    settings: Settings, code: str, *, actor: str, correction: str | None = None
) -> PackageSummary:
    """Check and seal a dossier as the next version of its record; ArchiveRefused with every
    reason (logged on the dossier) if it is not fit."""
    context = ArchiveContext.from_settings(settings)
    db = open_database(settings)
    with db.session(readonly=True) as session:
        plan = plan_archive(session, code, context.blobs)
    findings = check_pdfs(settings, context.blobs, plan.checks)
    try:
        with db.session() as session:
            return archive_record(
                session, context, plan, findings, actor=actor, correction=correction
            )
    except ArchiveRefused as e:
        with db.session() as session:
            record_refusal(session, code, e.reasons, actor)
        raise


@task(JobKind.ARCHIVE)
def archive_dossier(code: str, actor: str = ACTOR, correction: str | None = None) -> Finished:
    """rq task: archive a dossier. A refusal is a final outcome (nothing a retry changes);
    transient failures (database, disk) raise so rq retries them."""
    summary = run_archive(get_settings(), code, actor=actor, correction=correction)
    return Finished(details={"package": summary.public_dict()})
