"""What each kind of job owes and how its outcome is written, in the database's terms: the
rows a worker finds owed at start, the job id noted on a row, and a failure written where a
clerk or an operator sees it. The job table (workers.jobs) names these per kind."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from config.errors import InvalidRequest, NotFound
from storage.digitization import get_result, pending_certifications
from storage.documents import documents_waiting, get_document
from storage.dossiers import get_dossier
from storage.enums import EventKind, SignatureState
from storage.events import append_event
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


def record_job_failed(
    session: Session,
    kind: str,
    job_id: str,
    key: Any,
    *,
    code: str,
    message: str,
    final: bool,
    actor: str,
) -> None:
    """The failure of a job with no row of its own, as a `job.failed` event: on the dossier
    when its key is a dossier's code (archiving), else on none (maintenance, webhooks)."""
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
