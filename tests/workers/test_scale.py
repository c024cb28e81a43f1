"""Workers as separate processes on separate "machines" (data directories) sharing Redis,
the database and the blob volume: the work is shared, and a stop loses nothing."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from api.services import add_file, open_dossier
from bench.cluster import (
    Cluster,
    fresh_schema,
    log_of,
    start_worker,
    stop_worker,
    wait_for,
    wait_registered,
)
from bench.producers import check, ok, produce
from config.settings import Settings, get_settings
from storage.db import open_database
from storage.documents import get_document
from storage.enums import DocumentStatus
from tests.conftest import PG_URL
from tests.support.samples import scan
from workers.queues import get_queue
from workers.worker import run_worker, worker_alive

pytestmark = pytest.mark.slow

SLOW = "tests.support.faults:SlowOcr"


@pytest.fixture
def cluster(
    tmp_path: Path, redis_server: str, redis_conn: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Cluster]:
    """Shared services: the session's redis-server, PostgreSQL (a fresh schema) when
    SOHOA_TEST_DATABASE_URL is set, else one SQLite file, and one blob directory; this
    test process is the office that receives the dossiers."""
    with ExitStack() as stack:
        if PG_URL:
            url = stack.enter_context(fresh_schema(PG_URL))
        else:
            url = f"sqlite:///{tmp_path / 'shared.db'}"
        shared = Cluster(redis_server, url, tmp_path / "blobs")
        for key, value in shared.env(tmp_path / "office").items():
            if key.startswith("SOHOA_"):
                monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        yield shared
        open_database(get_settings()).dispose()
        get_settings.cache_clear()


def _receive(settings: Settings, conn: redis.Redis, tmp_path: Path, count: int) -> list[int]:
    code = open_dossier(
        settings,
        procedure_code="1.004227",
        applicant_name="Phạm Thị Hoa",
        applicant_id_number=None,
        unit_code=None,
        actor="test",
    )
    ids = []
    for seed in range(count):
        source, _ = scan(tmp_path, "cccd", seed=seed + 10, leaders=False, name=f"p{seed}.jpg")
        added = add_file(settings, conn, code, source, name=source.name, actor="test")
        assert added.document_id is not None
        ids.append(added.document_id)
    return ids


def _status(settings: Settings, document_id: int) -> DocumentStatus:
    with open_database(settings).session() as session:
        return get_document(session, document_id).status


def _job(settings: Settings, conn: redis.Redis, document_id: int) -> Job:
    with open_database(settings).session() as session:
        job_id = get_document(session, document_id).job_id
    return Job.fetch(str(job_id), connection=conn, serializer=JSONSerializer)


def test_two_machines_share_one_queue(
    cluster: Cluster, redis_conn: redis.Redis, tmp_path: Path
) -> None:
    """GIVEN two worker processes, each with its own data directory ("machine")
    WHEN four documents are received
    THEN both take documents, every one is digitized once, and the PDFs are in the shared
    blob volume where any machine finds them."""
    settings = get_settings()
    machines = [tmp_path / "machine-a", tmp_path / "machine-b"]
    procs = [
        start_worker(cluster, m, "--queue", "digitize", SOHOA_OCR_ENGINE=SLOW) for m in machines
    ]
    try:
        wait_registered(redis_conn, 2)
        assert worker_alive(redis_conn, socket.gethostname())  # the containers' health check
        ids = _receive(settings, redis_conn, tmp_path, 4)
        wait_for(
            "every document digitized",
            lambda: all(_status(settings, i) is DocumentStatus.DIGITIZED for i in ids),
            timeout=300,
        )
    finally:
        codes = [stop_worker(p, m) for p, m in zip(procs, machines, strict=True)]
    assert codes == [0, 0]
    assert not worker_alive(redis_conn, socket.gethostname())
    by = {_job(settings, redis_conn, i).worker_name for i in ids}
    assert len(by) == 2, f"one worker did all the work: {by}"
    with open_database(settings).session() as session:
        for i in ids:
            document = get_document(session, i)
            assert document.attempts == 1
            assert document.pdf_sha256 is not None
            assert (cluster.blob_dir / "sha256" / document.pdf_sha256[:2]).is_dir()
    for machine in machines:  # nothing of the shared state went to a machine's own directory
        assert not (machine / "blobs").exists() and not (machine / "sohoa.db").exists()


def test_sigterm_lets_the_job_in_hand_finish_and_takes_no_other(
    cluster: Cluster, redis_conn: redis.Redis, tmp_path: Path
) -> None:
    settings = get_settings()
    machine = tmp_path / "machine"
    proc = start_worker(cluster, machine, "--queue", "digitize", SOHOA_OCR_ENGINE=SLOW)
    try:
        wait_registered(redis_conn, 1)
        first, second = _receive(settings, redis_conn, tmp_path, 2)
        wait_for(
            "the first job started", lambda: _status(settings, first) is DocumentStatus.PROCESSING
        )
    finally:
        code = stop_worker(proc, machine)
    assert code == 0, log_of(machine)
    assert _status(settings, first) is DocumentStatus.DIGITIZED
    assert _status(settings, second) is DocumentStatus.QUEUED
    assert _job(settings, redis_conn, second).get_status() == JobStatus.QUEUED
    assert "warm shut down" in log_of(machine)


def test_a_job_that_outlives_the_grace_goes_back_to_the_head_of_its_queue(
    cluster: Cluster, redis_conn: redis.Redis, tmp_path: Path
) -> None:
    """GIVEN a worker allowed 2 s to finish when told to stop, on a page that takes 600 s
    WHEN it is told to stop
    THEN it stops within seconds, the job is queued again at the head of its queue without
    a failure or a spent retry, and another worker digitizes the document."""
    settings = get_settings()
    machine = tmp_path / "machine"
    proc = start_worker(
        cluster,
        machine,
        "--queue",
        "digitize",
        SOHOA_OCR_ENGINE=SLOW,
        SLOW_OCR_SECONDS="600",
        SOHOA_WORKER_STOP_GRACE="2",
    )
    try:
        wait_registered(redis_conn, 1)
        (doc,) = _receive(settings, redis_conn, tmp_path, 1)
        wait_for("the job started", lambda: _status(settings, doc) is DocumentStatus.PROCESSING)
    finally:
        code = stop_worker(proc, machine, timeout=60)
    assert code == 0, log_of(machine)
    job = _job(settings, redis_conn, doc)
    assert job.get_status() == JobStatus.QUEUED
    assert get_queue(redis_conn, "digitize").job_ids[0] == job.id
    assert job.retries_left == settings.job_retries
    assert get_queue(redis_conn, "digitize").failed_job_registry.count == 0
    assert os.environ["SOHOA_REDIS_URL"] == cluster.redis_url
    run_worker(redis_conn, get_settings(), queues=("digitize",), burst=True)
    with open_database(settings).session() as session:
        document = get_document(session, doc)
        assert (document.status, document.error_code) == (DocumentStatus.DIGITIZED, None)


def test_four_producer_processes_neither_lose_nor_duplicate_a_dossier_code(
    cluster: Cluster, redis_conn: redis.Redis, tmp_path: Path
) -> None:
    """GIVEN four processes receiving dossiers on the same day at the same moment (PostgreSQL
    when SOHOA_TEST_DATABASE_URL is set)
    THEN every dossier has its own code, the day's serials run 1..N without a gap, and each
    has one document and one queued job."""
    made = produce(cluster, tmp_path, producers=4, per_producer=15)
    figures = check(cluster, made["made"], expected=60)
    assert figures["duplicated"] == 0 and figures["lost"] == 0, figures
    assert ok(figures), figures
