"""A deployment on one machine standing in for many: `sohoa worker` processes, each with its
own data directory ("machine"), sharing one Redis, one database and one blob volume.

Used by the scaling benchmarks and by the tests of workers at scale, so both measure and
check the same thing: real processes, real queues, nothing shared but what a province
shares over the network.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
from rq import Worker
from rq.serializers import JSONSerializer
from rq.worker import BaseWorker
from sqlalchemy import create_engine, text

from config.settings import get_settings
from storage.db import Database
from workers.redis_embedded import EmbeddedRedis

REPO = Path(__file__).resolve().parents[1]


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

    def join(self, data_dir: Path) -> None:
        """Make this process one of the cluster's machines (its SOHOA_* environment)."""
        for key in [k for k in os.environ if k.startswith("SOHOA_")]:
            del os.environ[key]
        os.environ.update({k: v for k, v in self.env(data_dir).items() if k.startswith("SOHOA_")})


@contextmanager
def fresh_schema(base_url: str) -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a new empty schema, dropped afterwards."""
    schema = f"b_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def start_worker(
    cluster: Cluster, data_dir: Path, *args: str, **env: str
) -> subprocess.Popen[bytes]:
    """`sohoa worker ARGS` as a process of its own, its log in DATA/worker.log.

    In a session of its own, as a service (container, systemd unit) is: Linux shares the
    CPU between sessions first (autogroup), so workers started from one shell would
    otherwise share one session's part of a busy machine however many they are."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "worker.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "api.cli", "worker", *args],
            cwd=REPO,
            env=cluster.env(data_dir, **env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_worker(proc: subprocess.Popen[bytes], data_dir: Path, timeout: float = 120) -> int:
    """SIGTERM, as docker stop sends it; the exit status once the worker is gone."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError(f"worker did not stop:\n{log_of(data_dir)}") from None


def wait_for(what: str, check: Callable[[], bool], timeout: float = 120.0) -> None:
    """Poll until `check()` holds; fail naming `what` if it never does."""
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
    """The end of what a worker process wrote, for error messages."""
    path = data_dir / "worker.log"
    return path.read_text(encoding="utf-8", errors="replace")[-3000:] if path.exists() else ""


@contextmanager
def bench_cluster(work: Path) -> Iterator[Cluster]:
    """A private redis-server, a fresh database and a blob directory; this process joins
    as the office that uploads."""
    with ExitStack() as stack:
        url = stack.enter_context(EmbeddedRedis(work / "redis"))
        base = os.environ.get("SOHOA_BENCH_DATABASE_URL")
        database = stack.enter_context(fresh_schema(base)) if base else None
        cluster = Cluster(url, database or f"sqlite:///{work / 'shared.db'}", work / "blobs")
        saved = dict(os.environ)
        cluster.join(work / "office")
        get_settings.cache_clear()
        Database(cluster.database_url).upgrade()
        try:
            yield cluster
        finally:
            os.environ.clear()
            os.environ.update(saved)
            get_settings.cache_clear()
