"""Concurrent producers: several processes receive dossiers and queue their scans at once,
against one database and one Redis; no dossier code may be lost or given twice.

Each producer is a separate process (spawned, so nothing is shared but the services), as
clerks' counters or API servers are. They start together at a barrier, each receives its
share of dossiers on the same day (so they contend for the same daily serial) and adds one
scan to each, which queues a digitization job. Then the database and the queue are read
back: every code once, serials 1..N without a gap, one document and one job per dossier.
The baseline is the same dossiers received by one producer alone.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import redis
from PIL import Image
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import func, select

from api.services import add_file, open_dossier
from bench.cluster import Cluster, bench_cluster
from config.settings import get_settings
from storage.db import Database
from storage.models import Document, Dossier
from workers.connection import redis_connection
from workers.jobs import JOBS, JobKind
from workers.queues import get_queue, with_lanes

RECEIVED = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
"""One day for every dossier: all producers take serials from the same daily counter."""
PROCEDURE = "1.004227"
PRODUCERS = 4


def _producer(
    env: dict[str, str],
    index: int,
    count: int,
    scan: str,
    barrier: Barrier,
    results: mp.Queue[tuple[int, float, float, list[tuple[str, int | None]]]],
) -> None:
    """One producer process: wait for the others, then receive `count` dossiers."""
    for key in [k for k in os.environ if k.startswith("SOHOA_")]:
        del os.environ[key]
    os.environ.update(env)
    get_settings.cache_clear()
    settings = get_settings()
    made: list[tuple[str, int | None]] = []
    with redis_connection(settings) as conn:
        barrier.wait()
        start = time.perf_counter()
        for n in range(count):
            code = open_dossier(
                settings,
                procedure_code=PROCEDURE,
                applicant_name=f"Người nộp {index}-{n}",
                applicant_id_number=None,
                unit_code=None,
                actor=f"producer-{index}",
                received_at=RECEIVED,
            )
            added = add_file(settings, conn, code, Path(scan), name="don.png", actor="producer")
            made.append((code, added.document_id))
        end = time.perf_counter()
    results.put((index, start, end, made))


def small_scan(path: Path) -> Path:
    """A tiny valid scan (a white page with a black bar): the producers measure reception,
    not OCR, and no job runs while they do."""
    image = Image.new("L", (200, 280), 255)
    image.paste(0, (20, 40, 180, 60))
    image.save(path, "PNG", dpi=(200, 200))
    return path


def produce(cluster: Cluster, work: Path, producers: int, per_producer: int) -> dict[str, Any]:
    """Run `producers` processes receiving `per_producer` dossiers each; the wall time from
    the barrier to the last one done, and what was made."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(producers)
    results: mp.Queue[tuple[int, float, float, list[tuple[str, int | None]]]] = ctx.Queue()
    scan = small_scan(work / "scan.png")
    procs = [
        ctx.Process(
            target=_producer,
            args=(
                {
                    k: v
                    for k, v in cluster.env(work / f"producer-{i}").items()
                    if k.startswith("SOHOA_")
                },
                i,
                per_producer,
                str(scan),
                barrier,
                results,
            ),
        )
        for i in range(producers)
    ]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    failed = [p.exitcode for p in procs if p.exitcode != 0]
    if failed:
        raise RuntimeError(f"producer processes failed with exit codes {failed}")
    wall = max(o[2] for o in outcomes) - min(o[1] for o in outcomes)
    made = [item for o in outcomes for item in o[3]]
    return {"producers": producers, "wall": wall, "made": made}


def check(cluster: Cluster, made: list[tuple[str, int | None]], expected: int) -> dict[str, Any]:
    """Read back the database and the queue: lost, duplicated, gaps, jobs per document."""
    codes = Counter(code for code, _ in made)
    db = Database(cluster.database_url)
    try:
        with db.session(readonly=True) as session:
            in_db = list(session.scalars(select(Dossier.code)))
            documents = session.scalar(select(func.count()).select_from(Document)) or 0
    finally:
        db.dispose()
    serials = sorted(int(code[-4:]) for code in in_db)
    conn = redis.Redis.from_url(cluster.redis_url)
    job_docs: Counter[int] = Counter()
    for lane in with_lanes([JOBS[JobKind.DIGITIZE].queues[0]]):
        queue = get_queue(conn, lane)
        for job in Job.fetch_many(queue.job_ids, connection=conn, serializer=JSONSerializer):
            if job is not None:
                job_docs[int(job.args[0])] += 1
    return {
        "expected": expected,
        "returned": len(made),
        "unique_codes": len(codes),
        "duplicated": sum(n - 1 for n in codes.values() if n > 1),
        "lost": expected - len(set(in_db)),
        "serial_gaps": len(set(range(1, expected + 1)) - set(serials)),
        "documents": documents,
        "jobs": sum(job_docs.values()),
        "documents_with_two_jobs": sum(1 for n in job_docs.values() if n > 1),
    }


def ok(figures: dict[str, Any]) -> bool:
    """No code lost, none given twice, no gap, one document and one job per dossier."""
    n = figures["expected"]
    return bool(
        figures["duplicated"] == 0
        and figures["lost"] == 0
        and figures["serial_gaps"] == 0
        and figures["unique_codes"] == n
        and figures["documents"] == n
        and figures["jobs"] == n
        and figures["documents_with_two_jobs"] == 0
    )


def run(quick: bool) -> dict[str, Any]:
    """4 producer processes, then 1 producer receiving as many dossiers, each on a fresh
    database (PostgreSQL when SOHOA_BENCH_DATABASE_URL is set)."""
    per = 15 if quick else 50
    total = PRODUCERS * per
    with tempfile.TemporaryDirectory(prefix="sohoa-producers-") as tmp:
        work = Path(tmp)
        results: dict[str, Any] = {}
        for name, producers, each in (("many", PRODUCERS, per), ("one", 1, total)):
            with bench_cluster(work / name) as cluster:
                outcome = produce(cluster, work / name, producers, each)
                results[f"{name}_figures"] = check(cluster, outcome["made"], total)
            results[name] = {
                "producers": producers,
                "dossiers": total,
                "wall": outcome["wall"],
                "per_s": total / outcome["wall"],
            }
    results["figures"] = results.pop("many_figures")
    results["database"] = "postgresql" if os.environ.get("SOHOA_BENCH_DATABASE_URL") else "sqlite"
    results["met"] = ok(results["figures"])
    return results


def main() -> None:
    """Command line: the producers benchmark alone, its figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.producers", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="15 dossiers per producer")
    args = parser.parse_args()
    print(json.dumps(run(args.quick), indent=1))


if __name__ == "__main__":
    main()
