"""Each worker holds its own queues' stack, loaded before it forks, and nothing else."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import redis

from bench.cluster import REPO
from config.settings import Settings
from workers.jobs import JOBS, kinds_on
from workers.queues import all_queues
from workers.stacks import task_modules
from workers.worker import run_worker

WATCHED = (
    "cv2",
    "sklearn",
    "scipy",
    "pyhanko",
    "digitize.pipeline",
    "workers.tasks",
    "workers.sign_tasks",
)

PROBE = f"""
import json, sys
import redis
from config.settings import get_settings
from workers.worker import run_worker
settings = get_settings()
with redis.Redis.from_url(settings.redis_url) as conn:
    run_worker(conn, settings, queues=sys.argv[1:], burst=True)
print(json.dumps(sorted(m for m in {WATCHED!r} if m in sys.modules)))
"""


def _loaded_by_worker(redis_server: str, data: Path, *queues: str) -> set[str]:
    """The watched modules a fresh `sohoa worker --burst` process of these queues holds
    once it has run (its queues empty)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(SOHOA_DATA_DIR=str(data), SOHOA_REDIS_URL=redis_server)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *queues],
        cwd=REPO, env=env, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_a_sign_worker_never_loads_ocr_or_the_classifier(
    redis_server: str, redis_conn: redis.Redis, tmp_path: Path
) -> None:
    loaded = _loaded_by_worker(redis_server, tmp_path / "data", "sign")
    assert "workers.sign_tasks" in loaded
    assert not loaded & {"cv2", "sklearn", "digitize.pipeline", "workers.tasks"}


def test_a_digitize_worker_holds_its_stack_before_forking_and_nothing_of_signing(
    redis_server: str, redis_conn: redis.Redis, tmp_path: Path
) -> None:
    loaded = _loaded_by_worker(redis_server, tmp_path / "data", "digitize")
    assert {"cv2", "digitize.pipeline", "workers.tasks"} <= loaded
    # the clerk's signature is only queued from here; the classifier reads its model with
    # numpy alone (scikit-learn and scipy train it)
    assert not loaded & {"workers.sign_tasks", "pyhanko", "sklearn", "scipy"}


def test_every_queue_names_the_modules_of_its_jobs() -> None:
    assert all(kinds_on((name,)) for name in all_queues())  # no queue without a kind of job
    assert all(spec.stack[0] == spec.module for spec in JOBS.values())
    assert task_modules(("sign",)) == ("workers.sign_tasks", "workers.certify_tasks")
    assert task_modules(("digitize-urgent", "digitize")) == ("workers.tasks",)


def test_a_worker_run_inside_a_process_leaves_its_garbage_collector_as_it_was(
    redis_conn: redis.Redis, settings: Settings
) -> None:
    run_worker(redis_conn, settings, queues=("webhooks",), burst=True)
    assert gc.get_freeze_count() == 0
