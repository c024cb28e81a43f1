"""Sealing a dossier into an archival information package: a BagIt bag and its replica.

The bag holds, per document, the original as scanned, its PDF/A (for the result, the
signed PDF, whose first revision is the digitized PDF byte for byte) and its text; the
record's metadata as JSON and XML; the dossier's event log up to and including the
archiving; SHA-256 manifests. The database records every file's digest: fixity checks
compare the copies with that record, which the bag itself cannot rewrite.

A package is written to a staging directory, bagged, sealed read-only, renamed into
place, copied to the replica (each copy re-hashed), and only then recorded; if anything
fails, nothing is left in place and the transaction rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from config.retention import RetentionPolicy, get_retention_policy
from config.settings import Settings
from storage.archive import bag, layout
from storage.archive.errors import AlreadyArchived, ArchiveRefused
from storage.archive.layout import ArchiveRoots
from storage.archive.metadata import (
    RecordFacts,
    events_json,
    metadata_json,
    metadata_xml,
    record_metadata,
    record_title,
)
from storage.archive.plan import ArchivePlan, PdfFinding, plan_archive
from storage.archive.records import current_package, index_record
from storage.blobs import BlobStore, blob_store
from storage.dossiers import get_dossier
from storage.enums import ArchiveCopy, DossierStatus, EventKind, PackageStatus, SignatureState
from storage.events import append_event, events_of_dossier
from storage.models import ArchivePackage, Document, Dossier, SignatureRequest
from storage.signatures import requests_of
from storage.types import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArchiveContext:
    """Where packages go and by which rules: built once from the settings."""

    roots: ArchiveRoots
    blobs: BlobStore
    agency_code: str
    zone: ZoneInfo
    policy: RetentionPolicy

    @classmethod
    def from_settings(cls, settings: Settings) -> ArchiveContext:
        """The deployment's archive roots, blob store, agency and retention schedule."""
        return cls(
            roots=ArchiveRoots.from_settings(settings),
            blobs=blob_store(settings),
            agency_code=settings.agency_code,
            zone=settings.zone,
            policy=get_retention_policy(),
        )


@dataclass(frozen=True)
class PackageSummary:
    """What archiving made, for the command line and the API."""

    record_code: str
    version: int
    path: str
    replica: str
    files: int
    bytes: int
    documents: int
    pages: int
    retention: str
    retain_until: date | None
    access_regime: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["retain_until"] = self.retain_until.isoformat() if self.retain_until else None
        return data

    def public_dict(self) -> dict[str, Any]:
        """JSON-ready form without the package's paths on the server's disks: for a job's
        result, which the HTTP API hands to whoever may read the job."""
        data = self.to_dict()
        del data["path"], data["replica"]
        return data


def record_refusal(session: Session, code: str, reasons: Sequence[str], actor: str) -> None:
    """Log on the dossier that archiving was refused, and why (in its own transaction, as
    the refused one rolls back)."""
    dossier = get_dossier(session, code)
    append_event(
        session,
        EventKind.ARCHIVE_REFUSED,
        actor=actor,
        dossier_id=dossier.id,
        data={"reasons": list(reasons)},
    )


def _finding_problems(plan: ArchivePlan, findings: Sequence[PdfFinding]) -> list[str]:
    by_sha = {f.sha256: f for f in findings}
    problems: list[str] = []
    for check in plan.checks:
        found = by_sha.get(check.sha256)
        if found is None:
            problems.append(f"{check.label}: its signatures and PDF/A were not checked")
            continue
        problems += found.problems
        if not found.pdfa:
            problems.append(f"{check.label} is not PDF/A-2b")
    return problems


def _refuse_unless_ready(
    session: Session, ctx: ArchiveContext, plan: ArchivePlan, findings: Sequence[PdfFinding]
) -> ArchivePlan:
    """The plan as it stands inside the writing transaction, if nothing stops it."""
    current = plan_archive(session, plan.code, ctx.blobs)
    problems = list(current.problems) + _finding_problems(current, findings)
    if {c.sha256 for c in current.checks} != {c.sha256 for c in plan.checks}:
        problems.append("the dossier changed while it was being checked; archive it again")
    if problems:
        raise ArchiveRefused(plan.code, problems)
    return current


def _version(previous: ArchivePackage | None, correction: str | None, code: str) -> int:
    if previous is not None and not correction:
        raise AlreadyArchived(
            f"record {code} is archived (version {previous.version}); a correction adds a new "
            "version and needs its reason (--correction REASON)"
        )
    if previous is None and correction:
        raise AlreadyArchived(f"record {code} is not archived yet; there is nothing to correct")
    return 1 if previous is None else previous.version + 1


