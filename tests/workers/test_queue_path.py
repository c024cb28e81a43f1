"""The queue with a real redis-server and real rq workers: digitized, retried or visibly failed."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from api.services import add_file, open_dossier
from config.settings import Settings, get_settings
from storage.db import open_database
from storage.documents import get_document
from storage.dossiers import get_dossier
from storage.enums import ComponentState, DocumentStatus, EventKind
from storage.events import events_of_dossier
from tests.support.samples import scan
from workers.jobs import JOBS, JobKind
from workers.queues import get_queue
from workers.reconcile import requeue_owed
from workers.worker import run_worker


def _configure(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for key, value in env.items():
        monkeypatch.setenv(f"SOHOA_{key.upper()}", value)
    get_settings.cache_clear()
    return get_settings()


def _dossier_with_scan(settings: Settings, conn: redis.Redis, tmp_path: Path) -> tuple[str, int]:
    # a 3-working-day procedure: its scans take the normal lane (birth registration is
    # same-day, so its scans would take the urgent one)
    code = open_dossier(
        settings,
        procedure_code="1.001612",
        applicant_name="Trần Thị Mai",
        applicant_id_number=None,
        unit_code=None,
        actor="test",
    )
    source, _ = scan(tmp_path, "cccd", leaders=False)
    added = add_file(settings, conn, code, source, name="CCCD mặt trước.jpg", actor="test")
    assert added.status == "stored" and added.document_id is not None
    return code, added.document_id


def _event_kinds(settings: Settings, code: str) -> list[str]:
    with open_database(settings).session() as session:
        return [e.kind for e in events_of_dossier(session, get_dossier(session, code).id)]


def test_a_stored_scan_is_digitized_by_a_burst_worker(
    redis_conn: redis.Redis, tmp_path: Path
) -> None:
    settings = get_settings()
    _code, doc_id = _dossier_with_scan(settings, redis_conn, tmp_path)
    assert get_queue(redis_conn, "digitize").count == 1
    run_worker(redis_conn, settings, burst=True)
    with open_database(settings).session() as session:
        document = get_document(session, doc_id)
        assert document.status is DocumentStatus.DIGITIZED
        assert (document.document_type, document.page_count, document.pdfa) == ("cccd", 1, True)
        assert (
            document.component is not None and document.component.state is ComponentState.DIGITIZED
        )
        assert document.original_filename == "CCCD mặt trước.jpg"
        assert document.pdf_sha256 is not None
        pdf = (
            settings.blob_path
            / "sha256"
            / document.pdf_sha256[:2]
            / document.pdf_sha256[2:4]
            / document.pdf_sha256
        )
        assert pdf.read_bytes().startswith(b"%PDF-")
    assert get_queue(redis_conn, "digitize").count == 0


def test_a_transient_failure_is_retried_and_then_succeeds(
    redis_conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _configure(
        monkeypatch,
        ocr_engine="tests.support.faults:FailFirstAttempt",
        job_retries="2",
        job_retry_intervals="[1]",
    )
    code, doc_id = _dossier_with_scan(settings, redis_conn, tmp_path)
    run_worker(redis_conn, settings, burst=True)
    with open_database(settings).session() as session:
        document = get_document(session, doc_id)
        assert document.status is DocumentStatus.DIGITIZED
        assert document.attempts == 2
    kinds = _event_kinds(settings, code)
    assert kinds.count(EventKind.RETRY_SCHEDULED.value) == 1
    # then the clerk's signature is asked for (and fails here: no clerk's key configured)
    digitizing = [k for k in kinds if not k.startswith("document.certification")]
    assert digitizing[-1] == EventKind.DOCUMENT_DIGITIZED.value


def test_a_failure_that_persists_is_recorded_on_the_document(
    redis_conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _configure(
        monkeypatch,
        ocr_engine="tests.support.faults:AlwaysTransient",
        job_retries="2",
        job_retry_intervals="[0]",
    )
    _code, doc_id = _dossier_with_scan(settings, redis_conn, tmp_path)
    run_worker(redis_conn, settings, burst=True)
    with open_database(settings).session() as session:
        document = get_document(session, doc_id)
        assert document.status is DocumentStatus.FAILED
        assert (document.attempts, document.error_code) == (3, "transient")
        assert "injected transient failure" in (document.error_message or "")
    assert get_queue(redis_conn, "digitize").failed_job_registry.count == 1


def test_a_worker_killed_mid_ocr_is_retried_then_failed_visibly(
    redis_conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _configure(
        monkeypatch,
        ocr_engine="tests.support.faults:KillWorker",
        job_retries="1",
        job_retry_intervals="[0]",
    )
    _code, doc_id = _dossier_with_scan(settings, redis_conn, tmp_path)
    run_worker(redis_conn, settings, burst=True)
    with open_database(settings).session() as session:
        document = get_document(session, doc_id)
        assert (document.status, document.error_code) == (DocumentStatus.FAILED, "worker_died")
        assert "signal 9" in (document.error_message or "")
        assert document.attempts == 2
        assert settings.blob_path.joinpath("sha256").exists()  # the upload is still there


def test_a_document_whose_job_was_lost_is_requeued(redis_conn: redis.Redis, tmp_path: Path) -> None:
    settings = get_settings()
    code, doc_id = _dossier_with_scan(settings, redis_conn, tmp_path)
    redis_conn.flushall()  # Redis lost its last writes
    assert requeue_owed(redis_conn, settings, JOBS[JobKind.DIGITIZE]) == 1
    assert requeue_owed(redis_conn, settings, JOBS[JobKind.DIGITIZE]) == 0  # the new job covers it
    run_worker(redis_conn, settings, burst=True)
    with open_database(settings).session() as session:
        assert get_document(session, doc_id).status is DocumentStatus.DIGITIZED
    assert EventKind.JOB_REQUEUED.value in _event_kinds(settings, code)


def test_a_file_that_is_not_a_document_is_refused_and_logged(
    redis_conn: redis.Redis, tmp_path: Path
) -> None:
    settings = get_settings()
    code = open_dossier(
        settings,
        procedure_code="1.001193",
        applicant_name="Lê Văn C",
        applicant_id_number=None,
        unit_code=None,
        actor="test",
    )
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(b"\x00\x01garbage" * 100)
    result = add_file(settings, redis_conn, code, fake, name="../../scan.pdf", actor="test")
    assert result.status == "rejected" and result.error is not None
    assert result.error["code"] == "unsupported_type" and result.file == "scan.pdf"
    assert get_queue(redis_conn, "digitize").count == 0
    assert _event_kinds(settings, code)[-1] == EventKind.UPLOAD_REJECTED.value
