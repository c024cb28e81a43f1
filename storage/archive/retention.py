"""Retention: what is due for the archive, what is past its period, and disposal.

A finished dossier must reach the archive within the schedule's transfer period (a year
from the end of the year its work ended, Law on Archives 2024 as reported; a year from the
day for work ended before 1 July 2025, Law on Archives 2011); the ones due within the
notice window (30 days) or overdue are listed. An
archived record whose period has run out is listed as past retention; it is destroyed
only by an explicit decision, whose reference and author are recorded. What remains is a
tombstone: the record's metadata (in the database, and as TOMBSTONE.json where its
package was), its event log and its index entry without text; every package version, the
documents' text and the files no other record shares are gone.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from config.errors import InvalidRequest
from config.retention import Retention, RetentionPolicy
from storage.archive import layout
from storage.archive.errors import DisposalRefused
from storage.archive.layout import ArchiveRoots
from storage.archive.records import package_of, packages_of
from storage.blobs import BlobStore
from storage.dossiers import get_dossier
from storage.enums import ArchiveCopy, DossierStatus, EventKind, PackageStatus, SignatureState
from storage.events import append_event
from storage.models import ArchivePackage, Document, Dossier, SignatureRequest
from storage.search.index import tombstone_entry
from storage.types import utcnow

log = logging.getLogger(__name__)

TOMBSTONE = "TOMBSTONE.json"
CLOSED = (DossierStatus.SIGNED, DossierStatus.RETURNED)
"""Dossiers whose work is done: their records are owed to the archive."""


def due_for_transfer(
    session: Session, policy: RetentionPolicy, today: date, within_days: int, zone: ZoneInfo
) -> list[dict[str, Any]]:
    """Finished dossiers not archived yet whose deadline for the archive (the transfer
    period after the closing day, or after its year's end: RetentionPolicy.transfer_due)
    falls within `within_days` from today, or has passed; soonest first. The closing day
    is the day the result's last signature was made."""
    last_signed = func.max(SignatureRequest.signed_at)
    rows = session.execute(
        select(Dossier, last_signed)
        .join(SignatureRequest, SignatureRequest.dossier_id == Dossier.id)
        .where(Dossier.status.in_(CLOSED), SignatureRequest.status == SignatureState.SIGNED)
        .group_by(Dossier.id)
    ).all()
    found = []
    for dossier, signed_at in rows:
        closing = dossier.finished_at or signed_at
        if closing is None:
            continue
        closed = closing.astimezone(zone).date()
        due = policy.transfer_due(closed)
        if due <= today + timedelta(days=within_days):
            found.append(
                {
                    "id": dossier.id,
                    "code": dossier.code,
                    "procedure": dossier.procedure_code,
                    "status": dossier.status.value,
                    "closed_on": closed.isoformat(),
                    "due_on": due.isoformat(),
                    "days_left": (due - today).days,
                }
            )
    return sorted(found, key=lambda row: (row["due_on"], row["code"]))


def past_retention(
    session: Session, today: date, *, after: int | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Current records whose retention period has run out, longest overdue first; for a
    page of them, at most `limit` from the one after the package `after` (InvalidRequest
    if there is no such package)."""
    stmt = select(ArchivePackage).where(
        ArchivePackage.status == PackageStatus.ACTIVE,
        ArchivePackage.retain_until.is_not(None),
        ArchivePackage.retain_until <= today,
    )
    if after is not None:
        last = session.get(ArchivePackage, after)
        if last is None or last.retain_until is None:
            raise InvalidRequest(f"no archived record with id {after} to page after")
        stmt = stmt.where(
            or_(
                ArchivePackage.retain_until > last.retain_until,
                and_(
                    ArchivePackage.retain_until == last.retain_until,
                    ArchivePackage.id > last.id,
                ),
            )
        )
    order = (ArchivePackage.retain_until, ArchivePackage.id)
    packages = session.scalars(stmt.order_by(*order).limit(limit))
    return [
        {
            "id": p.id,
            "code": p.record_code,
            "version": p.version,
            "title": p.title,
            "retention": p.retention,
            "end_date": p.end_date.isoformat(),
            "retain_until": p.retain_until.isoformat() if p.retain_until else None,
        }
        for p in packages
    ]


@dataclass(frozen=True)
class Disposal:
    """What a disposal destroyed and what it kept."""

    record_code: str
    versions: int
    blobs_deleted: int
    decision: str
    decided_by: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dict(self.__dict__)


def _check_disposable(package: ArchivePackage, decision: str, decided_by: str, today: date) -> None:
    retention = Retention.parse(package.retention)
    if retention.permanent:
        raise DisposalRefused(f"record {package.record_code} is kept permanently")
    if package.retain_until is None or package.retain_until > today:
        raise DisposalRefused(
            f"record {package.record_code} is kept until {package.retain_until} "
            f"({retention.label} from {package.end_date})"
        )
    if not decision.strip() or not decided_by.strip():
        raise DisposalRefused(
            f"record {package.record_code}: a disposal needs the decision's reference and "
            "who decided it"
        )


def _shas(session: Session, dossier: Dossier) -> set[str]:
    found: set[str] = set()
    for document in dossier.documents:
        found.update(s for s in (document.original_sha256, document.pdf_sha256) if s)
    requests = session.scalars(
        select(SignatureRequest).where(SignatureRequest.dossier_id == dossier.id)
    )
    for request in requests:
        found.update(
            s for s in (request.input_sha256, request.output_sha256, request.prepared_sha256) if s
        )
    return found


def _shared(session: Session, dossier_id: int, sha: str) -> bool:
    """Whether another dossier's document or signature refers to the same bytes."""
    document = select(Document.id).where(
        Document.dossier_id != dossier_id,
        or_(Document.original_sha256 == sha, Document.pdf_sha256 == sha),
    )
    signature = select(SignatureRequest.id).where(
        SignatureRequest.dossier_id != dossier_id,
        or_(
            SignatureRequest.input_sha256 == sha,
            SignatureRequest.output_sha256 == sha,
            SignatureRequest.prepared_sha256 == sha,
        ),
    )
    return session.scalars(document.limit(1)).first() is not None or (
        session.scalars(signature.limit(1)).first() is not None
    )


def _write_tombstone(
    roots: ArchiveRoots, package: ArchivePackage, decision: dict[str, Any]
) -> None:
    record = {**package.record, "disposal": decision}
    data = json.dumps(record, ensure_ascii=False, indent=1, default=str).encode("utf-8")
    for copy in ArchiveCopy:
        target = roots.root(copy) / package.record_code / TOMBSTONE
        layout.write_durably(target, data)
        target.chmod(layout.FILE_MODE)


def dispose_record(
    session: Session,
    roots: ArchiveRoots,
    blobs: BlobStore,
    code: str,
    *,
    decision: str,
    decided_by: str,
    actor: str,
    today: date,
) -> Disposal:
    """Destroy a record past its retention period, by the decision given; keep a tombstone."""
    current = package_of(session, code)
    _check_disposable(current, decision, decided_by, today)
    dossier = get_dossier(session, code, for_update=True)
    now = utcnow()
    versions = packages_of(session, dossier.id)
    for package in versions:
        package.status = PackageStatus.DISPOSED
        package.disposed_at, package.disposal_reference = now, decision
        package.disposal_decided_by = decided_by
    doomed = {s for s in _shas(session, dossier) if not _shared(session, dossier.id, s)}
    for document in dossier.documents:
        document.text = None
        tombstone_entry(session, document.id)
    facts = {"decision": decision, "decided_by": decided_by, "at": now.isoformat()}
    append_event(
        session,
        EventKind.RECORD_DISPOSED,
        actor=actor,
        dossier_id=dossier.id,
        data={**facts, "versions": [p.version for p in versions], "blobs_deleted": len(doomed)},
    )
    session.flush()  # the database agrees before anything is destroyed
    _write_tombstone(roots, current, facts)
    for package in versions:
        for copy in ArchiveCopy:
            layout.remove_tree(roots.package(copy, package.path))
    for sha in doomed:
        blobs.remove(sha)
    log.info("disposed of %s (%d versions) by %s", code, len(versions), decision)
    return Disposal(code, len(versions), len(doomed), decision, decided_by)
