"""Worker processes for tests: `sohoa worker` started as a real process on its own "machine"
(its own data directory), sharing Redis, the database and the blob volume with the others."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import redis
from rq import Worker
from rq.serializers import JSONSerializer
from rq.worker import BaseWorker

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Cluster:
    """What the processes of one simulated deployment share."""

    redis_url: str
    database_url: str
    blob_dir: Path

    def env(self, data_dir: Path, **extra: str) -> dict[str, str]:
        """A process environment for one machine: shared services, its own data directory."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
        env.update(
            SOHOA_DATA_DIR=str(data_dir),
            SOHOA_REDIS_URL=self.redis_url,
            SOHOA_DATABASE_URL=self.database_url,
            SOHOA_BLOB_DIR=str(self.blob_dir),
            OMP_THREAD_LIMIT="1",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env


def start_worker(
    cluster: Cluster, data_dir: Path, *args: str, **env: str
) -> subprocess.Popen[bytes]:
    """`sohoa worker ARGS` as a process of its own, its log in DATA/worker.log."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log = (data_dir / "worker.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "worker", *args],
        cwd=REPO,
        env=cluster.env(data_dir, **env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(what: str, check: Callable[[], bool], timeout: float = 120.0) -> None:
    """Poll until `check()` holds; fail the test naming `what` if it never does."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


def wait_registered(conn: redis.Redis, count: int, timeout: float = 120.0) -> list[BaseWorker]:
    """The workers registered in Redis, once there are `count` of them (started, listening)."""
    wait_for(
        f"{count} registered workers",
        lambda: len(Worker.all(connection=conn, serializer=JSONSerializer)) >= count,
        timeout,
    )
    return Worker.all(connection=conn, serializer=JSONSerializer)


def log_of(data_dir: Path) -> str:
    """What a worker process wrote, for assertion messages."""
    path = data_dir / "worker.log"
    return path.read_text(encoding="utf-8", errors="replace")[-3000:] if path.exists() else ""
