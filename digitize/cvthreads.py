"""OpenCV without its own thread pool, in every sohoa process that uses it.

Pages already run in parallel, one per core, so OpenCV's pool would only add contention.
Worse, a process that has started the pool and then forks (an rq worker forks a work
horse per job; the inbox watcher and the API read cover sheets in-process) hands the
child locks held by threads that do not exist there, and the child's first OpenCV call
can hang forever. So every entry point into OpenCV calls this first.
"""

from __future__ import annotations

import functools

import cv2


@functools.cache
def opencv_single_threaded() -> None:
    """Keep OpenCV on the calling thread (idempotent, cheap after the first call)."""
    cv2.setNumThreads(1)
