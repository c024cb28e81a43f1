"""Job status over HTTP is read under its dossier's unit rule: another unit's job is the 404
of a job that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import redis
from fastapi.testclient import TestClient

from api.jobs import fetch_job, job_unit
from config.settings import Settings
from storage.db import open_database
from storage.models import Document
from tests.support.samples import born_digital
from workers.jobs import JobKind, enqueue
from workers.queues import get_queue

Headers = Callable[[str], dict[str, str]]


def _uploaded_job(client: TestClient, bearer: Headers, settings: Settings, tmp: Path) -> str:
    """The digitization job of a file clerk_b uploads to a new dossier of unit xa-b."""
    made = client.post(
        "/api/dossiers",
        json={"procedure": "1.001193", "applicant_name": "Trần Văn Nam"},
        headers=bearer("clerk_b"),
    )
    pdf, _ = born_digital(tmp, "giay_chung_sinh")
    added = client.post(
        f"/api/dossiers/{made.json()['code']}/files",
        files=[("files", ("chung-sinh.pdf", pdf.read_bytes(), "application/pdf"))],
        headers=bearer("clerk_b"),
    ).json()["files"][0]
    with open_database(settings).session(readonly=True) as session:
        job_id = session.get(Document, added["document_id"]).job_id  # type: ignore[union-attr]
    assert job_id
    return str(job_id)


def test_a_clerk_cannot_read_another_units_job(
    app_client: TestClient, bearer: Headers, api_settings: Settings, tmp_path: Path
) -> None:
    """GIVEN a digitization job of a document of unit xa-b
    WHEN clerk_a and leader_a of unit xa-a ask for its status
    THEN they get the 404 of an unknown job; xa-b's clerk and archivists read it, admins
    (who read no dossier) are refused."""
    job_id = _uploaded_job(app_client, bearer, api_settings, tmp_path)
    unknown = app_client.get("/api/jobs/digitize-0-000000000000", headers=bearer("clerk_a"))
    assert unknown.status_code == 404
    for who in ("clerk_a", "leader_a"):
        guessed = app_client.get(f"/api/jobs/{job_id}", headers=bearer(who))
        assert guessed.status_code == 404, guessed.text
        assert guessed.json()["error"]["code"] == unknown.json()["error"]["code"] == "not_found"
        assert guessed.json()["error"]["message"] == f"no job {job_id!r}"
    for who in ("clerk_b", "archivist"):
        reply = app_client.get(f"/api/jobs/{job_id}", headers=bearer(who))
        assert reply.status_code == 200, reply.text
        assert (reply.json()["id"], reply.json()["status"]) == (job_id, "queued")
    assert app_client.get(f"/api/jobs/{job_id}", headers=bearer("admin")).status_code == 403


def test_a_jobs_unit_is_its_dossiers_for_every_kind_of_job(
    app_client: TestClient,
    bearer: Headers,
    api_settings: Settings,
    redis_conn: redis.Redis,
    tmp_path: Path,
) -> None:
    digitize = fetch_job(redis_conn, _uploaded_job(app_client, bearer, api_settings, tmp_path))
    assert job_unit(api_settings, digitize) == "xa-b"
    code = app_client.get("/api/dossiers", headers=bearer("clerk_b")).json()[0]["code"]
    archive = fetch_job(redis_conn, enqueue(redis_conn, api_settings, JobKind.ARCHIVE, code, "t"))
    assert job_unit(api_settings, archive) == "xa-b"
    elsewhere = get_queue(redis_conn, "maintenance").enqueue("builtins.print", "x")
    assert job_unit(api_settings, fetch_job(redis_conn, str(elsewhere.id))) is None
    clerk = app_client.get(f"/api/jobs/{elsewhere.id}", headers=bearer("clerk_b"))
    assert clerk.status_code == 404  # a job on no dossier is no unit's
