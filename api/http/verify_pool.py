"""The public signature check's own threads: a few per server process and a short queue,
503 at once past them, so checks never take the threads that pages are served from.

A check runs verify_pdf, which enforces its deadline itself (every fetch is cut to it, and
it is checked between signatures); the request gives up GRACE_SECONDS after that in any
case. A thread busy past its deadline keeps its slot until it is done, so stuck checks make
new ones wait for a slot or be refused, never pile up threads.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from config.errors import VerificationTimeout, VerifierBusy

log = logging.getLogger(__name__)

T = TypeVar("T")

GRACE_SECONDS = 2.0
"""How long past its deadline a request waits for its check (which stops itself) to end."""


class CheckPool:
    """`workers` threads and up to `queue` waiting checks; VerifierBusy past that."""

    def __init__(self, workers: int, queue: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="verify")
        self._slots = threading.BoundedSemaphore(workers + queue)

    async def run(self, check: Callable[[], T], *, name: str, deadline: float) -> T:
        """The check's result, run on the pool; VerifierBusy at once when every slot is
        taken, VerificationTimeout if it has not ended by its deadline and the grace."""
        if not self._slots.acquire(blocking=False):
            log.warning("signature check of %s refused: every check slot is taken", name)
            raise VerifierBusy(
                f"{name}: every signature check slot is taken", retry_after=math.ceil(deadline)
            )
        try:
            future: Future[T] = self._executor.submit(check)
        except RuntimeError:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), deadline + GRACE_SECONDS)
        except TimeoutError as e:
            if future.cancel() or future.cancelled():  # it waited in the queue, never ran
                raise VerifierBusy(
                    f"{name}: no signature check slot came free", retry_after=math.ceil(deadline)
                ) from e
            raise VerificationTimeout(name, f"no answer within {deadline} s") from e
