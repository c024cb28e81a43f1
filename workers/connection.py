"""The Redis connection for queues: the configured shared server or the embedded one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import redis

from config.errors import TransientError
from config.settings import Settings
from workers.redis_embedded import EmbeddedRedis


def _redacted(url: str) -> str:
    """The URL without its password, fit for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


@contextmanager
def redis_connection(settings: Settings) -> Iterator[redis.Redis]:
    """A connection for the block's duration; with no SOHOA_REDIS_URL, the embedded server
    is started (or joined) for that long."""
    if settings.redis_url:
        conn = redis.Redis.from_url(settings.redis_url)
        try:
            conn.ping()
        except (redis.ConnectionError, redis.TimeoutError) as e:
            raise TransientError(
                f"Redis at {_redacted(settings.redis_url)} does not answer: {e}"
            ) from e
        yield conn
        return
    with EmbeddedRedis(settings.data_path) as url:
        yield redis.Redis.from_url(url)
