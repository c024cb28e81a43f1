"""Queued jobs as the web service shows them: their status and result, and the unit of the
dossier each works on, so a job is read under the same unit rule as its dossier.

Jobs carry ids only (STYLE: JSON, enqueued by dotted path), so a job's dossier is found
from its task and first argument in the database, not from anything the job says of itself.
"""

from __future__ import annotations

from typing import Any

import redis
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import select

from config.errors import NotFound
from config.settings import Settings
from storage.db import open_database
from storage.models import DigitizationResult, Document, Dossier, SignatureRequest
from workers.jobs import JobKind, spec_of_task

_BY_ROW_ID: dict[JobKind, type[Document] | type[SignatureRequest] | type[DigitizationResult]] = {
    JobKind.DIGITIZE: Document,
    JobKind.SIGN: SignatureRequest,
    JobKind.CERTIFY: DigitizationResult,
}
"""Kinds of job whose first argument is the id of a row that names its dossier."""


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
    if spec is None or not args:
        return None
    with open_database(settings).session(readonly=True) as session:
        if spec.kind is JobKind.ARCHIVE:
            stmt = select(Dossier.unit_code).where(Dossier.code == str(args[0]))
        elif spec.kind in _BY_ROW_ID and isinstance(args[0], int):
            table = _BY_ROW_ID[spec.kind]
            stmt = select(Dossier.unit_code).join(table, table.dossier_id == Dossier.id)
            stmt = stmt.where(table.id == args[0])
        else:
            return None
        return session.scalars(stmt).one_or_none()


def job_view(job: Job) -> dict[str, Any]:
    """A job's status and, when finished, its result."""
    return {
        "id": job.id,
        "status": job.get_status(refresh=True).value,
        "description": job.description,
        "result": job.return_value(),
    }
