"""Thin rq task of the digitize queues: a document id in, digitize.flow's use case called,
the clerk's signature asked for on what it digitized."""

from __future__ import annotations

import logging

from rq import get_current_job

from config.errors import SohoaError
from config.settings import get_settings
from digitize.flow import run_digitization, split_stack
from workers.boundary import Finished, JobOutcome, task
from workers.certify_queue import certify_after_digitizing
from workers.connection import redis_connection
from workers.jobs import JobKind

log = logging.getLogger(__name__)


def _queue_certification(document_id: int) -> None:
    """The clerk's signature makes the scan a digitization result (workers.certify_queue).
    A deployment without a clerk's key keeps its digitized PDF; the result waits, logged."""
    settings = get_settings()
    job = get_current_job()
    try:
        if job is not None:
            certify_after_digitizing(job.connection, settings, document_id)
        else:
            with redis_connection(settings) as conn:
                certify_after_digitizing(conn, settings, document_id)
    except SohoaError as e:
        if e.transient:
            raise
        log.warning("document %d: no clerk's signature requested: %s", document_id, e.message)


@task(JobKind.DIGITIZE)
def digitize_document(document_id: int) -> Finished:
    """Digitize a stored document (digitize.flow.run_digitization: a stack is split into its
    documents), then ask for the clerk's signature on each document it made.

    Idempotent: a document already digitized or split is skipped. A file that is not a
    document (InputRejected) fails for good at the task boundary; anything else is retried.
    """
    done = run_digitization(get_settings(), document_id)
    for made in done.to_certify:
        _queue_certification(made)
    if done.skipped:
        return Finished(JobOutcome.SKIPPED)
    if done.parts is None:
        return Finished(details={"pages": done.pages})
    return Finished(details={"pages": done.pages, "parts": done.parts})


@task(JobKind.SPLIT)
def split_upload(
    code: str, document_id: int, first_pages: list[int], types: dict[str, str], actor: str
) -> Finished:
    """A clerk's cut of a digitized upload of dossier `code` into documents starting at
    `first_pages`, queued from the web (split_document); the parts' ids in the result."""
    return Finished(details={"document_id": document_id,
                             "parts": split_document(document_id, first_pages, types,
                                                     actor=actor)})  # fmt: skip


def split_document(
    document_id: int, first_pages: list[int], types: dict[str, str] | None = None, *, actor: str
) -> list[int]:
    """Split a digitized stack where a clerk says (digitize.flow.split_stack) and ask for
    the clerk's signature on each new part; returns the parts' ids."""
    part_ids = split_stack(get_settings(), document_id, first_pages, types, actor=actor)
    for part_id in part_ids:
        _queue_certification(part_id)
    return part_ids
