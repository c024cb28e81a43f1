"""A digitized upload cut (or its parts merged) from the web (`sohoa document split`):
a clerk of its unit with the page's CSRF token queues the cut; the worker, not the web
process, cuts it, and refuses what is not a digitized upload on the dossier's log."""

from __future__ import annotations

from collections.abc import Callable

import redis
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.accounts import Principal
from config.settings import Settings
from storage.db import open_database
from storage.enums import EventKind
from storage.models import Event
from tests.api.counter_support import Clerk
from tests.storage.archive_support import build_dossier
from workers.jobs import JobKind
from workers.queues import get_queue
from workers.tasks import split_upload


def _queued(conn: redis.Redis) -> list[tuple[str | None, list[object]]]:
    """The digitize queue's jobs: task and arguments."""
    queue = get_queue(conn, "digitize")
    return [(j.func_name, list(j.args)) for j in queue.get_jobs()]


def test_a_clerk_queues_the_cut_of_a_two_page_upload_and_only_they_can(
    app_client: TestClient,
    accounts: dict[str, Principal],
    api_settings: Settings,
    redis_conn: redis.Redis,
    bearer: Callable[[str], dict[str, str]],
) -> None:
    """GIVEN a dossier of xa-a whose birth certificate was uploaded as one 2-page file
    WHEN its clerk ticks page 2 on the document page THEN a split job is queued with the
    dossier, the document and the pages, readable as the dossier's job; a cross-site
    form, a leader and another unit's clerk queue nothing."""
    built = build_dossier(open_database(api_settings), api_settings, unit="xa-a", seed=71)
    document = built.documents["giay_chung_sinh"]
    clerk = Clerk(app_client, api_settings, accounts["clerk_a"])
    page = clerk.get(f"/clerk/documents/{document}")
    assert f'action="/clerk/documents/{document}/split"' in page and 'value="2"' in page
    url = f"/clerk/documents/{document}/split"
    assert clerk.post_without_csrf(url, starts="2") == 403
    assert Clerk(app_client, api_settings, accounts["leader_a"]).post(url, starts="2") == 403
    assert Clerk(app_client, api_settings, accounts["clerk_b"]).post(url, starts="2") == 404
    other = app_client.post(f"/api/documents/{document}/split", json={"starts": [1, 2]},
                            headers=bearer("clerk_b"))  # fmt: skip
    assert other.status_code == 404 and _queued(redis_conn) == []

    assert clerk.post(url, starts="2") == 303
    assert _queued(redis_conn) == [
        ("workers.tasks.split_upload", [built.code, document, [2], {}, "clerk_a"])
    ]
    queued = app_client.post(f"/api/documents/{document}/split",
                             json={"starts": [2, 1, 2], "types": {"1": "giay_chung_sinh"}},
                             headers=bearer("clerk_a"))  # fmt: skip
    assert queued.status_code == 202
    job = queued.json()["job_id"]
    assert app_client.get(f"/api/jobs/{job}", headers=bearer("clerk_a")).status_code == 200
    assert app_client.get(f"/api/jobs/{job}", headers=bearer("clerk_b")).status_code == 404
    assert _queued(redis_conn)[-1][1][2:4] == [[1, 2], {"1": "giay_chung_sinh"}]


def test_the_worker_refuses_to_cut_what_is_not_a_digitized_upload_on_the_dossiers_log(
    api_settings: Settings,
) -> None:
    """A cut asked of a part of a stack, or of a document not digitized, is refused by the
    job (its outcome), written as the dossier's `job.failed`; nothing is cut."""
    built = build_dossier(open_database(api_settings), api_settings, unit="xa-a", seed=72)
    with open_database(api_settings).session() as session:
        dossier_id = session.scalars(
            select(Event.dossier_id).where(Event.kind == EventKind.DOSSIER_RECEIVED.value)
        ).first()
    answer = split_upload(built.code, 10_000, [1], {}, "clerk_a")
    assert answer["outcome"] == "refused" and answer["key"] == built.code
    with open_database(api_settings).session(readonly=True) as session:
        failed = session.scalars(select(Event).where(Event.kind == EventKind.JOB_FAILED.value))
        logged = [(e.dossier_id, e.data["kind"], e.data["final"]) for e in failed]
    assert logged == [(dossier_id, JobKind.SPLIT.value, True)]
