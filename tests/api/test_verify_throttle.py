"""The public signature check is throttled per client address, in Redis, with a clear 429."""

from __future__ import annotations

import pytest
import redis
from fastapi.testclient import TestClient

from api import throttle as throttle_module
from api.http.app import create_app
from api.http.routes_signing import VERIFY_THROTTLE
from api.throttle import Throttle
from config import defaults
from config.errors import RateLimited
from config.settings import Settings
from tests.storage.archive_support import pdf_bytes


def _verify(client: TestClient) -> int:
    files = [("file", ("ket-qua.pdf", pdf_bytes(1, 5), "application/pdf"))]
    return int(client.post("/api/verify", files=files).status_code)


def test_verify_answers_429_with_retry_after_past_the_limit_per_address(
    api_settings: Settings, redis_conn: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN the public check asked VERIFY_MAX_PER_ADDRESS times from one address
    WHEN that address asks once more
    THEN 429 `rate_limited` in JSON with Retry-After, before the file is read; another
    address is still served."""
    monkeypatch.setattr(throttle_module, "_clock", lambda: 1_800_000_030.0)  # mid-window
    app = create_app(api_settings, redis_conn)
    with TestClient(app, client=("203.0.113.7", 5000)) as citizen:
        answers = [_verify(citizen) for _ in range(defaults.VERIFY_MAX_PER_ADDRESS)]
        assert set(answers) == {200}
        refused = citizen.post("/api/verify", files=[("file", ("x.pdf", b"%PDF-", "x/y"))])
        assert refused.status_code == 429
        error = refused.json()["error"]
        assert error["code"] == "rate_limited" and "203.0.113.7" in error["message"]
        assert error["hint"] and refused.headers["Retry-After"] == "30"
        assert citizen.post("/api/verify").status_code == 429  # refusals count, no body needed
    with TestClient(app, client=("203.0.113.8", 5000)) as neighbour:
        assert _verify(neighbour) == 200


def test_a_throttle_window_ends_and_is_shared_through_redis(redis_conn: redis.Redis) -> None:
    throttle = Throttle("test", limit=2, window=60)
    other_process = Throttle("test", limit=2, window=60)
    start = 1_800_000_000.0  # the start of a window (a multiple of 60)
    throttle.hit(redis_conn, "a", now=start)
    other_process.hit(redis_conn, "a", now=start + 1)
    try:
        throttle.hit(redis_conn, "a", now=start + 15)
    except RateLimited as e:
        assert e.retry_after == 45
    else:
        raise AssertionError("a third request in the window was let through")
    throttle.hit(redis_conn, "a", now=start + 60)  # the next window
    assert VERIFY_THROTTLE.limit == defaults.VERIFY_MAX_PER_ADDRESS