def _facts(
    ctx: ArchiveContext,
    dossier: Dossier,
    plan: ArchivePlan,
    documents: list[tuple[Document, Any, list[SignatureRequest]]],
    *,
    version: int,
    previous: ArchivePackage | None,
    correction: str | None,
    actor: str,
) -> RecordFacts:
    rule = ctx.policy.for_record(
        dossier.procedure_code, [d.document_type or "" for d, _, _ in documents]
    )
    signed = [r.signed_at for _, _, rs in documents for r in rs if r.signed_at]
    now = utcnow()
    end = max(signed, default=now).astimezone(ctx.zone).date()
    return RecordFacts(
        record_code=dossier.code,
        title=record_title(dossier),
        version=version,
        previous_version=previous.version if previous else None,
        correction_reason=correction,
        retention=rule.retention.code,
        retention_label=rule.retention.label_vi,
        retain_until=rule.retention.until(end),
        access_regime=rule.access.value,
        start_date=dossier.received_at.astimezone(ctx.zone).date(),
        end_date=end,
        archived_at=now,
        archived_by=actor,
        agency_code=ctx.agency_code,
    )


def _stage_payload(
    staging: Path,
    ctx: ArchiveContext,
    documents: list[tuple[Document, Any, list[SignatureRequest]]],
    metadata: dict[str, Any],
    events: bytes,
) -> None:
    """Write every payload file into the staging directory (bagit moves them under data/)."""
    for document, planned, _ in documents:
        folder = staging / planned.folder.removeprefix("data/")
        for sha, name in (
            (planned.original_sha256, planned.original_name),
            (planned.pdf_sha256, planned.pdf_name),
        ):
            try:
                layout.copy_verified(ctx.blobs.path(sha), folder / name, expected=sha)
            except ValueError as e:
                raise ArchiveRefused(metadata["record"]["record_code"], [str(e)]) from e
        layout.write_durably(folder / "text.txt", (document.text or "").encode("utf-8"))
    layout.write_durably(staging / "metadata" / "record.json", metadata_json(metadata))
    layout.write_durably(staging / "metadata" / "record.xml", metadata_xml(metadata))
    layout.write_durably(staging / "metadata" / "events.json", events)


def _bag_info(
    facts: RecordFacts, dossier: Dossier, previous: ArchivePackage | None, ctx: ArchiveContext
) -> dict[str, str]:
    info = {
        "Source-Organization": f"{facts.agency_code} / {dossier.unit_code}",
        "External-Identifier": facts.record_code,
        "External-Description": facts.title,
        "Bagging-Date": facts.archived_at.astimezone(ctx.zone).date().isoformat(),
        "Bag-Group-Identifier": dossier.code,
        "Internal-Sender-Identifier": f"{facts.record_code}/v{facts.version}",
        "Sohoa-Package-Version": str(facts.version),
        "Sohoa-Retention": facts.retention,
        "Sohoa-Access-Regime": facts.access_regime,
    }
    if previous is not None:
        info["Sohoa-Previous-Version"] = previous.path
    return info


