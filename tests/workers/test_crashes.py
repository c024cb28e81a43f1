"""Workers killed by SIGKILL in the middle of OCR, of signing and of archiving, with real
rq workers on a real redis-server: each job completes on its retry, every uploaded file is
still there with its checksum, and nothing is recorded twice. And a job of every kind whose
work horse dies every time (a poison job) ends visibly failed in the database after its
retries, and is not queued again when workers start.

The kills are injected where the work is most exposed: OCR after the job began; signing
after pyHanko made the signature but before it was stored or recorded (the timestamp is
spent, the signed bytes lost); archiving after both copies of the package were put in
place but before the database row committed."""

from __future__ import annotations

import os
import signal
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import func, select

import signing.batch
import signing.flow.results
import storage.archive.package
import workers.archive_tasks
import workers.certify_tasks
import workers.maintenance
import workers.webhooks
from api.services import open_dossier
from config.settings import Settings, get_settings
from signing.verification.run import VerifyOptions, verify_pdf
from storage.archive.fixity import run_fixity
from storage.archive.layout import QUARANTINE, ArchiveRoots
from storage.blobs import blob_store
from storage.db import open_database
from storage.digitization import get_result, request_certification
from storage.documents import get_document
from storage.dossiers import get_dossier
from storage.enums import CertificationState, DocumentStatus, EventKind, SignatureState
from storage.events import events_of_dossier
from storage.models import ArchivePackage, Document, Event, SignatureRequest
from tests.support.faults import kill_once
from tests.workers.archive_signing import queue_signing, ready_to_sign, signed_dossier
from tests.workers.test_queue_path import _dossier_with_scan
from workers.jobs import JOBS, JobKind, enqueue, is_standing
from workers.queues import all_queues, get_queue
from workers.worker import run_worker

RETRY = {"SOHOA_JOB_RETRIES": "2", "SOHOA_JOB_RETRY_INTERVALS": "[0]"}
KILL_OCR = "tests.support.faults:KillWorker"


def _retrying(monkeypatch: pytest.MonkeyPatch, **extra: str) -> Settings:
    for key, value in {**RETRY, **extra}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    return get_settings()


def _kinds(settings: Settings, code: str) -> Counter[str]:
    with open_database(settings).session(readonly=True) as session:
        return Counter(e.kind for e in events_of_dossier(session, get_dossier(session, code).id))


def _every_blob_sound(settings: Settings) -> int:
    """Every blob any row names is stored and hashes to its name; how many."""
    store = blob_store(settings)
    with open_database(settings).session(readonly=True) as session:
        named = set(session.scalars(select(Document.original_sha256)))
        named |= {s for s in session.scalars(select(Document.pdf_sha256)) if s}
        named |= {s for s in session.scalars(select(SignatureRequest.output_sha256)) if s}
    assert all(store.verify(sha) for sha in named)
    return len(named)


