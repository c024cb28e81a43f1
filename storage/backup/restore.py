"""`sohoa restore IN`: a backup brought back onto a fresh data directory, then checked.

The bag is validated first (every SHA-256 of its manifest), the target must hold nothing
yet (no row, no blob, no archived file: a restore never merges into live data), and the
backup's schema must be the one this sohoa migrates to. Files go in before the database,
so a restored row never names a file that is not there. Afterwards the audit chain must
hold with the head the backup recorded, and every package is re-hashed in both copies
against the digests recorded at sealing (a fixity run, recorded as such).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import bagit

from config.errors import InvalidRequest
from config.settings import Settings
from storage.archive.bag import validate
from storage.archive.fixity import run_fixity
from storage.archive.layout import STAGING, ArchiveRoots
from storage.audit import verify_chain
from storage.backup.dump import TABLES_DIR, load_tables, row_counts, snapshot
from storage.backup.files import (
    ARCHIVE_DIR,
    BLOBS_DIR,
    REPLICA_DIR,
    BackupFailed,
    check_manifests,
    check_tree,
    is_empty,
    restore_archive,
    restore_blobs,
    safe_relative,
    store_is_empty,
)
from storage.backup.snapshot import FACTS
from storage.blobs import blob_store
from storage.db import Database, open_database


@dataclass(frozen=True)
class RestoreSummary:
    """What a restore brought back and what the checks after it found."""

    rows: dict[str, int]
    blobs: int
    archive_files: int
    audit_entries: int
    audit_head: str
    packages_checked: int
    fixity_findings: int

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready fields."""
        return asdict(self)


def _require_fresh(settings: Settings, db: Database) -> None:
    """Refuse a target that holds anything already, naming what."""
    with snapshot(db) as conn:
        filled = [name for name, count in row_counts(conn).items() if count]
    if filled:
        raise InvalidRequest(f"the database is not empty (table {filled[0]} has rows)")
    if not store_is_empty(blob_store(settings)):
        raise InvalidRequest(f"the blob store ({settings.blob_store}) is not empty")
    roots = ArchiveRoots.from_settings(settings)
    for label, directory, ignore in (
        ("archive", roots.primary, (STAGING,)),
        ("archive replica", roots.replica, (STAGING,)),
    ):
        if not is_empty(directory, ignore=ignore):
            raise InvalidRequest(f"the {label} at {directory} is not empty")


def restore_backup(settings: Settings, source: Path) -> RestoreSummary:
    """Restore the backup at `source` onto the (fresh) deployment `settings` describe.
    Every path it names is checked before anything is read through it or written: no link
    or special file in it, manifests' and packages' paths relative and plain (BackupFailed)."""
    check_tree(source)
    check_manifests(source)
    try:
        validate(source)
    except (bagit.BagError, bagit.BagValidationError) as e:
        raise BackupFailed(f"{source} is not an intact backup: {e}") from e
    payload = source / "data"
    packages = _package_paths(payload)
    facts = json.loads((payload / FACTS).read_text(encoding="utf-8"))
    db = open_database(settings)
    with snapshot(db) as conn:
        current = str(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar())
    if facts["schema_revision"] != current:
        raise InvalidRequest(
            f"the backup is at schema {facts['schema_revision']}, this sohoa at {current}: "
            "restore it with the sohoa version that made it, then upgrade"
        )
    _require_fresh(settings, db)
    blobs = restore_blobs(payload / BLOBS_DIR, blob_store(settings))
    roots = ArchiveRoots.from_settings(settings)
    files = restore_archive(payload / ARCHIVE_DIR, roots.primary, packages)
    files += restore_archive(payload / REPLICA_DIR, roots.replica, packages)
    with db.session() as session:
        rows = load_tables(session, payload / TABLES_DIR)
    with db.session(readonly=True) as session:
        chain = verify_chain(session)
    if facts["audit_intact"] and (chain.entries, chain.head) != (
        facts["audit_entries"],
        facts["audit_head"],
    ):
        raise BackupFailed(
            f"the restored audit trail ends at {chain.head} after {chain.entries} entries, "
            f"the backup recorded {facts['audit_head']} after {facts['audit_entries']}"
        )
    reports = run_fixity(db, roots, share=None, actor="restore", repair=False)
    return RestoreSummary(
        rows=rows,
        blobs=blobs,
        archive_files=files,
        audit_entries=chain.entries,
        audit_head=chain.head,
        packages_checked=len(reports),
        fixity_findings=sum(len(r.findings) for r in reports),
    )


def _package_paths(payload: Path) -> list[str]:
    """The package directories the backup's database names, each checked (and the names
    of the files in it, which fixity and access copies join to it) to be a plain relative
    path: a crafted row would otherwise seal, read or repair files outside the archive."""
    paths: list[str] = []
    with (payload / TABLES_DIR / "archive_packages.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            what = f"archived package {row.get('record_code')} v{row.get('version')}"
            paths.append(safe_relative(str(row["path"]), what))
            for name in row.get("files") or {}:
                safe_relative(str(name), what)
    return paths
