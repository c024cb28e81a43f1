"""Running page work on a bounded pool: results in order, never more than a window in memory."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def ordered_map(
    pool: Executor | None, fn: Callable[[T], R], items: Iterable[T], *, window: int
) -> Iterator[R]:
    """fn over items, `window` at a time on the pool (inline when there is none), in order.

    Items are drawn lazily, so a 500-page file holds only `window` decoded pages at once.
    If the consumer stops early or a page raises, the pages not yet started are cancelled.
    """
    if pool is None:
        yield from map(fn, items)
        return
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
