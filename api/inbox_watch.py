"""Looking at the scanners' inbox again and again: `sohoa serve` does it on a thread of its
own (every SOHOA_INBOX_SCAN_SECONDS), `sohoa inbox watch` in the foreground.

An office expects a stack its scanner saved to reach its dossier by itself: the receipt's
QR code on top is there so that nobody has to act. The web server is the one process every
deployment runs, and filing a stack is the web's use case (api.inbox, as an upload is), so
it looks there; workers never import the api. Two processes sharing an inbox (two web
hosts, or serve beside `sohoa inbox watch`) take turns through an exclusive lock on the
inbox's `.scan.lock`, so no file is taken twice.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Callable

import redis
from sqlalchemy.exc import SQLAlchemyError

from api.inbox import InboxOutcome, scan_inbox
from config.errors import SohoaError
from config.settings import Settings

log = logging.getLogger(__name__)

LOCK_NAME = ".scan.lock"
"""The lock file under the inbox root (hidden: never taken for a unit's folder)."""


def scan_once(
    settings: Settings, conn: redis.Redis, *, unit: str | None = None
) -> list[InboxOutcome]:
    """One look at the inbox under its lock; nothing when another process holds it now."""
    root = settings.inbox_path
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_NAME).open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return []  # another process is looking; it takes what is there
        try:
            return scan_inbox(settings, conn, unit=unit)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def watch_inbox(
    settings: Settings,
    conn: redis.Redis,
    stop: threading.Event,
    *,
    every: float,
    unit: str | None = None,
    report: Callable[[InboxOutcome], None] | None = None,
) -> None:
    """Look at the inbox every `every` seconds until `stop` is set. A look that fails (the
    share gone, the database away) is logged and the next one tried: a scanner's file
    stays in its folder until a look takes it."""
    while True:
        try:
            for outcome in scan_once(settings, conn, unit=unit):
                if report is not None:
                    report(outcome)
        except (SohoaError, OSError, redis.RedisError, SQLAlchemyError):
            log.exception("inbox: this look failed; the next one in %g s", every)
        if stop.wait(every):
            return


def start_watching(settings: Settings, conn: redis.Redis) -> threading.Event | None:
    """`sohoa serve`'s inbox thread (a daemon), unless SOHOA_INBOX_SCAN_SECONDS is 0; set
    the event returned to end it."""
    every = settings.inbox_scan_seconds
    if every <= 0:
        return None
    stop = threading.Event()
    thread = threading.Thread(
        target=watch_inbox, args=(settings, conn, stop), kwargs={"every": every},
        name="inbox-watch", daemon=True,
    )  # fmt: skip
    thread.start()
    log.info("inbox: looking at %s every %g s", settings.inbox_path, every)
    return stop
