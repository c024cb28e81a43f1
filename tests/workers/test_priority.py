"""Who goes first: signing before OCR, dossiers near their appointment before the others."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import redis
from rq.job import Job
from rq.serializers import JSONSerializer

from api.services import add_file, open_dossier
from config.calendar import get_calendar
from config.settings import Settings, get_settings
from storage.db import open_database
from storage.documents import get_document
from storage.dossiers import get_dossier
from tests.support.samples import scan
from workers.priority import digitize_lane, is_urgent, reprioritize
from workers.queues import get_queue, with_lanes
from workers.worker import run_worker

OFFICE = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
"""Friday 20 November 2026, 10:00 in Hà Nội."""


def _dossier(settings: Settings, received_at: datetime | None = None) -> str:
    return open_dossier(
        settings,
        procedure_code="1.004227",  # 10 working days
        applicant_name="Nguyễn Văn An",
        applicant_id_number=None,
        unit_code=None,
        actor="test",
        received_at=received_at,
    )


def _add_scan(settings: Settings, conn: redis.Redis, code: str, tmp_path: Path, seed: int) -> int:
    source, _ = scan(tmp_path, "cccd", seed=seed, leaders=False, name=f"cccd-{seed}.jpg")
    added = add_file(settings, conn, code, source, name=f"scan-{seed}.jpg", actor="test")
    assert added.document_id is not None
    return added.document_id


def _job_of(settings: Settings, conn: redis.Redis, document_id: int) -> Job:
    with open_database(settings).session() as session:
        job_id = get_document(session, document_id).job_id
    assert job_id is not None
    return Job.fetch(job_id, connection=conn, serializer=JSONSerializer)


def test_urgency_counts_working_days_in_the_office_calendar() -> None:
    settings, calendar = get_settings(), get_calendar()
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=settings.zone)

    def urgent(due: datetime, within: int) -> bool:
        tuned = settings.model_copy(update={"urgent_working_days": within})
        return is_urgent(due, OFFICE, settings=tuned, calendar=calendar)

    assert urgent(OFFICE - timedelta(days=3), 0)  # overdue
    assert urgent(OFFICE + timedelta(hours=6), 0)  # due this afternoon
    assert not urgent(monday, 0)
    assert urgent(monday, 1)  # Saturday and Sunday do not count: Monday is the next day
    # Tuesday 24 November is Vietnamese Culture Day (a public holiday from 2026)
    assert urgent(monday + timedelta(days=1), 1)
    assert not urgent(monday + timedelta(days=2), 1)
    assert not is_urgent(None, OFFICE, settings=settings, calendar=calendar)


def test_a_dossier_past_its_appointment_is_queued_on_the_urgent_lane(
    redis_conn: redis.Redis, tmp_path: Path
) -> None:
    settings = get_settings()
    late = _dossier(settings, received_at=datetime.now(UTC) - timedelta(days=30))
    fresh = _dossier(settings)
    late_doc = _add_scan(settings, redis_conn, late, tmp_path, 1)
    fresh_doc = _add_scan(settings, redis_conn, fresh, tmp_path, 2)
    assert _job_of(settings, redis_conn, late_doc).origin == "digitize-urgent"
    assert _job_of(settings, redis_conn, fresh_doc).origin == "digitize"


def test_the_reconcile_pass_moves_a_queued_job_when_its_day_comes(
    redis_conn: redis.Redis, tmp_path: Path
) -> None:
    settings = get_settings()
    code = _dossier(settings)
    doc_id = _add_scan(settings, redis_conn, code, tmp_path, 3)
    with open_database(settings).session() as session:
        due = get_dossier(session, code).appointment_at
    assert due is not None
    assert reprioritize(redis_conn, settings) == 0  # not due yet: stays where it is
    assert digitize_lane(due, settings, now=due) == "digitize-urgent"
    assert reprioritize(redis_conn, settings, now=due) == 1
    assert reprioritize(redis_conn, settings, now=due) == 0  # already there
    job = _job_of(settings, redis_conn, doc_id)
    assert job.origin == "digitize-urgent"
    assert get_queue(redis_conn, "digitize-urgent").job_ids == [job.id]
    assert get_queue(redis_conn, "digitize").count == 0


def test_signing_then_urgent_dossiers_are_taken_before_a_backlog_of_ocr(
    redis_conn: redis.Redis, tmp_path: Path
) -> None:
    """GIVEN a normal dossier's scan queued first, then an overdue dossier's, then a job on
    the `sign` queue (a stand-in: what matters here is the queue, not the signature)
    WHEN one worker works them
    THEN it takes the signature first, then the overdue dossier, then the backlog."""
    settings = get_settings()
    normal_doc = _add_scan(settings, redis_conn, _dossier(settings), tmp_path, 4)
    overdue = _dossier(settings, received_at=datetime.now(UTC) - timedelta(days=30))
    overdue_doc = _add_scan(settings, redis_conn, overdue, tmp_path, 5)
    sign_job = get_queue(redis_conn, "sign").enqueue("os.getpid")
    run_worker(redis_conn, settings, burst=True)
    started = [
        Job.fetch(job.id, connection=redis_conn, serializer=JSONSerializer).started_at
        for job in (
            sign_job,
            _job_of(settings, redis_conn, overdue_doc),
            _job_of(settings, redis_conn, normal_doc),
        )
    ]
    assert all(s is not None for s in started)
    assert started == sorted(started)  # type: ignore[type-var]


def test_a_worker_told_to_digitize_also_serves_the_urgent_lane() -> None:
    assert with_lanes(("sign", "digitize")) == (
        "sign",
        "digitize-urgent",
        "digitize",
    )
    assert with_lanes(("digitize-urgent",)) == ("digitize-urgent",)
    assert date(2026, 11, 20).weekday() == 4  # OFFICE is a Friday, as the tests above assume
