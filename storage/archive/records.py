"""Looking up archived records: a dossier's packages, its current version, its index terms."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.errors import NotFound
from config.retention import Retention
from storage.dossiers import get_dossier
from storage.enums import PackageStatus, SignatureState
from storage.models import ArchivePackage, Document
from storage.search.index import RecordTerms, index_document
from storage.signatures import requests_of


def packages_of(session: Session, dossier_id: int) -> list[ArchivePackage]:
    """Every version of a dossier's package, oldest first."""
    return list(
        session.scalars(
            select(ArchivePackage)
            .where(ArchivePackage.dossier_id == dossier_id)
            .order_by(ArchivePackage.version)
        )
    )


def current_package(session: Session, dossier_id: int) -> ArchivePackage | None:
    """The dossier's active (latest, not disposed) package, if it was archived."""
    active = [p for p in packages_of(session, dossier_id) if p.status is PackageStatus.ACTIVE]
    return active[-1] if active else None


def package_of(session: Session, code: str, version: int | None = None) -> ArchivePackage:
    """A record's package by dossier code: a given version, or the current one."""
    dossier = get_dossier(session, code)
    packages = packages_of(session, dossier.id)
    if version is not None:
        found = [p for p in packages if p.version == version]
        if not found:
            raise NotFound(f"record {code} has no archived version {version}")
        return found[0]
    current = current_package(session, dossier.id)
    if current is None:
        state = "was disposed of" if packages else "is not archived (sohoa archive CODE)"
        raise NotFound(f"record {code} {state}")
    return current


def record_terms(session: Session, package: ArchivePackage) -> RecordTerms:
    """What a record adds to its documents' index entries: code, title, retention, access,
    and who signed its result."""
    retention = Retention.parse(package.retention)
    signers: list[str] = []
    for described in package.record.get("documents", []):
        for request in requests_of(session, int(described["document_id"])):
            if request.status is SignatureState.SIGNED:
                signers.append(request.signer_name)
    return RecordTerms(
        record_code=package.record_code,
        title=package.title,
        retention=f"{retention.label} {retention.label_vi}",
        access_regime=package.access_regime,
        signers=tuple(dict.fromkeys(signers)),
    )


def index_record(session: Session, package: ArchivePackage) -> int:
    """Refresh the index entries of a package's documents with the record's terms."""
    terms = record_terms(session, package)
    count = 0
    for described in package.record.get("documents", []):
        document = session.get(Document, int(described["document_id"]))
        if document is not None:
            index_document(session, document, terms)
            count += 1
    return count


def reindex_records(session: Session) -> int:
    """Refresh the entries of every current record (storage.search.index.reindex_all does
    the documents no record holds). Returns how many documents were indexed."""
    packages = session.scalars(
        select(ArchivePackage).where(ArchivePackage.status == PackageStatus.ACTIVE)
    )
    return sum(index_record(session, p) for p in packages)
