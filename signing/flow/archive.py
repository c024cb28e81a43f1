"""Archiving a dossier as a use case: storage plans the package and refuses what the
database shows is not ready, the PDFs are checked here (only signing/ reads signatures:
signing.verification.archival), then storage seals the package as the next version of the
record. The `archive` queue's task and `sohoa archive` both call run_archive. Every reason
to refuse is reported at once, and logged on the dossier."""

from __future__ import annotations

from config.settings import Settings
from signing.verification.archival import check_pdfs
from storage.archive.errors import ArchiveRefused
from storage.archive.package import ArchiveContext, PackageSummary, archive_record, record_refusal
from storage.archive.plan import plan_archive
from storage.db import open_database


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
