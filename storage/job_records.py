"""The queue's bookkeeping in the database, which records what is owed: the rows owed each
kind of job, the job id noted on a row, a failure written where a clerk or an operator sees
it, a requeue logged, and whose dossier a job works on. The job table (workers.jobs) names
the per-kind functions; the functions taking settings open the session for the workers."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.errors import InvalidRequest, NotFound
from config.settings import Settings
from storage.db import open_database
from storage.digitization import get_result, pending_certifications
from storage.documents import documents_waiting, get_document, waiting_jobs
from storage.dossiers import get_dossier
from storage.enums import EventKind, SignatureState
from storage.events import append_event
from storage.models import DigitizationResult, Document, Dossier, SignatureRequest
from storage.signatures import get_request, input_of, open_requests


@dataclass(frozen=True)
class Owed:
    """One piece of work the database says is owed."""

    key: int
    """The row's id: the task's first argument."""
    job_id: str | None
    """The job last noted on the row (it may be gone from Redis)."""
    attempts: int
    """Attempts begun so far, counted in the database by the task itself."""
    dossier_id: int
    document_id: int


class FailureRecorder(Protocol):
    """Writes a job's failure on the row its key names: final, or a retry's reason."""

    def __call__(
        self, session: Session, key: Any, /, *, code: str, message: str, final: bool, actor: str
    ) -> object: ...


class JobNoter(Protocol):
    """Notes on the row its key names the job that now covers it."""

    def __call__(self, session: Session, key: Any, job_id: str, /) -> None: ...


OwedFinder = Callable[[Session], list[Owed]]
"""Finds the rows owed a kind of job."""

UnitFinder = Callable[[Session, Any], "str | None"]
"""The unit of the dossier a job's key names (None: no dossier, or gone)."""


def owed_digitizations(session: Session) -> list[Owed]:
    """Documents queued or being digitized."""
    return [
        Owed(d.id, d.job_id, d.attempts, d.dossier_id, d.id) for d in documents_waiting(session)
    ]


def owed_signatures(session: Session) -> list[Owed]:
    """Signatures that may be made now (the ones before them are made), server-side."""
    owed = []
    for request in open_requests(session):
        if request.status is not SignatureState.QUEUED:
            continue
        try:
            input_of(session, request)
        except InvalidRequest:  # an earlier signature is still owed
            continue
        owed.append(
            Owed(request.id, request.job_id, request.attempts, request.dossier_id,
                 request.document_id)
        )  # fmt: skip
    return owed


def owed_certifications(session: Session) -> list[Owed]:
    """Clerk's signatures asked for and not made."""
    return [
        Owed(r.id, r.job_id, r.attempts, r.dossier_id, r.document_id)
        for r in pending_certifications(session)
    ]


def note_document_job(session: Session, key: Any, job_id: str, /) -> None:
    """The digitize job now covering a document."""
    get_document(session, int(key)).job_id = job_id


def note_request_job(session: Session, key: Any, job_id: str, /) -> None:
    """The sign job now covering a signature request."""
    get_request(session, int(key)).job_id = job_id


def note_result_job(session: Session, key: Any, job_id: str, /) -> None:
    """The certify job now covering a digitization result."""
    get_result(session, int(key)).job_id = job_id


def document_unit(session: Session, key: Any) -> str | None:
    """The unit of a document's dossier (a digitize job's key)."""
    return _row_unit(session, Document, key)


def request_unit(session: Session, key: Any) -> str | None:
    """The unit of a signature request's dossier (a sign job's key)."""
    return _row_unit(session, SignatureRequest, key)


def result_unit(session: Session, key: Any) -> str | None:
    """The unit of a digitization result's dossier (a certify job's key)."""
    return _row_unit(session, DigitizationResult, key)


def dossier_unit(session: Session, key: Any) -> str | None:
    """The unit of the dossier a code names (an archive job's key)."""
    stmt = select(Dossier.unit_code).where(Dossier.code == str(key))
    return session.scalars(stmt).one_or_none()


def _row_unit(
    session: Session,
    table: type[Document] | type[SignatureRequest] | type[DigitizationResult],
    key: Any,
) -> str | None:
    if not isinstance(key, int):
        return None
    stmt = select(Dossier.unit_code).join(table, table.dossier_id == Dossier.id)
    return session.scalars(stmt.where(table.id == key)).one_or_none()


def note_job(settings: Settings, noter: JobNoter, key: Any, job_id: str) -> None:
    """Note a job on its key's row, in its own transaction."""
    with open_database(settings).session() as session:
        noter(session, key, job_id)


def write_job_failure(
    settings: Settings,
    recorder: FailureRecorder | None,
    kind: str,
    job_id: str,
    key: Any,
    *,
    code: str,
    message: str,
    final: bool,
    actor: str,
) -> None:
    """Write one failure of a job: on its row by its kind's recorder; a job with no row of
    its own as a `job.failed` event, on the dossier when its key is a dossier's code
    (archiving), else on none (maintenance, webhooks)."""
    with open_database(settings).session() as session:
        if recorder is not None:
            recorder(session, key, code=code, message=message, final=final, actor=actor)
            return
        dossier_id = None
        if isinstance(key, str):
            with contextlib.suppress(NotFound):
                dossier_id = get_dossier(session, key).id
        append_event(
            session,
            EventKind.JOB_FAILED,
            actor=actor,
            dossier_id=dossier_id,
            data={"kind": kind, "job": job_id, "code": code, "message": message, "final": final},
        )


def owed_rows(settings: Settings, find: OwedFinder) -> list[Owed]:
    """The rows a kind of job is owed, read in one snapshot."""
    with open_database(settings).session(readonly=True) as session:
        return find(session)


def record_requeue(settings: Settings, kind: str, item: Owed, new_job: str, *, actor: str) -> None:
    """Log that owed work no live job covered was queued again (`document.job_requeued`)."""
    with open_database(settings).session() as session:
        append_event(
            session,
            EventKind.JOB_REQUEUED,
            actor=actor,
            dossier_id=item.dossier_id,
            document_id=item.document_id,
            data={"kind": kind, "key": item.key, "old_job": item.job_id, "new_job": new_job},
        )


def appointment_of(settings: Settings, document_id: int) -> datetime | None:
    """The appointment of a document's dossier: what its digitization lane is chosen by."""
    with open_database(settings).session(readonly=True) as session:
        return get_document(session, document_id).dossier.appointment_at


def waiting_digitizations(settings: Settings) -> list[tuple[int, str | None, datetime | None]]:
    """(document id, job id, the dossier's appointment) of every document queued or being
    digitized (storage.documents.waiting_jobs), read in one snapshot."""
    with open_database(settings).session(readonly=True) as session:
        return waiting_jobs(session)
