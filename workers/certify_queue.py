"""Asking for the clerk's signature after a component is digitized, and queueing it on the
`sign` queue (a clerk's result should not wait behind OCR). Light on purpose: the
digitizing worker imports it; the signing itself is workers.certify_tasks, on the `sign`
worker."""

from __future__ import annotations

import redis

from config.settings import Settings
from signing.clerk import ask_clerk_signature
from storage.db import open_database
from storage.digitization import get_result
from storage.enums import CertificationState
from storage.types import utcnow
from workers.jobs import JobKind, enqueue
from workers.reconcile import job_alive


def certify_after_digitizing(conn: redis.Redis, settings: Settings, document_id: int) -> None:
    """Ask for the clerk's signature on a digitized document and queue it, unless it is
    made or a live job has it already (the dossier's result is left to its leader and seal).
    Safe to call again: a digitize job retried after a crash asks once more."""
    result_id = ask_clerk_signature(settings, document_id, today=utcnow())
    if result_id is None:
        return
    with open_database(settings).session(readonly=True) as session:
        result = get_result(session, result_id)
        owed, job_id = result.status is CertificationState.PENDING, result.job_id
    if owed and not job_alive(conn, job_id):
        enqueue(conn, settings, JobKind.CERTIFY, result_id)
