"""Per-client request throttles for public routes, counted in Redis so every server process
of `sohoa serve` shares one count; and the login throttle, counted in the database.

A fixed window: one counter per client and window, INCR then EXPIRE in one transaction. It
lets a client through at most twice the limit across a window boundary, which is enough to
keep an unauthenticated loop from costing the server a signature check per request. (The
`limits` library does moving windows, but one counter is a few lines on the Redis every
deployment has already, and needs no second connection to the embedded server's socket.)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import redis

from config import defaults
from config.errors import LoginBusy, LoginThrottled, RateLimited, TransientError
from config.settings import Settings
from storage import accounts
from storage.db import open_database
from storage.types import utcnow

log = logging.getLogger(__name__)

KEY_PREFIX = "sohoa:throttle"

_clock = time.time
"""Wall-clock seconds: every server process counts in the same windows."""


@dataclass(frozen=True)
class Throttle:
    """At most `limit` requests per client in each `window` seconds, for one route."""

    name: str
    limit: int
    window: int

    def hit(self, conn: redis.Redis, client: str, now: float | None = None) -> None:
        """Count one request of the client; RateLimited (with the seconds to wait) once it is
        over the limit. Refused requests count too, so hammering does not shorten the wait."""
        now = _clock() if now is None else now
        slot = int(now // self.window)
        key = f"{KEY_PREFIX}:{self.name}:{client}:{slot}"
        try:
            pipe = conn.pipeline(transaction=True)
            pipe.incr(key)
            pipe.expire(key, self.window * 2)
            count = int(pipe.execute()[0])
        except redis.RedisError as e:
            raise TransientError(f"the request counter is unreachable ({e})") from e
        if count > self.limit:
            retry_after = max(1, int((slot + 1) * self.window - now))
            if count == self.limit + 1:
                log.warning(
                    "%s throttled for %s (%d per %d s)", self.name, client, self.limit, self.window
                )
            raise RateLimited(
                f"more than {self.limit} {self.name} requests from {client} in {self.window} s; "
                f"retry in {retry_after} s",
                retry_after,
            )


_hashing = threading.BoundedSemaphore(defaults.LOGIN_CONCURRENT_CHECKS)
"""Password checks running at once in this process: each holds 64 MiB for Argon2."""


def lockout_until(failures: tuple[datetime, ...], last_success: datetime | None) -> datetime | None:
    """Until when a user name is locked out at one address, if it is: once
    LOGIN_MAX_FAILURES_PER_USER failures fall within the window (or follow each other with no
    success in between), for the window after the latest, doubling with each further
    failure (exponential backoff) up to LOGIN_LOCKOUT_MAX_SECONDS."""
    window_start = utcnow() - timedelta(seconds=defaults.LOGIN_WINDOW_SECONDS)
    recent = sum(1 for at in failures if at >= window_start)
    streak = sum(1 for at in failures if last_success is None or at > last_success)
    over = max(recent, streak) - defaults.LOGIN_MAX_FAILURES_PER_USER
    if over < 0:
        return None
    seconds = min(defaults.LOGIN_LOCKOUT_MAX_SECONDS, defaults.LOGIN_WINDOW_SECONDS * 2**over)
    return failures[-1] + timedelta(seconds=seconds)


def _reserve(settings: Settings, username: str, address: str) -> int:
    """One transaction: lock the address, decide, and log the attempt as failed (settled
    later), so concurrent attempts are counted before any password is checked."""
    now = utcnow()
    with open_database(settings).session() as session:
        accounts.lock_address(session, address)
        history = accounts.attempt_history(
            session,
            username=username,
            address=address,
            since=now - timedelta(seconds=defaults.LOGIN_BACKOFF_HORIZON_SECONDS),
            window_start=now - timedelta(seconds=defaults.LOGIN_WINDOW_SECONDS),
        )
        until = lockout_until(history.failures, history.last_success)
        if until is not None and now < until:
            log.warning("login of %r from %s locked out until %s", username, address, until)
            raise LoginThrottled(f"too many failed logins for {username!r} from {address}")
        if history.address_failures >= defaults.LOGIN_MAX_FAILURES_PER_ADDRESS:
            log.warning("logins from %s throttled", address)
            raise LoginThrottled(f"too many failed logins from {address}")
        return accounts.reserve_attempt(session, username, address)


@contextmanager
def login_attempt(settings: Settings, username: str, address: str) -> Iterator[int]:
    """Admit one password check of `username` from `address`, as the id of its reserved
    attempt; the caller settles it (storage.accounts.settle_attempt).

    LoginBusy (429) when LOGIN_CONCURRENT_CHECKS checks already run in this process and none
    ends within LOGIN_CHECK_WAIT_SECONDS; LoginThrottled when the user name is locked out at
    this address or the address has failed too often. A lockout is per user name and
    address: a stranger's failures elsewhere do not lock the account's holder out."""
    if not _hashing.acquire(timeout=defaults.LOGIN_CHECK_WAIT_SECONDS):
        raise LoginBusy("too many password checks at once; retry in a second", 1)
    try:
        yield _reserve(settings, username, address)
    finally:
        _hashing.release()
