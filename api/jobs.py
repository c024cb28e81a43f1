"""Queued jobs as the web service shows them: their status and result, and the unit of the
dossier each works on, so a job is read under the same unit rule as its dossier.

Jobs carry ids only (STYLE: JSON, enqueued by dotted path), so a job's dossier is found
from its task and first argument in the database, by its kind's `unit_of` (workers.jobs),
not from anything the job says of itself.
"""

from __future__ import annotations

from typing import Any

import redis
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.serializers import JSONSerializer

from config.errors import NotFound
from config.settings import Settings
from storage.db import open_database
from workers.jobs import spec_of_task


def fetch_job(conn: redis.Redis, job_id: str) -> Job:
    """The job with this id; NotFound if the queue does not know it (any more)."""
    try:
        return Job.fetch(job_id, connection=conn, serializer=JSONSerializer)
    except NoSuchJobError as e:
        raise NotFound(f"no job {job_id!r}") from e


def job_unit(settings: Settings, job: Job) -> str | None:
    """The unit of the dossier the job works on; None for a job on no dossier (nightly
    maintenance, webhook deliveries) or whose dossier is gone."""
    spec, args = spec_of_task(job.func_name), job.args
    if spec is None or spec.unit_of is None or not args:
        return None
    with open_database(settings).session(readonly=True) as session:
        return spec.unit_of(session, args[0])


def job_view(job: Job) -> dict[str, Any]:
    """A job's status and, when finished, its result."""
    return {
        "id": job.id,
        "status": job.get_status(refresh=True).value,
        "description": job.description,
        "result": job.return_value(),
    }