def test_a_worker_killed_mid_ocr_completes_on_retry_once(
    redis_conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _retrying(monkeypatch, SOHOA_OCR_ENGINE="tests.support.faults:KillFirstAttempt")
    code, document_id = _dossier_with_scan(settings, redis_conn, tmp_path)
    run_worker(redis_conn, settings, burst=True)
    assert (settings.data_path / "killed-once-ocr").exists()  # the kill did happen
    with open_database(settings).session(readonly=True) as session:
        document = get_document(session, document_id)
        assert (document.status, document.attempts) == (DocumentStatus.DIGITIZED, 2)
        assert document.component is not None
        count = session.scalar(select(func.count()).select_from(Document))
    assert count == 1
    kinds = _kinds(settings, code)
    assert kinds[EventKind.DOCUMENT_DIGITIZED.value] == 1
    assert kinds[EventKind.DOCUMENT_UPLOADED.value] == 1
    assert _every_blob_sound(settings) == 2


def _kill_after(real: Any, marker: Path) -> Any:
    """`real`, except that the first call's process dies by SIGKILL once it returned."""

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        kill_once(marker)
        return outcome

    return wrapped


@pytest.mark.slow
def test_a_worker_killed_mid_signing_signs_once_on_retry(
    signing_settings: Settings,
    result: bytes,
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    settings = _retrying(monkeypatch)
    code = ready_to_sign(settings, result)
    marker = tmp_path / "killed-once-signing"
    monkeypatch.setattr(
        signing.flow.results, "sign_batch", _kill_after(signing.batch.sign_batch, marker)
    )
    queue_signing(redis_conn, settings, code)
    run_worker(redis_conn, settings, burst=True)  # work horses are forked: they inherit the kill
    assert marker.exists()
    with open_database(settings).session(readonly=True) as session:
        requests = list(session.scalars(select(SignatureRequest).order_by(SignatureRequest.id)))
        statuses = [(r.status, r.attempts) for r in requests]
        final = requests[-1].output_sha256
    assert statuses == [(SignatureState.SIGNED, 2), (SignatureState.SIGNED, 1)]
    assert _kinds(settings, code)[EventKind.DOCUMENT_SIGNED.value] == 2
    assert final is not None
    data = blob_store(settings).path(final).read_bytes()
    report = verify_pdf(data, "result", VerifyOptions.from_settings(settings, online=False))
    verdicts = [s.verdict for s in report.signatures if s.kind == "signature"]
    assert verdicts == ["valid", "valid"]  # one leader's signature and one seal: none twice
    _every_blob_sound(settings)


@pytest.mark.slow
def test_a_worker_killed_mid_archiving_archives_once_on_retry(
    signing_settings: Settings,
    result: bytes,
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    settings = _retrying(monkeypatch)
    code = signed_dossier(settings, result)
    marker = tmp_path / "killed-once-archiving"
    placed = _kill_after(storage.archive.package._write_copies, marker)
    monkeypatch.setattr(storage.archive.package, "_write_copies", placed)
    enqueue(redis_conn, settings, JobKind.ARCHIVE, code, "Trần Văn Lưu")
    run_worker(redis_conn, settings, burst=True)
    assert marker.exists()
    db = open_database(settings)
    with db.session(readonly=True) as session:
        packages = list(session.scalars(select(ArchivePackage)))
    assert [(p.version, p.path) for p in packages] == [(1, f"{code}/v1")]
    assert _kinds(settings, code)[EventKind.RECORD_ARCHIVED.value] == 1
    roots = ArchiveRoots.from_settings(settings)
    for root in (roots.primary, roots.replica):  # the crashed attempt's copy: set aside
        assert len(list((root / code / QUARANTINE).iterdir())) == 1
    (report,) = run_fixity(db, roots, share=None, actor="test", repair=False)
    assert report.findings == ()
    _every_blob_sound(settings)


def _always_killed(*args: Any, **kwargs: Any) -> Any:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.slow
def test_a_signature_whose_worker_dies_every_time_is_failed_visibly(
    signing_settings: Settings,
    result: bytes,
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = _retrying(monkeypatch, SOHOA_JOB_RETRIES="1")
    code = ready_to_sign(settings, result)
    monkeypatch.setattr(signing.flow.results, "sign_batch", _always_killed)
    first = queue_signing(redis_conn, settings, code)[0]
    run_worker(redis_conn, settings, burst=True)
    with open_database(settings).session(readonly=True) as session:
        request = session.get(SignatureRequest, first)
        assert request is not None
        assert (request.status, request.attempts) == (SignatureState.FAILED, 2)
        assert request.error_code == "worker_died"
        assert "signal 9" in (request.error_message or "")
    kinds = _kinds(settings, code)
    assert (kinds[EventKind.SIGNATURE_RETRY.value], kinds[EventKind.SIGNATURE_FAILED.value]) == (
        1,
        1,
    )
    assert kinds[EventKind.DOCUMENT_SIGNED.value] == 0
    run_worker(redis_conn, settings, burst=True)  # a worker starting again: nothing owed
    assert _nothing_queued(redis_conn)
    with open_database(settings).session(readonly=True) as session:
        again = session.get(SignatureRequest, first)
        assert again is not None and (again.status, again.attempts) == (SignatureState.FAILED, 2)


def _nothing_queued(conn: redis.Redis) -> bool:
    """No job waits on any queue, and none but the standing ones is scheduled."""
    for name in all_queues():
        queue = get_queue(conn, name)
        scheduled = [j for j in queue.scheduled_job_registry.get_job_ids() if not is_standing(j)]
        if queue.count or scheduled:
            return False
    return True


def _failed_jobs(settings: Settings) -> list[dict[str, Any]]:
    with open_database(settings).session(readonly=True) as session:
        events = session.scalars(select(Event).where(Event.kind == EventKind.JOB_FAILED.value))
        return [{**e.data, "dossier_id": e.dossier_id} for e in events]


def test_a_digitize_job_killed_every_time_fails_and_is_not_requeued(
    redis_conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _retrying(monkeypatch, SOHOA_JOB_RETRIES="1", SOHOA_OCR_ENGINE=KILL_OCR)
    _code, document_id = _dossier_with_scan(settings, redis_conn, tmp_path)
    for _ in range(2):  # a second start of the workers finds nothing owed
        run_worker(redis_conn, settings, burst=True)
        assert _nothing_queued(redis_conn)
        with open_database(settings).session(readonly=True) as session:
            document = get_document(session, document_id)
            assert (document.status, document.attempts) == (DocumentStatus.FAILED, 2)
            assert document.error_code == "worker_died"


def _pending_certification(settings: Settings, conn: redis.Redis, tmp_path: Path) -> int:
    """A digitized document (its digitize job dropped) whose clerk's signature is owed."""
    _code, document_id = _dossier_with_scan(settings, conn, tmp_path)
    conn.flushall()
    with open_database(settings).session() as session:
        document = get_document(session, document_id)
        document.status, document.pdf_sha256 = DocumentStatus.DIGITIZED, document.original_sha256
        result, _ = request_certification(
            session, document_id, signer_profile="clerk", signer_name="Lê Văn Tâm",
            today=date(2026, 3, 14), actor="test",
        )  # fmt: skip
        return result.id


def test_a_certify_job_killed_every_time_fails_and_is_not_requeued(
    redis_conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clerk's signature's horse dies every time: the result ends failed (it was left
    pending, recorded nowhere, and queued again at every worker start)."""
    settings = _retrying(monkeypatch, SOHOA_JOB_RETRIES="1")
    result_id = _pending_certification(settings, redis_conn, tmp_path)
    monkeypatch.setattr(workers.certify_tasks, "run_certification", _always_killed)
    enqueue(redis_conn, settings, JobKind.CERTIFY, result_id)
    for _ in range(2):
        run_worker(redis_conn, settings, queues=("sign",), burst=True)
        assert _nothing_queued(redis_conn)
        with open_database(settings).session(readonly=True) as session:
            result = get_result(session, result_id)
            assert (result.status, result.error_code) == (CertificationState.FAILED, "worker_died")
            failures = session.scalars(
                select(Event).where(Event.kind == EventKind.CERTIFICATION_FAILED.value)
            )
            assert [e.data["final"] for e in failures] == [False, True]


def test_reconcile_fails_for_good_what_had_all_its_attempts_instead_of_requeueing_it(
    redis_conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a document left `processing` after its last attempt, whose job Redis lost (so
    no failure was ever written) WHEN a worker starts THEN it is failed, not queued again."""
    settings = _retrying(monkeypatch, SOHOA_JOB_RETRIES="1")
    _code, document_id = _dossier_with_scan(settings, redis_conn, tmp_path)
    redis_conn.flushall()
    with open_database(settings).session() as session:
        document = get_document(session, document_id)
        document.status, document.attempts = DocumentStatus.PROCESSING, 2
    run_worker(redis_conn, settings, burst=True)
    assert _nothing_queued(redis_conn)
    with open_database(settings).session(readonly=True) as session:
        document = get_document(session, document_id)
        assert (document.status, document.error_code) == (
            DocumentStatus.FAILED, "attempts_exhausted",
        )  # fmt: skip


ROWLESS = [
    (JobKind.ARCHIVE, workers.archive_tasks, "run_archive", 2),
    (JobKind.MAINTENANCE, workers.maintenance, "maintain", 1),
    (JobKind.WEBHOOKS, workers.webhooks, "deliver_due", 1),
]
"""Kinds of job with no row of their own: what their task calls, and their attempts."""


@pytest.mark.parametrize(("kind", "module", "called", "attempts"), ROWLESS, ids=str)
def test_a_job_with_no_row_killed_every_time_ends_failed_in_the_event_log(
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
    kind: JobKind,
    module: Any,
    called: str,
    attempts: int,
) -> None:
    """Archiving (retried), the nightly maintenance and the webhook poll (rescheduled, not
    retried) killed every time: a `job.failed` event per attempt, the last one final."""
    settings = _retrying(monkeypatch, SOHOA_JOB_RETRIES="1")
    monkeypatch.setattr(module, called, _always_killed)
    code = open_dossier(settings, procedure_code="1.001193", applicant_name="Trần Thị Mai",
                        applicant_id_number=None, unit_code=None, actor="test")  # fmt: skip
    if kind is JobKind.ARCHIVE:
        job_id = enqueue(redis_conn, settings, kind, code, "test")
    else:
        job_id = enqueue(redis_conn, settings, kind, slot="now")
    run_worker(redis_conn, settings, queues=JOBS[kind].queues, burst=True)
    assert _nothing_queued(redis_conn)
    failed = _failed_jobs(settings)
    assert [(f["kind"], f["job"], f["code"]) for f in failed] == [
        (kind.value, job_id, "worker_died")
    ] * attempts
    assert [f["final"] for f in failed][-1] is True
    with open_database(settings).session(readonly=True) as session:
        dossier_id = get_dossier(session, code).id
    assert {f["dossier_id"] for f in failed} == {dossier_id if kind is JobKind.ARCHIVE else None}
