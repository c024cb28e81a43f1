"""The product against a blob store that fails: a second BlobStore (tests.support.blobs)
injected through the one factory, storage.blobs.blob_store. A full disk refuses the upload
whole and records nothing; a read that fails once costs a retry, not the document; a file
changed on disk under the store is found before anything is made from it."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from api.services import add_file
from config.errors import ConfigurationError, StorageFull
from config.settings import Settings, get_settings
from storage.blobs import LocalBlobStore, blob_store
from storage.db import open_database
from storage.documents import get_document
from storage.enums import DocumentStatus
from storage.models import Document, Event
from tests.support.blobs import ChangedUnderneath
from tests.workers.test_outages import _dossier, _upload
from workers.worker import run_worker

RETRY = {"SOHOA_JOB_RETRIES": "2", "SOHOA_JOB_RETRY_INTERVALS": "[0]"}


def _with_store(monkeypatch: pytest.MonkeyPatch, store: str | None) -> Settings:
    for key, value in RETRY.items():
        monkeypatch.setenv(key, value)
    if store is None:
        monkeypatch.delenv("SOHOA_BLOB_STORE", raising=False)
    else:
        monkeypatch.setenv("SOHOA_BLOB_STORE", f"tests.support.blobs:{store}")
    get_settings.cache_clear()
    return get_settings()


def _uploaded(settings: Settings, conn: redis.Redis, tmp_path: Path) -> int:
    added = add_file(settings, conn, _dossier(settings), _upload(tmp_path, 5), name=None, actor="t")
    assert added.status == "stored" and added.document_id is not None
    return added.document_id


def test_the_factory_builds_the_store_the_settings_name(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(blob_store(_with_store(monkeypatch, None)), LocalBlobStore)
    assert isinstance(blob_store(_with_store(monkeypatch, "ChangedUnderneath")), ChangedUnderneath)
    with pytest.raises(ConfigurationError, match="cannot be loaded"):
        blob_store(_with_store(monkeypatch, "NoSuchStore"))


def test_a_full_disk_refuses_the_upload_cleanly_and_records_nothing(
    redis_conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _with_store(monkeypatch, "FullDisk")
    code, path = _dossier(settings), _upload(tmp_path, 6)
    with open_database(settings).session(readonly=True) as session:
        events_before = session.scalar(select(func.count()).select_from(Event))
    with pytest.raises(StorageFull, match=r"scan-6\.pdf"):
        add_file(settings, redis_conn, code, path, name=None, actor="test")
    with open_database(settings).session(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        assert session.scalar(select(func.count()).select_from(Event)) == events_before
    assert len(redis_conn.keys("rq:job:*")) == 0  # no job for a file not stored


def _digitized_through(
    store: str, conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Document:
    """A scan uploaded to the real store, then digitized by a worker whose store is `store`;
    the document as the worker left it."""
    document_id = _uploaded(_with_store(monkeypatch, None), conn, tmp_path)
    settings = _with_store(monkeypatch, store)
    run_worker(conn, settings, burst=True)
    with open_database(settings).session(readonly=True) as session:
        document = get_document(session, document_id)
        session.expunge(document)
    return document


def test_a_read_that_fails_once_is_retried_and_the_document_digitized(
    redis_conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _digitized_through("UnreadableOnce", redis_conn, tmp_path, monkeypatch)
    assert (document.status, document.attempts) == (DocumentStatus.DIGITIZED, 2)
    assert document.error_code is None


def test_a_file_changed_under_the_store_fails_its_job_for_good_before_any_ocr(
    redis_conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _digitized_through("ChangedUnderneath", redis_conn, tmp_path, monkeypatch)
    assert (document.status, document.error_code) == (DocumentStatus.FAILED, "blob_corrupted")
    assert document.attempts == 1 and document.pdf_sha256 is None  # not retried
    real = blob_store(_with_store(monkeypatch, None))
    assert not real.verify(document.original_sha256)  # fixity sees it too
