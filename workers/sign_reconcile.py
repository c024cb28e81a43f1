"""Putting the `sign` queue back in line with the database, the record of what is owed."""

from __future__ import annotations

import logging

import redis

from config.errors import InvalidRequest
from config.settings import Settings
from signing.workflow import set_job
from storage.db import open_database
from storage.enums import SignatureState
from storage.signatures import input_of, open_requests
from workers.reconcile import job_alive
from workers.sign_queue import enqueue_sign

log = logging.getLogger(__name__)


def requeue_sign_orphans(conn: redis.Redis, settings: Settings) -> int:
    """Queue again every owed signature that may run now but no live job covers (queued
    while Redis was down, or lost with its last writes). Returns how many were queued.

    Workers call it when they start, beside workers.reconcile.requeue_orphans.
    """
    owed = []
    with open_database(settings).session(readonly=True) as session:
        for request in open_requests(session):
            if request.status is not SignatureState.QUEUED:
                continue
            try:
                input_of(session, request)
            except InvalidRequest:  # an earlier signature is still owed
                continue
            owed.append((request.id, request.job_id))
    requeued = 0
    for request_id, job_id in owed:
        if not job_alive(conn, job_id):
            set_job(settings, request_id, enqueue_sign(conn, settings, request_id))
            requeued += 1
    if requeued:
        log.warning("requeued %d signatures that had no live job", requeued)
    return requeued
