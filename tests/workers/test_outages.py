"""Outages under a running queue: redis-server killed and restarted (append-only file on),
and the disk filling up while a blob is written (a small tmpfs, or where mounting is not
allowed a disk double that refuses writes past its size). After each, every uploaded file
is there with its checksum, every job completes or is visibly failed with its reason, no
blob is half-written and nothing is recorded twice."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pytest
import redis
from sqlalchemy import func, select

import storage.blobs
from api.services import add_file, open_dossier
from config.errors import StorageFull
from config.settings import Settings, get_settings
from storage.blobs import LocalBlobStore, blob_store
from storage.db import open_database
from storage.documents import get_document
from storage.enums import DocumentStatus
from storage.models import Document
from tests.storage.archive_support import pdf_bytes
from workers.queues import get_queue
from workers.redis_embedded import EmbeddedRedis, process_alive
from workers.worker import run_worker


def _dossier(settings: Settings) -> str:
    # a 3-working-day procedure: its scans take the normal lane (birth registration is
    # same-day: the urgent one)
    return open_dossier(
        settings,
        procedure_code="1.001612",
        applicant_name="Phạm Văn Đức",
        applicant_id_number=None,
        unit_code=None,
        actor="test",
    )


def _upload(tmp_path: Path, seed: int, pages: int = 1) -> Path:
    path = tmp_path / f"scan-{seed}.pdf"
    path.write_bytes(pdf_bytes(pages, seed))
    return path


def _statuses(settings: Settings) -> list[DocumentStatus]:
    with open_database(settings).session(readonly=True) as session:
        return list(session.scalars(select(Document.status).order_by(Document.id)))


def _sound(settings: Settings) -> None:
    store = blob_store(settings)
    with open_database(settings).session(readonly=True) as session:
        for original, pdf in session.execute(select(Document.original_sha256, Document.pdf_sha256)):
            assert store.verify(original)
            assert pdf is None or store.verify(pdf)
    assert not list((settings.blob_path / "tmp").iterdir())  # no half-written blob left


def test_redis_killed_and_restarted_loses_no_job(tmp_path: Path) -> None:
    settings = get_settings()
    server = EmbeddedRedis(tmp_path / "queue")
    with server as url:
        conn = redis.Redis.from_url(url)
        code = _dossier(settings)
        for seed in (1, 2):
            assert (
                add_file(settings, conn, code, _upload(tmp_path, seed), name=None, actor="t").status
                == "stored"
            )
        pid = int((server.dir / "redis.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        while process_alive(pid):
            time.sleep(0.01)
        with pytest.raises(redis.ConnectionError):  # a clerk uploads while the queue is down
            add_file(settings, conn, code, _upload(tmp_path, 3), name=None, actor="t")
        conn.close()
        restarted = EmbeddedRedis(tmp_path / "queue")
        with restarted as again:
            conn = redis.Redis.from_url(again)
            assert get_queue(conn, "digitize").count == 2  # replayed from the AOF
            again_added = add_file(settings, conn, code, _upload(tmp_path, 3), name=None, actor="t")
            assert again_added.status == "duplicate"  # the clerk's retry is the same document
            run_worker(conn, settings, burst=True)  # requeues the third, then works all three
            conn.close()
    assert _statuses(settings) == [DocumentStatus.DIGITIZED] * 3
    _sound(settings)


@contextmanager
def _tmpfs(mountpoint: Path, size: str) -> Iterator[bool]:
    """A tmpfs of `size` at mountpoint; False where this machine does not allow mounting."""
    mountpoint.mkdir(parents=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)],
        capture_output=True,
        check=False,
    )
    try:
        yield done.returncode == 0
    finally:
        if done.returncode == 0:
            subprocess.run(["umount", "-l", str(mountpoint)], check=False)


class _SmallDisk:
    """The disk double: blob writes past `free` bytes fail with ENOSPC, as a full disk's."""

    def __init__(self, free: int) -> None:
        self.free = free

    def wrap(self, handle: BinaryIO) -> BinaryIO:
        disk = self
        real_write = handle.write

        def write(data: bytes) -> int:
            if len(data) > disk.free:
                raise OSError(errno.ENOSPC, "No space left on device")
            disk.free -= len(data)
            return real_write(data)

        handle.write = write  # type: ignore[method-assign,assignment]
        return handle


@pytest.fixture
def small_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """A blob store on a 2 MB disk and a filler file taking what a test says; yields the
    mount point and the filler's path."""
    mount = tmp_path / "disk"
    with _tmpfs(mount, "2m") as mounted:
        if not mounted:  # unprivileged: the double stands in for the kernel
            disk = _SmallDisk(2 * 1024 * 1024)
            real = LocalBlobStore._temporary

            @contextmanager
            def limited(self: LocalBlobStore) -> Iterator[tuple[BinaryIO, Path]]:
                with real(self) as (handle, tmp):
                    yield disk.wrap(handle), tmp

            monkeypatch.setattr(storage.blobs.LocalBlobStore, "_temporary", limited)
        monkeypatch.setenv("SOHOA_BLOB_DIR", str(mount / "blobs"))
        get_settings.cache_clear()
        yield mount, mount / "filler"


def _fill(filler: Path, size: int) -> None:
    with filler.open("wb") as handle:
        try:
            handle.write(os.urandom(size))
        except OSError as e:
            assert e.errno == errno.ENOSPC


def test_a_full_disk_refuses_the_upload_whole_and_it_is_stored_once_space_is_back(
    small_disk: tuple[Path, Path], redis_conn: redis.Redis, tmp_path: Path
) -> None:
    _, filler = small_disk
    settings = get_settings()
    code = _dossier(settings)
    big = _upload(tmp_path, 7, pages=1)
    big.write_bytes(big.read_bytes() + b"%" + os.urandom(800_000))  # still a PDF, 0.8 MB
    _fill(filler, 1_500_000)
    with pytest.raises(StorageFull, match=r"no space left while storing scan-7\.pdf"):
        add_file(settings, redis_conn, code, big, name=None, actor="t")
    assert _statuses(settings) == []  # no document row for a file not stored
    assert not (settings.blob_path / "sha256").exists() or not list(
        (settings.blob_path / "sha256").rglob("*/*/*")
    )
    _sound(settings)
    filler.unlink()
    assert add_file(settings, redis_conn, code, big, name=None, actor="t").status == "stored"
    assert add_file(settings, redis_conn, code, big, name=None, actor="t").status == "duplicate"
    with open_database(settings).session(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1
    _sound(settings)


def test_a_full_disk_under_a_worker_fails_the_job_visibly_with_its_reason(
    small_disk: tuple[Path, Path],
    redis_conn: redis.Redis,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, filler = small_disk
    monkeypatch.setenv("SOHOA_JOB_RETRIES", "1")
    monkeypatch.setenv("SOHOA_JOB_RETRY_INTERVALS", "[0]")
    get_settings.cache_clear()
    settings = get_settings()
    code = _dossier(settings)
    added = add_file(settings, redis_conn, code, _upload(tmp_path, 8), name=None, actor="t")
    assert added.document_id is not None
    _fill(filler, 4 * 1024 * 1024)  # everything left: the searchable PDF will not fit
    run_worker(redis_conn, settings, burst=True)
    with open_database(settings).session(readonly=True) as session:
        document = get_document(session, added.document_id)
        assert (document.status, document.error_code) == (DocumentStatus.FAILED, "storage_full")
        assert document.attempts == 2 and document.pdf_sha256 is None
        assert "no space left" in (document.error_message or "")
    _sound(settings)  # the upload itself is intact
