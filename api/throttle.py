"""Per-client request throttles for public routes, counted in Redis so every server process
of `sohoa serve` shares one count.

A fixed window: one counter per client and window, INCR then EXPIRE in one transaction. It
lets a client through at most twice the limit across a window boundary, which is enough to
keep an unauthenticated loop from costing the server a signature check per request. (The
`limits` library does moving windows, but one counter is a few lines on the Redis every
deployment has already, and needs no second connection to the embedded server's socket.)
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import redis

from config.errors import RateLimited, TransientError

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
