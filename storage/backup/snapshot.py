"""`sohoa backup OUT`: the database, the blobs and the archive's two copies as one BagIt bag.

Order makes it consistent without stopping the service: the database is read first, in one
snapshot; files come after. Blobs are never deleted or changed and are written before any
row names them, and packages are put in place before their row commits, so every file the
snapshot refers to is on disk when it is copied. Each is checked as it is copied (a blob
against its name, a package's files against the digests recorded at sealing, where one of
the two copies must hold), and the bag's SHA-256 manifest covers everything. The bag is
made beside OUT and renamed to it at the end: a backup that stopped half-way never looks
finished. Redis is not backed up: the database is the record of what is owed, and workers
requeue it at start (workers.reconcile).
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, union
from sqlalchemy.orm import Session

from config.errors import InvalidRequest
from config.settings import Settings
from storage.archive.bag import make_bag
from storage.archive.layout import ArchiveRoots
from storage.audit import verify_chain
from storage.backup.dump import TABLES_DIR, dump_tables, schema_revision, snapshot
from storage.backup.files import (
    ARCHIVE_DIR,
    BLOBS_DIR,
    REPLICA_DIR,
    BackupFailed,
    copy_archive,
    copy_blobs,
)
from storage.blobs import blob_store
from storage.db import open_database
from storage.enums import ArchiveCopy, PackageStatus
from storage.models import ArchivePackage, Document, InboxItem, SignatureRequest
from storage.types import utcnow

FACTS = "backup.json"
"""The backup's own description in its payload: schema, dialect, rows, audit chain head."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds."""

    path: str
    schema_revision: str
    dialect: str
    rows: dict[str, int]
    blobs: int
    archive_files: int
    audit_entries: int
    audit_head: str
    audit_intact: bool

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready fields."""
        return asdict(self)


def _referenced_blobs(conn: Connection) -> set[str]:
    columns = [
        Document.original_sha256,
        Document.pdf_sha256,
        SignatureRequest.input_sha256,
        SignatureRequest.output_sha256,
        SignatureRequest.prepared_sha256,
        InboxItem.sha256,
    ]
    query = union(*(select(c.label("sha256")).where(c.is_not(None)) for c in columns))
    return {str(s) for s in conn.execute(query).scalars()}


def _live_packages(conn: Connection) -> list[tuple[str, dict[str, Any]]]:
    rows = conn.execute(
        select(ArchivePackage.path, ArchivePackage.files).where(
            ArchivePackage.status != PackageStatus.DISPOSED
        )
    )
    return [(str(path), dict(files)) for path, files in rows]


def _check_packages(
    packages: list[tuple[str, dict[str, Any]]], copies: dict[ArchiveCopy, dict[str, str]]
) -> None:
    """Every file of every live package must be sound in at least one copy."""
    for relative, files in packages:
        for name, facts in files.items():
            key = f"{relative}/{name}"
            if not any(copies[c].get(key) == facts["sha256"] for c in ArchiveCopy):
                raise BackupFailed(f"{key} is damaged or missing in both archive copies")


def make_backup(settings: Settings, out: Path) -> BackupSummary:
    """Write a consistent backup of everything sohoa keeps to `out` (new or empty)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidRequest(f"{out} exists and is not an empty directory")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.{uuid.uuid4().hex[:8]}.partial"
    staging.mkdir()
    try:
        summary = _write(settings, staging, out)
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary


def _write(settings: Settings, staging: Path, out: Path) -> BackupSummary:
    db = open_database(settings)
    with snapshot(db) as conn:
        revision = schema_revision(conn)
        rows = dump_tables(conn, staging / TABLES_DIR)
        with Session(bind=conn) as session:
            chain = verify_chain(session)
        referenced = _referenced_blobs(conn)
        packages = _live_packages(conn)
    blobs = copy_blobs(blob_store(settings), staging / BLOBS_DIR)
    if missing := sorted(referenced - blobs):
        raise BackupFailed(f"{len(missing)} blob(s) the database names are missing: {missing[0]}")
    roots = ArchiveRoots.from_settings(settings)
    copies = {
        ArchiveCopy.PRIMARY: copy_archive(roots.primary, staging / ARCHIVE_DIR),
        ArchiveCopy.REPLICA: copy_archive(roots.replica, staging / REPLICA_DIR),
    }
    _check_packages(packages, copies)
    summary = BackupSummary(
        path=str(out),
        schema_revision=revision,
        dialect=db.dialect,
        rows=rows,
        blobs=len(blobs),
        archive_files=sum(len(c) for c in copies.values()),
        audit_entries=chain.entries,
        audit_head=chain.head,
        audit_intact=chain.ok,
    )
    facts = {**summary.to_dict(), "created_at": utcnow().isoformat(timespec="seconds")}
    (staging / FACTS).write_text(json.dumps(facts, ensure_ascii=False, indent=1), "utf-8")
    make_bag(
        staging,
        {
            "External-Description": "sohoa backup: database, blobs, archive and its replica",
            "Sohoa-Schema-Revision": revision,
            "Sohoa-Audit-Head": chain.head,
        },
    )
    return summary