def _write_copies(
    ctx: ArchiveContext, staging: Path, relative: str, info: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Bag, seal and place the primary copy, then the replica from it, re-hashed."""
    files = bag.make_bag(staging, info)
    layout.fsync_tree(staging)
    layout.seal(staging)
    primary = ctx.roots.package(ArchiveCopy.PRIMARY, relative)
    layout.put_in_place(staging, primary)
    replica_staging = ctx.roots.staging(ArchiveCopy.REPLICA)
    try:
        for name, entry in files.items():
            layout.copy_verified(primary / name, replica_staging / name, expected=entry["sha256"])
        layout.fsync_tree(replica_staging)
        layout.seal(replica_staging)
        layout.put_in_place(replica_staging, ctx.roots.package(ArchiveCopy.REPLICA, relative))
    except BaseException:
        layout.remove_tree(replica_staging)
        layout.remove_tree(primary)
        raise
    return files


def _documents(
    session: Session, plan: ArchivePlan
) -> list[tuple[Document, Any, list[SignatureRequest]]]:
    found = []
    for planned in plan.documents:
        document = session.get(Document, planned.document_id)
        assert document is not None
        signed = [r for r in requests_of(session, document.id) if r.status is SignatureState.SIGNED]
        found.append((document, planned, signed))
    return found


def archive_record(
    session: Session,
    ctx: ArchiveContext,
    plan: ArchivePlan,
    findings: Sequence[PdfFinding],
    *,
    actor: str,
    correction: str | None = None,
) -> PackageSummary:
    """Seal the dossier as the next version of its record, if every check passed: the
    database's (re-run now, in this transaction) and the caller's on each PDF. Refused
    with every reason (ArchiveRefused) otherwise."""
    dossier = get_dossier(session, plan.code, for_update=True)
    plan = _refuse_unless_ready(session, ctx, plan, findings)
    previous = current_package(session, dossier.id)
    version = _version(previous, correction, plan.code)
    documents = _documents(session, plan)
    facts = _facts(
        ctx,
        dossier,
        plan,
        documents,
        version=version,
        previous=previous,
        correction=correction,
        actor=actor,
    )
    _log_archiving(session, dossier, facts, len(documents))
    metadata = record_metadata(facts, dossier, documents, {f.sha256: f for f in findings}, ctx.zone)
    events = events_json(events_of_dossier(session, dossier.id), ctx.zone)
    relative = f"{dossier.code}/v{version}"
    staging = ctx.roots.staging(ArchiveCopy.PRIMARY)
    try:
        _stage_payload(staging, ctx, documents, metadata, events)
        files = _write_copies(ctx, staging, relative, _bag_info(facts, dossier, previous, ctx))
        package = _record_package(
            session,
            dossier=dossier,
            facts=facts,
            metadata=metadata,
            files=files,
            relative=relative,
            previous=previous,
        )
    except BaseException:
        for copy in ArchiveCopy:  # no row will name them: nothing may be left in place
            layout.remove_tree(ctx.roots.package(copy, relative))
        raise
    finally:
        layout.remove_tree(staging)  # gone already if it was put in place
    return _summary(ctx, facts, package)


def _log_archiving(session: Session, dossier: Dossier, facts: RecordFacts, documents: int) -> None:
    """The archiving event, written before the bag so that the bag's event log ends with it."""
    append_event(
        session,
        EventKind.RECORD_ARCHIVED,
        actor=facts.archived_by,
        dossier_id=dossier.id,
        data={
            "version": facts.version,
            "path": f"{dossier.code}/v{facts.version}",
            "retention": facts.retention,
            "access_regime": facts.access_regime,
            "correction": facts.correction_reason,
            "documents": documents,
        },
    )
    session.flush()


def _summary(ctx: ArchiveContext, facts: RecordFacts, package: ArchivePackage) -> PackageSummary:
    return PackageSummary(
        record_code=facts.record_code,
        version=facts.version,
        path=str(ctx.roots.package(ArchiveCopy.PRIMARY, package.path)),
        replica=str(ctx.roots.package(ArchiveCopy.REPLICA, package.path)),
        files=package.file_count,
        bytes=package.total_bytes,
        documents=package.document_count,
        pages=package.page_count,
        retention=facts.retention,
        retain_until=facts.retain_until,
        access_regime=facts.access_regime,
    )


def _record_package(
    session: Session,
    *,
    dossier: Dossier,
    facts: RecordFacts,
    metadata: dict[str, Any],
    files: dict[str, dict[str, Any]],
    relative: str,
    previous: ArchivePackage | None,
) -> ArchivePackage:
    """The package's row, the previous version superseded, the dossier archived, the
    documents indexed as the record's."""
    record = metadata["record"]
    package = ArchivePackage(
        dossier_id=dossier.id,
        version=facts.version,
        previous_id=previous.id if previous else None,
        record_code=facts.record_code,
        title=facts.title,
        path=relative,
        status=PackageStatus.ACTIVE,
        retention=facts.retention,
        retain_until=facts.retain_until,
        access_regime=facts.access_regime,
        start_date=facts.start_date,
        end_date=facts.end_date,
        document_count=record["document_count"],
        page_count=record["page_count"],
        file_count=len(files),
        total_bytes=sum(int(f["size"]) for f in files.values()),
        files=files,
        record=metadata,
        correction_reason=facts.correction_reason,
        created_by=facts.archived_by,
        created_at=facts.archived_at,
    )
    session.add(package)
    if previous is not None:
        previous.status = PackageStatus.SUPERSEDED
    dossier.status = DossierStatus.ARCHIVED
    session.flush()
    index_record(session, package)
    log.info("archived %s version %d: %d files", facts.record_code, facts.version, len(files))
    return package
