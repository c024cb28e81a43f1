"""Webhook deliveries on the `webhooks` queue: the outbox's messages POSTed to each
receiver, signed with HMAC-SHA256, in event order, retried with backoff, every try logged.

A standing job (rescheduled through rq's scheduler every WEBHOOK_POLL_SECONDS, under an
id naming its time slot with `unique=True`, as the nightly maintenance job is) fills the
outbox from the event log, plans a delivery per endpoint and message, and sends what is
due. The backoff lives in the database (`next_attempt_at`), not in rq's Retry:
a delivery must keep its place in the order, survive a Redis that lost its last writes,
and wait for hours if the receiver is down; the job itself holds no state.

Headers a receiver checks: `X-Sohoa-Event` (the event id, for idempotent import),
`X-Sohoa-Timestamp` (ISO 8601) and `X-Sohoa-Signature: sha256=<hex HMAC-SHA256 over
"<timestamp>.<body>" with the endpoint's secret>`.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis
from rq import get_current_job
from rq.exceptions import DuplicateJobError

from config import defaults
from config.settings import Settings, get_settings
from storage.types import utcnow
from storage.webhook_rounds import due_delivery, log_attempt, next_due, open_round
from workers.boundary import Finished, task
from workers.jobs import JOBS, JobKind, enqueue

log = logging.getLogger(__name__)


Post = Callable[[str, bytes, dict[str, str]], int]
"""POST a body with headers to a URL; the HTTP status, or OSError if nobody answered."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Sohoa-Signature value: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def http_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST with urllib; an HTTP error status is returned, not raised."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=defaults.WEBHOOK_TIMEOUT) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


@dataclass(frozen=True)
class DeliveryRound:
    """What one pass over the endpoints did."""

    delivered: int
    failed: int
    next_due: datetime | None
    """When the earliest waiting retry is due; None when nothing waits."""


def deliver_due(
    settings: Settings, *, now: datetime | None = None, post: Post = http_post
) -> DeliveryRound:
    """Fill the outbox, plan deliveries and send every one that is due, endpoint by endpoint
    in event order; an endpoint's first failure stops its round (its later messages wait,
    so the order holds). `now` is the clock (tests move it instead of waiting)."""
    moment = now or utcnow()
    delivered = failed = 0
    for receiver in open_round(settings, moment):
        while (due := due_delivery(settings, receiver.id, moment)) is not None:
            delivery_id, payload = due
            target = (receiver.url, receiver.secret)
            ok = _attempt(settings, delivery_id, target, payload, moment=moment, post=post)
            delivered += ok
            failed += not ok
            if not ok:
                break
    return DeliveryRound(delivered, failed, next_due(settings))


def _attempt(
    settings: Settings,
    delivery_id: int,
    target: tuple[str, str],
    payload: dict[str, Any],
    *,
    moment: datetime,
    post: Post,
) -> bool:
    """One POST of one message to an endpoint (url, secret), logged; whether it arrived."""
    url, secret = target
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    stamp = moment.isoformat(timespec="seconds")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Sohoa-Event": str(payload["id"]),
        "X-Sohoa-Timestamp": stamp,
        "X-Sohoa-Signature": signature(secret, stamp, body),
    }
    started = time.monotonic()
    status: int | None
    try:
        status, error = post(url, body, headers), None
    except OSError as e:  # refused, reset, timed out, unreachable
        status, error = None, f"{type(e).__name__}: {e}"
    elapsed = int((time.monotonic() - started) * 1000)
    if status is not None and not 200 <= status < 300:
        error = f"HTTP {status}"
    log_attempt(settings, delivery_id, at=moment, status=status, error=error, duration_ms=elapsed)
    if error:
        log.warning("webhook delivery %d to %s failed: %s", delivery_id, url, error)
    return error is None


@task(JobKind.WEBHOOKS)
def deliver_webhooks() -> Finished:
    """The standing job: schedule the next poll first (a failing round does not end the
    schedule), then one round now."""
    settings = get_settings()
    job = get_current_job()
    if job is not None:
        schedule_webhooks(job.connection, settings)
    outcome = deliver_due(settings)
    return Finished(details={"delivered": outcome.delivered, "failed": outcome.failed})


def schedule_webhooks(conn: redis.Redis, settings: Settings, *, now: datetime | None = None) -> str:
    """Schedule the next poll unless it is already (one job per time slot, however many
    workers start); returns its job id."""
    step = defaults.WEBHOOK_POLL_SECONDS
    slot = int((now or utcnow()).timestamp()) // step + 1
    at = datetime.fromtimestamp(slot * step, tz=UTC)
    with contextlib.suppress(DuplicateJobError):  # that slot's poll exists already
        enqueue(conn, settings, JobKind.WEBHOOKS, at=at, slot=str(slot))
    return f"{JOBS[JobKind.WEBHOOKS].id_prefix}-{slot}"
