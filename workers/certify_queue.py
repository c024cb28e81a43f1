"""Asking for the clerk's signature after a component is digitized, and queueing it on the
`sign` queue (a clerk's result should not wait behind OCR). Light on purpose: the
digitizing worker imports it; the signing itself is workers.certify_tasks, on the `sign`
worker."""

from __future__ import annotations

import redis

from config.settings import Settings
from signing.flow.clerk import ask_clerk_signature
from storage.types import utcnow
from workers.jobs import JobKind, enqueue
from workers.reconcile import job_alive


def certify_after_digitizing(conn: redis.Redis, settings: Settings, document_id: int) -> None:
    """Ask for the clerk's signature on a digitized document and queue it, unless it is
    made or a live job has it already (the dossier's result is left to its leader and seal).
    Safe to call again: a digitize job retried after a crash asks once more."""
    asked = ask_clerk_signature(settings, document_id, today=utcnow())
    if asked is not None and asked.owed and not job_alive(conn, asked.job_id):
        enqueue(conn, settings, JobKind.CERTIFY, asked.result_id)
