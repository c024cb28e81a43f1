"""A worker told to stop lets go of its command channel at once."""

from __future__ import annotations

import time
from typing import Any

import redis

from config.settings import get_settings
from workers.queues import worker_order
from workers.worker import _make_worker


def test_a_stopping_worker_leaves_its_channel_when_the_listener_took_the_reply_first(
    redis_conn: redis.Redis,
) -> None:
    """GIVEN a worker listening on its command channel, whose listening thread takes the
    server's reply to UNSUBSCRIBE before the worker tells it to stop (a race that hung a
    stopping worker for rq's 60 s listening interval in CI)
    WHEN the worker unsubscribes
    THEN it is done within seconds and the thread has ended."""
    worker = _make_worker(redis_conn, get_settings(), worker_order())
    worker.subscribe()  # type: ignore[no-untyped-call]
    pubsub = worker.pubsub
    assert pubsub is not None
    thread = worker.pubsub_thread
    assert thread is not None and thread.is_alive()
    send_unsubscribe = pubsub.unsubscribe

    def unsubscribe_then_dawdle(*args: Any) -> None:
        send_unsubscribe(*args)
        time.sleep(0.5)  # the listening thread reads the reply meanwhile

    pubsub.unsubscribe = unsubscribe_then_dawdle
    started = time.monotonic()
    worker.unsubscribe()
    assert time.monotonic() - started < 5
    thread.join(timeout=1)
    assert not thread.is_alive()
