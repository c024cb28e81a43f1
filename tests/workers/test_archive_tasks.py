"""Archiving with real signatures (a test PKI made here, B-LTA results verified offline from
their own data), through the `archive` queue, and the nightly maintenance job's schedule."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import redis
from rq.job import Job

from config.settings import Settings, get_settings
from signing.flow.archive import run_archive
from storage.archive.errors import ArchiveRefused
from storage.archive.records import packages_of
from storage.db import open_database
from storage.dossiers import get_dossier
from storage.enums import EventKind
from storage.events import events_of_dossier
from tests.storage.archive_support import archive, build_dossier
from tests.workers.archive_signing import signed_dossier
from workers.boundary import JobOutcome
from workers.jobs import JobKind, enqueue
from workers.maintenance import (
    maintain,
    next_night,
    schedule_nightly,
)
from workers.queues import get_queue
from workers.worker import run_worker


def _kinds(settings: Settings, code: str) -> list[str]:
    with open_database(settings).session(readonly=True) as session:
        return [e.kind for e in events_of_dossier(session, get_dossier(session, code).id)]


def test_a_result_whose_signatures_verify_is_archived_with_what_verification_found(
    signing_settings: Settings, result: bytes
) -> None:
    code = signed_dossier(signing_settings, result)
    summary = run_archive(signing_settings, code, actor="Trần Văn Lưu")
    record = json.loads(Path(summary.path, "data/metadata/record.json").read_text())
    signed = next(d for d in record["documents"] if d["pdf"]["signed"])
    signatures = [s for s in signed["pdf"]["signatures"] if s["kind"] == "signature"]
    assert [s["verdict"] for s in signatures] == ["valid", "valid"]
    assert signatures[0]["level"] == "B-LTA"
    # văn thư's number, written by the seal's step: a birth certificate's, with its book
    assert signed["number_symbol"].startswith("01, Quyển số: 01/")
    assert _kinds(signing_settings, code)[-1] == EventKind.RECORD_ARCHIVED.value


def test_a_signature_that_does_not_verify_refuses_the_dossier_and_says_why(
    signing_settings: Settings, result: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = signed_dossier(signing_settings, result, pdfa=False)
    monkeypatch.delenv("SOHOA_TRUST_ROOTS")  # an archive that trusts no root
    get_settings.cache_clear()
    with pytest.raises(ArchiveRefused) as refused:
        run_archive(get_settings(), code, actor="Trần Văn Lưu")
    reasons = refused.value.reasons
    assert sum(": signature " in r and "is untrusted" in r for r in reasons) == 2  # leader, seal
    assert sum("document_timestamp" in r for r in reasons) == 2  # their archive timestamps
    assert not any("not PDF/A" in r for r in reasons)  # the result is re-validated: it is
    assert _kinds(signing_settings, code)[-1] == EventKind.ARCHIVE_REFUSED.value
    with open_database(signing_settings).session(readonly=True) as session:
        assert packages_of(session, get_dossier(session, code).id) == []


def test_the_archive_queue_archives_and_a_refusal_is_a_final_outcome(
    signing_settings: Settings,
    result: bytes,
    redis_server: str,
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOHOA_REDIS_URL", redis_server)
    get_settings.cache_clear()
    settings = get_settings()
    code = signed_dossier(settings, result)
    unsigned = build_dossier(open_database(settings), settings, signed=False, seed=5).code
    jobs = [enqueue(redis_conn, settings, JobKind.ARCHIVE, c, "worker") for c in (code, unsigned)]
    run_worker(redis_conn, settings, queues=("archive",), burst=True)
    queue = get_queue(redis_conn, "archive")
    done, refused = (_outcome(queue.fetch_job(job)) for job in jobs)
    assert done["outcome"] == JobOutcome.DONE and done["package"]["version"] == 1
    assert refused["outcome"] == JobOutcome.REFUSED
    assert refused["error"]["code"] == "archive_refused"


def _outcome(job: Job | None) -> dict[str, Any]:
    assert job is not None
    value = job.return_value()
    assert isinstance(value, dict)
    return value


def test_the_nightly_job_is_scheduled_once_and_never_holds_a_burst_worker(
    redis_conn: redis.Redis, settings: Settings
) -> None:
    # next year's March, so the night scheduled is still ahead of the clock when the worker runs
    year = datetime.now(UTC).year + 1
    evening = datetime(year, 3, 14, 15, 0, tzinfo=UTC)  # 22:00 in Hà Nội
    assert next_night(settings, evening).isoformat() == f"{year}-03-15T02:00:00+07:00"
    early = datetime(year, 3, 14, 18, 30, tzinfo=UTC)  # 01:30 the next morning
    assert next_night(settings, early).isoformat() == f"{year}-03-15T02:00:00+07:00"
    first = schedule_nightly(redis_conn, settings, evening)
    again = schedule_nightly(redis_conn, settings, early)  # a second worker starting
    assert first == again == f"maintenance-nightly-{year}-03-15"
    registry = get_queue(redis_conn, "maintenance").scheduled_job_registry
    assert registry.get_job_ids() == [first]
    started = datetime.now()
    run_worker(redis_conn, settings, burst=True)
    assert (datetime.now() - started).total_seconds() < 10


def test_a_night_checks_the_share_due_and_lists_records(settings: Settings) -> None:
    database = open_database(settings)
    for seed in range(1, 4):
        archive(database, settings, build_dossier(database, settings, seed=seed).code)
    summary = maintain(settings, datetime(2026, 3, 20).date(), share=0.5)
    assert summary["packages_checked"] == 2 and summary["findings"] == 0
    assert summary["bytes_read"] > 0 and summary["past_retention"] == 0
