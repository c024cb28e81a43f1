"""Accounts under attack: a login flood racing the throttle, and an admin who resets a leader's
password to sign as the leader (security review, issue 16)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from api import accounts as api_accounts
from api import throttle
from api.accounts import Principal
from config import defaults
from storage.types import utcnow
from tests.api.conftest import PASSWORD

Headers = Callable[[str], dict[str, str]]
ATTACKER = ("203.0.113.66", 40000)
LEADERS_DESK = ("198.51.100.7", 40000)


class CountingHasher(PasswordHasher):
    """argon2-cffi's hasher, counting the password checks it makes (and making each one slow
    enough that concurrent requests overlap, as they do on a loaded server)."""

    def __init__(self) -> None:
        super().__init__()
        self.checks = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self._lock:
            self.checks += 1
        threading.Event().wait(0.2)
        return super().verify(hash, password)


def _client(app_client: TestClient, address: tuple[str, int]) -> TestClient:
    return TestClient(app_client.app, client=address)


def _token(client: TestClient, username: str, password: str) -> Any:
    return client.post("/api/auth/token", json={"username": username, "password": password})


def test_concurrent_wrong_logins_check_at_most_the_limit_and_lock_out_no_one_elsewhere(
    app_client: TestClient, accounts: dict[str, Principal], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack: 12 wrong passwords for leader_a sent at once from one address. The old throttle
    read the failure count, then hashed: every request saw 0 failures, all 12 were checked
    (64 MiB of Argon2 each) and the 5 failures per user name locked the leader out
    everywhere for 15 minutes.
    Boundary: api.throttle.login_attempt reserves each attempt (counted as failed) in the
    transaction that counts, under a per-address lock, before any hashing; lockouts are per
    (user name, address). So at most LOGIN_MAX_FAILURES_PER_USER passwords are checked, and
    the leader still signs in from their own desk."""
    hasher = CountingHasher()
    monkeypatch.setattr(api_accounts, "_hasher", hasher)
    attacker = _client(app_client, ATTACKER)
    statuses: list[int] = []
    start = threading.Barrier(12)

    def guess(n: int) -> None:
        start.wait()
        statuses.append(_token(attacker, "leader_a", f"doan-sai-lan-{n:02d}").status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(set(statuses)) <= [401, 429] and len(statuses) == 12
    assert hasher.checks <= defaults.LOGIN_MAX_FAILURES_PER_USER
    assert statuses.count(401) == hasher.checks
    for n in range(defaults.LOGIN_MAX_FAILURES_PER_USER - hasher.checks):  # some were busy
        assert _token(attacker, "leader_a", f"doan-tiep-{n}").status_code == 401
    locked = _token(attacker, "leader_a", PASSWORD)
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "login_throttled"
    assert hasher.checks == defaults.LOGIN_MAX_FAILURES_PER_USER
    assert _token(_client(app_client, LEADERS_DESK), "leader_a", PASSWORD).status_code == 200


def test_a_flood_beyond_the_concurrent_checks_is_turned_away_quickly(
    app_client: TestClient, accounts: dict[str, Principal], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack: many logins at once, each costing 64 MiB of Argon2, to exhaust memory.
    Boundary: at most LOGIN_CONCURRENT_CHECKS checks run per process; a login that finds
    none free within LOGIN_CHECK_WAIT_SECONDS gets 429 `login_busy` without hashing."""
    monkeypatch.setattr(defaults, "LOGIN_CHECK_WAIT_SECONDS", 0.05)
    hasher = CountingHasher()
    monkeypatch.setattr(api_accounts, "_hasher", hasher)
    held = [throttle._hashing.acquire(timeout=1) for _ in range(defaults.LOGIN_CONCURRENT_CHECKS)]
    try:
        busy = _token(app_client, "clerk_a", PASSWORD)
    finally:
        for _ in held:
            throttle._hashing.release()
    assert busy.status_code == 429 and busy.json()["error"]["code"] == "login_busy"
    assert busy.headers["Retry-After"] == "1" and hasher.checks == 0
    assert _token(app_client, "clerk_a", PASSWORD).status_code == 200


def test_each_failure_past_the_limit_doubles_the_lockout() -> None:
    """Backoff: a lockout starts at the window and doubles with each further failure in a row,
    up to LOGIN_LOCKOUT_MAX_SECONDS; a success ends the streak."""
    now = utcnow()
    limit, window = defaults.LOGIN_MAX_FAILURES_PER_USER, defaults.LOGIN_WINDOW_SECONDS
    old = tuple(now - timedelta(hours=3, minutes=limit - i) for i in range(limit))
    assert throttle.lockout_until(old[:-1], None) is None
    assert throttle.lockout_until(old, None) == old[-1] + timedelta(seconds=window)
    more = (*old, now - timedelta(minutes=1))
    assert throttle.lockout_until(more, None) == more[-1] + timedelta(seconds=2 * window)
    many = (*old, *(now - timedelta(seconds=30 - i) for i in range(20)))
    capped = throttle.lockout_until(many, None)
    assert capped == many[-1] + timedelta(seconds=defaults.LOGIN_LOCKOUT_MAX_SECONDS)
    assert throttle.lockout_until(old, old[-1] + timedelta(seconds=1)) is None
