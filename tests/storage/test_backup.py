"""Backups on SQLite and PostgreSQL: a running deployment's database, blobs and archive
copied into a bag, restored onto a fresh one with every row, file and digest in place, and
refused where restoring would merge into live data or carry damage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from config.errors import BlobUnavailable, InvalidRequest
from config.settings import Settings, get_settings
from storage.archive.layout import is_sealed
from storage.audit import verify_chain
from storage.backup.files import BackupFailed
from storage.backup.restore import restore_backup
from storage.backup.snapshot import make_backup
from storage.blobs import blob_store
from storage.db import Database, open_database
from storage.models import ArchivePackage, Document, SignatureRequest
from storage.search.engine import search
from tests.conftest import empty_database
from tests.storage.archive_support import archive, build_dossier


@pytest.fixture
def source(database: Database, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings of a deployment on the test's database, with two dossiers (one archived)."""
    monkeypatch.setenv("SOHOA_DATABASE_URL", database.url)
    get_settings.cache_clear()
    settings = get_settings()
    code = build_dossier(database, settings).code
    archive(database, settings, code)
    build_dossier(database, settings, seed=2, procedure="1.001612")
    return settings


@pytest.fixture
def target_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database of the same engine as the source's."""
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    with empty_database(kind, tmp_path, "restored.db") as url:
        yield url


def _switch(monkeypatch: pytest.MonkeyPatch, data: Path, url: str) -> Settings:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(data))
    monkeypatch.setenv("SOHOA_DATABASE_URL", url)
    get_settings.cache_clear()
    return get_settings()


def _blobs_named(db: Database) -> set[str]:
    with db.session(readonly=True) as session:
        named = set(session.scalars(select(Document.original_sha256)))
        named |= {s for s in session.scalars(select(Document.pdf_sha256)) if s}
        named |= {s for s in session.scalars(select(SignatureRequest.output_sha256)) if s}
    return named


def test_a_restored_deployment_has_every_row_file_and_digest(
    source: Settings,
    target_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = make_backup(source, tmp_path / "backup")
    assert made.audit_intact and made.rows["events"] == made.audit_entries > 10
    assert not list(tmp_path.glob(".backup.*.partial"))
    target = _switch(monkeypatch, tmp_path / "fresh", target_url)
    restored = restore_backup(target, tmp_path / "backup")
    assert restored.rows == made.rows
    assert (restored.audit_entries, restored.audit_head) == (made.audit_entries, made.audit_head)
    assert (restored.packages_checked, restored.fixity_findings) == (1, 0)
    db = open_database(target)
    store = blob_store(target)
    named = _blobs_named(db)
    assert len(named) >= 10 and all(store.verify(sha) for sha in named)
    with db.session(readonly=True) as session:
        (package,) = session.scalars(select(ArchivePackage))
        assert verify_chain(session).ok  # the fixity run appended to the restored chain
        assert search(session, "giay chung sinh")  # the full-text index came back too
    assert is_sealed(target.archive_path / package.path)
    assert is_sealed(target.archive_replica_path / package.path)
    build_dossier(db, target, seed=3)  # new rows continue after the restored ids


def test_restore_refuses_a_deployment_that_holds_anything(
    source: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_backup(source, tmp_path / "backup")
    with pytest.raises(InvalidRequest, match="not empty"):
        restore_backup(source, tmp_path / "backup")  # the live deployment itself
    fresh = _switch(monkeypatch, tmp_path / "fresh", f"sqlite:///{tmp_path / 'fresh.db'}")
    (fresh.blob_path / "sha256").mkdir(parents=True)
    (fresh.blob_path / "sha256" / "stray").write_bytes(b"x")
    with pytest.raises(InvalidRequest, match=r"blob store .* is not empty"):
        restore_backup(fresh, tmp_path / "backup")
    with pytest.raises(InvalidRequest, match="not an empty directory"):
        make_backup(source, tmp_path / "backup")


def test_a_damaged_backup_is_refused_before_anything_is_written(
    source: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_backup(source, tmp_path / "backup")
    blob = next((tmp_path / "backup/data/blobs/sha256").rglob("*/*/*"))
    blob.chmod(0o644)
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0x01
    blob.write_bytes(bytes(data))
    fresh = _switch(monkeypatch, tmp_path / "fresh", f"sqlite:///{tmp_path / 'fresh.db'}")
    with pytest.raises(BackupFailed, match="not an intact backup"):
        restore_backup(fresh, tmp_path / "backup")
    assert not (fresh.blob_path / "sha256").exists()


def test_a_blob_damaged_in_the_store_stops_the_backup(
    source: Settings, database: Database, tmp_path: Path
) -> None:
    victim = blob_store(source).path(sorted(_blobs_named(database))[0])
    victim.chmod(0o644)
    victim.write_bytes(b"rotten")
    with pytest.raises(BackupFailed, match="damaged"):
        make_backup(source, tmp_path / "backup")
    assert not (tmp_path / "backup").exists()
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    ("store", "error", "match"),
    [("ChangedUnderneath", BackupFailed, "damaged"), ("UnreadableOnce", BlobUnavailable, "")],
)
def test_a_backup_reads_blobs_through_the_configured_store(
    source: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    store: str,
    error: type[Exception],
    match: str,
) -> None:
    """GIVEN a deployment whose blob store changes a file under it, or fails a read
    WHEN it is backed up THEN the backup sees what the store gives (it reads no directory
    behind the store's back) and stops, leaving nothing."""
    monkeypatch.setenv("SOHOA_BLOB_STORE", f"tests.support.blobs:{store}")
    get_settings.cache_clear()
    with pytest.raises(error, match=match):
        make_backup(get_settings(), tmp_path / "backup")
    assert not (tmp_path / "backup").exists()
    assert not list(tmp_path.glob("*.partial"))
