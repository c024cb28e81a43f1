"""Data exchange: the outbox filled from the event log, the JSON feed, and webhooks that
reach a real HTTP receiver on loopback after it was down for ten minutes (the clock is
moved, not waited for; the receiver is really not listening, then listening)."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import redis
from sqlalchemy import func, select

from config import defaults
from config.settings import Settings
from signing.testpki import free_port
from storage.db import open_database
from storage.enums import DeliveryState
from storage.exchange import add_endpoint, feed, fill_outbox
from storage.models import Event, ExchangeMessage, WebhookAttempt, WebhookDelivery
from storage.types import utcnow
from tests.support.office import build_office
from workers.jobs import JOBS, JobKind
from workers.queues import get_queue
from workers.webhooks import deliver_due, signature
from workers.worker import run_worker

SECRET = "khóa-bí-mật-của-tỉnh-0123456789"


class _Receiver(ThreadingHTTPServer):
    """A provincial system's endpoint: checks the HMAC, answers 503 to the first request it
    ever gets (a receiver still warming up), then 200; keeps what it accepted."""

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.accepted: list[dict[str, Any]] = []
        self.requests = 0
        self.bad_signatures = 0


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests += 1
        expected = signature(SECRET, self.headers["X-Sohoa-Timestamp"], body)
        if self.headers["X-Sohoa-Signature"] != expected:
            self.server.bad_signatures += 1
            self.send_response(401)
        elif self.server.requests == 1:
            self.send_response(503)
        else:
            message = json.loads(body)
            assert str(message["id"]) == self.headers["X-Sohoa-Event"]
            self.server.accepted.append(message)
            self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@contextmanager
def _receiver(port: int) -> Iterator[_Receiver]:
    server = _Receiver(port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _published(settings: Settings) -> list[tuple[int, int]]:
    with open_database(settings).session(readonly=True) as session:
        return [
            (m.event_id, m.dossier_id)
            for m in session.scalars(select(ExchangeMessage).order_by(ExchangeMessage.event_id))
        ]


def test_webhooks_reach_a_receiver_that_was_down_for_ten_minutes_once_and_in_order(
    settings: Settings,
) -> None:
    db = open_database(settings)
    build_office(db, settings, dossiers=15, seed=11)
    port = free_port()
    with db.session() as session:
        add_endpoint(session, name="tinh", url=f"http://127.0.0.1:{port}/hook", secret=SECRET)
    start = utcnow() + timedelta(seconds=defaults.EXCHANGE_SETTLE_SECONDS + 5)
    for second in range(0, 600, 20):  # ten minutes with nobody listening on the port
        round_ = deliver_due(settings, now=start + timedelta(seconds=second))
        assert round_.delivered == 0
    with db.session(readonly=True) as session:
        tries = session.scalars(select(WebhookAttempt).order_by(WebhookAttempt.id)).all()
        assert tries and all("Connection refused" in (t.error or "") for t in tries)
        gaps = [(b.at - a.at).total_seconds() for a, b in itertools.pairwise(tries)]
        assert gaps == sorted(gaps) and gaps[-1] >= 300  # backing off, up to every 5 minutes
        assert len(tries) < 12  # not hammering a receiver that is down
    published = _published(settings)
    assert len(published) > 30
    with _receiver(port) as receiver:
        second = 600
        while second < 1500 and len(receiver.accepted) < len(published):
            deliver_due(settings, now=start + timedelta(seconds=second))
            second += 20
        # the first try after it came back met its 503, the next one (5 minutes on) got in
        assert second <= 600 + 2 * 320
        assert receiver.requests == 1 + len(published)
        ids = [m["id"] for m in receiver.accepted]
        assert ids == [event_id for event_id, _ in published]  # all, once, in event order
        assert receiver.bad_signatures == 0
        per_dossier: dict[str, list[int]] = {}
        for message in receiver.accepted:
            per_dossier.setdefault(message["dossier"]["code"], []).append(message["id"])
        assert all(seq == sorted(seq) for seq in per_dossier.values())
        assert {m["type"] for m in receiver.accepted} >= {
            "received", "component_digitized", "result_signed", "returned",
        }  # fmt: skip
        deliver_due(settings, now=start + timedelta(seconds=second + 60))  # nothing new
        assert len(receiver.accepted) == len(published)
    with db.session(readonly=True) as session:
        pending = session.scalar(
            select(func.count()).where(WebhookDelivery.status == DeliveryState.PENDING)
        )
        assert pending == 0


def test_the_feed_pages_through_the_outbox_and_a_reimport_changes_nothing(
    settings: Settings,
) -> None:
    db = open_database(settings)
    build_office(db, settings, dossiers=10, seed=4)
    later = utcnow() + timedelta(minutes=5)
    with db.session() as session:
        written = fill_outbox(session, public_url="https://sohoa.example", settled_before=later)
        assert fill_outbox(session, public_url="x", settled_before=later) == 0  # cursor moved
        signed_events = session.scalar(select(func.count()).where(Event.kind == "document.signed"))
    imported: dict[int, dict[str, Any]] = {}
    for _ in range(2):  # a provincial system importing the whole feed twice
        cursor = 0
        with db.session(readonly=True) as session:
            while True:
                page, cursor_next = feed(session, after=cursor, limit=7)
                if not page:
                    break
                assert len(page) <= 7 and cursor_next > cursor
                imported.update({m["id"]: m for m in page})
                cursor = cursor_next
    assert len(imported) == written
    kinds = [m["type"] for m in imported.values()]
    assert kinds.count("result_signed") < (
        signed_events or 0
    )  # the leader's alone is not published
    returned = [m for m in imported.values() if m["type"] == "returned"]
    assert returned
    dossier = returned[-1]["dossier"]
    assert dossier["code"] and dossier["procedure_code"]
    digitized = [c for c in dossier["components"] if c["digitized"]]
    assert digitized and all(
        c["file"].startswith("https://sohoa.example/api/files/") for c in digitized
    )
    assert all(c["file"] is None for c in dossier["components"] if not c["digitized"])
    assert dossier["status"] == "returned" and dossier["finished_at"]
    per_dossier: dict[str, list[dict[str, Any]]] = {}
    for message in sorted(imported.values(), key=lambda m: m["id"]):
        per_dossier.setdefault(message["dossier"]["code"], []).append(message)
    for messages in per_dossier.values():  # each message tells the dossier at its moment
        first = messages[0]
        assert first["type"] == "received" and first["dossier"]["status"] == "received"
        assert not any(c["digitized"] for c in first["dossier"]["components"])
        assert first["dossier"]["finished_at"] is None and first["dossier"]["result"] is None
        counts = [sum(c["digitized"] for c in m["dossier"]["components"]) for m in messages]
        assert counts == sorted(counts)
        signed = [m for m in messages if m["type"] == "result_signed"]
        assert all(m["dossier"]["result"]["file"] for m in signed)


def test_the_webhooks_queue_delivers_and_schedules_its_next_poll(
    settings: Settings, redis_conn: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "EXCHANGE_SETTLE_SECONDS", 0)
    db = open_database(settings)
    build_office(db, settings, dossiers=3, seed=2)
    port = free_port()
    with db.session() as session:
        add_endpoint(session, name="tinh", url=f"http://127.0.0.1:{port}/hook", secret=SECRET)
    queue = get_queue(redis_conn, "webhooks")
    with _receiver(port) as receiver:
        receiver.requests = 1  # no warming up here
        queue.enqueue(JOBS[JobKind.WEBHOOKS].task)
        run_worker(redis_conn, settings, queues=["webhooks"], burst=True)
        assert [m["id"] for m in receiver.accepted] == [e for e, _ in _published(settings)]
    scheduled = queue.scheduled_job_registry.get_job_ids()
    assert len(scheduled) == 1 and scheduled[0].startswith("webhooks-poll-")
