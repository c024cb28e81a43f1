"""End-to-end throughput through the real queue path with 1 and 2 worker processes, and the
peak memory of a worker reading a 100-page 300 dpi dossier.

The path is the production one: a clerk's upload (`api.services.add_file`: blob store,
database row, job on `digitize`) -> `sohoa worker --queue digitize` processes, each its own
"machine" (data directory) sharing a redis-server, the database (PostgreSQL in a fresh
schema when SOHOA_BENCH_DATABASE_URL is set, else one SQLite file) and the blob volume ->
searchable PDF/A stored and the document marked digitized (or split, for a stack).

Both runs are set up alike, so that the ratio measures the workers and nothing else:
- each worker in a session of its own, as a service is (Linux shares a busy CPU between
  sessions first: two workers in the benchmark's session would share one session's part);
- the same pages, each its own document, enough of them (48) that the last page's tail
  is small beside the run; the same environment (OMP_THREAD_LIMIT=1, OpenCV single-threaded);
- start-up is outside the clock: the workers are started with the queue suspended (rq's
  `suspend`), and only once every one of them is registered and waiting is anything
  uploaded; the clock starts when the queue is resumed, after the last upload, so the
  producer never competes with the workers for a core;
- the clock stops at the last job's end as rq recorded it (not at a poll), and the one
  poll for completion runs every half second on one database connection;
- CPU per page is the CPU of the worker processes and everything they waited for (work
  horses, Tesseract, pdftoppm) from resume to the end, reported beside the ratio: equal
  CPU per page with 1 and 2 workers and a ratio under 2 means waiting for a core.
Pages per minute with 2 workers over pages per minute with 1 is the scaling ratio (target
>= 1.8 on 2 cores); the machine's load average is recorded beside it, since other work on
the same cores lowers it. So are the cores the whole machine kept busy during the run, the
workers' share of them, and the cores the hypervisor stole (a virtual machine's "2 cores"
are not always two).

Memory is measured in a run of its own, never beside the timed ones: sampling it reads
every process's page tables five times a second, which took 0.14 of a core from two busy
workers (a tenth of their throughput) when it ran during the throughput runs. It is
sampled every 0.2 s on the worker's process tree from /proc/PID/smaps_rollup: the
worker's main process, rq's scheduler and the work horse it forks for the job, and the
programs the horse runs (Tesseract, pdftoppm). The target is the tree's peak PSS on one
100-page 300 dpi document: what the worker costs the machine, each page shared between
processes counted once. The horse tree's peak RSS, which counts those shared pages again,
is reported beside it. The baseline, in the same run, is the same worker waiting for
that job: its tree's PSS, and the RSS of its main process (which a horse starts as).

    .venv/bin/python -m bench.scale [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import os
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
import redis
from PIL import Image
from rq import Worker
from rq.job import Job
from rq.serializers import JSONSerializer
from rq.suspension import resume, suspend
from rq.worker import WorkerStatus
from sqlalchemy import func, select

from api.services import add_file, open_dossier
from bench.cluster import (
    Cluster,
    bench_cluster,
    start_worker,
    stop_worker,
    wait_for,
    wait_registered,
)
from bench.pages import scanned_pages
from config.settings import get_settings
from digitize.images import EmbeddedImage
from digitize.pdfwriter import DocumentMetadata, SearchablePdf
from storage.db import Database
from storage.enums import DocumentStatus
from storage.models import Document

SEED = 20261124
SCALING_TARGET = 1.8
MEMORY_TARGET_MB = 500.0
BIG_DPI = 300
SAMPLE_SECONDS = 0.2
POLL_SECONDS = 0.5
DONE = (DocumentStatus.DIGITIZED, DocumentStatus.SPLIT)
"""A document is through: digitized, or (a scanned stack) split into its documents."""


def _kb(pid: int, field: str) -> int:
    """One field of a process's /proc/PID/smaps_rollup, in kB (cheap: no per-mapping walk)."""
    with Path(f"/proc/{pid}/smaps_rollup").open(encoding="ascii") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


class MemoryWatch:
    """Peak memory of worker processes and their work horses, sampled on a thread."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.horse_rss = dict.fromkeys(pids, 0)
        self.worker_pss = dict.fromkeys(pids, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, pid: int) -> None:
        try:
            main = psutil.Process(pid)
            horses = main.children()
            tree = [main, *[p for h in horses for p in (h, *h.children(recursive=True))]]
            horse_rss = sum(_kb(p.pid, "Rss:") for p in tree[1:]) * 1024
            pss = sum(_kb(p.pid, "Pss:") for p in tree) * 1024
        except (psutil.Error, OSError):  # a process ended between listing and reading
            return
        self.horse_rss[pid] = max(self.horse_rss[pid], horse_rss)
        self.worker_pss[pid] = max(self.worker_pss[pid], pss)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.pids:
                self._sample(pid)
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def at_rest_mb(self) -> dict[str, float]:
        """Now, before any job: the worker tree's PSS and the main process's RSS, in MB
        (the largest of the workers)."""
        pss, rss = [], []
        for pid in self.pids:
            tree = [pid, *(p.pid for p in psutil.Process(pid).children(recursive=True))]
            pss.append(sum(_kb(p, "Pss:") for p in tree))
            rss.append(_kb(pid, "Rss:"))
        return {"worker_pss_mb": max(pss) / 2**10, "horse_rss_mb": max(rss) / 2**10}

    def peaks_mb(self) -> dict[str, float]:
        """The largest horse tree RSS and whole-worker PSS seen on any worker, in MB."""
        return {
            "horse_rss_mb": max(self.horse_rss.values()) / 2**20,
            "worker_pss_mb": max(self.worker_pss.values()) / 2**20,
        }


def _through(db: Database, ids: list[int]) -> int:
    """How many of these documents are through; a failed one ends the benchmark."""
    with db.session(readonly=True) as session:
        counts = dict(
            session.execute(
                select(Document.status, func.count())
                .where(Document.id.in_(ids))
                .group_by(Document.status)
            ).all()
        )
    if counts.get(DocumentStatus.FAILED):
        raise RuntimeError(f"{counts[DocumentStatus.FAILED]} documents failed in the benchmark")
    return sum(counts.get(status, 0) for status in DONE)


def _last_end(db: Database, conn: redis.Redis, ids: list[int]) -> datetime:
    """When the last of these documents' jobs ended, as rq recorded it."""
    with db.session(readonly=True) as session:
        job_ids = [
            str(j) for j in session.scalars(select(Document.job_id).where(Document.id.in_(ids)))
        ]
    ends = [
        j.ended_at for j in Job.fetch_many(job_ids, connection=conn, serializer=JSONSerializer) if j
    ]
    if len(ends) != len(job_ids) or None in ends:
        raise RuntimeError("rq lost the record of a benchmark job")
    return max(e for e in ends if e is not None)


def _upload(files: list[Path], label: str) -> list[int]:
    settings = get_settings()
    code = open_dossier(
        settings,
        procedure_code="1.004227",
        applicant_name="Đỗ Thị Lan",
        applicant_id_number=None,
        unit_code=None,
        actor="bench",
    )
    ids = []
    with redis.Redis.from_url(str(settings.redis_url)) as conn:
        for path in files:
            added = add_file(settings, conn, code, path, name=f"{label}-{path.name}", actor="bench")
            if added.document_id is None:
                raise RuntimeError(f"{path.name} was refused: {added.error}")
            ids.append(added.document_id)
    return ids


def _all_in(conn: redis.Redis, count: int, state: WorkerStatus) -> bool:
    states = [w.get_state() for w in Worker.all(connection=conn, serializer=JSONSerializer)]
    return len(states) == count and all(s == state for s in states)


def _cpu(pids: list[int]) -> float:
    """CPU seconds of the worker processes and every child they waited for: the work
    horses, and through them Tesseract and pdftoppm."""
    total = 0.0
    for pid in pids:
        t = psutil.Process(pid).cpu_times()
        total += t.user + t.system + t.children_user + t.children_system
    return total


def _machine_ticks() -> tuple[int, int]:
    """The machine's busy and stolen CPU time so far, in clock ticks (/proc/stat): busy
    beside the workers' own CPU shows what else ran; steal shows cores the hypervisor
    withheld, which no fairness in the benchmark can give back."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return user + nice + system + irq + softirq, steal


def run_workers(
    cluster: Cluster,
    work: Path,
    workers: int,
    files: list[Path],
    pages: int,
    *,
    memory: bool = False,
) -> dict[str, Any]:
    """Start `workers` worker processes on a suspended queue, upload the files, then resume
    and time from there until the last job ended (see the module's docstring). With
    `memory`, the workers' memory is sampled throughout (at rest, then the peaks)."""
    machines = [work / f"w{workers}-machine-{i}" for i in range(workers)]
    conn = redis.Redis.from_url(cluster.redis_url)
    db = Database(cluster.database_url)
    suspend(conn)
    procs = [start_worker(cluster, m, "--queue", "digitize") for m in machines]
    pids = [p.pid for p in procs]
    try:
        wait_registered(conn, workers, timeout=600)
        wait_for("workers waiting", lambda: _all_in(conn, workers, WorkerStatus.SUSPENDED), 600)
        ids = _upload(files, f"w{workers}")
        load = os.getloadavg()[0]
        watch = MemoryWatch(pids)
        rest = watch.at_rest_mb() if memory else {}
        with watch if memory else contextlib.nullcontext():
            cpu = _cpu(pids)
            busy, steal = _machine_ticks()
            started = datetime.now(UTC)
            resume(conn)
            while _through(db, ids) < len(ids):
                time.sleep(POLL_SECONDS)
            # a horse marks its document digitized before it exits: its CPU reaches the
            # worker's account once the worker has reaped it and gone back to idle
            wait_for("workers idle", lambda: _all_in(conn, workers, WorkerStatus.IDLE), 120)
            cpu = _cpu(pids) - cpu
            span = (datetime.now(UTC) - started).total_seconds()
            busy_now, steal_now = _machine_ticks()
            busy, steal = busy_now - busy, steal_now - steal
        wall = (_last_end(db, conn, ids) - started).total_seconds()
        tick = os.sysconf("SC_CLK_TCK")
    finally:
        resume(conn)
        for proc, machine in zip(procs, machines, strict=True):
            stop_worker(proc, machine)
        conn.close()
        db.dispose()
    return {
        "workers": workers,
        "documents": len(files),
        "pages": pages,
        "wall": wall,
        "pages_per_minute": pages / wall * 60,
        "cpu_s_per_page": cpu / pages,
        "load_1min_at_start": load,
        "load_1min_at_end": os.getloadavg()[0],
        "machine_busy_cores": busy / tick / span,
        "workers_cores": cpu / span,
        "steal_cores": steal / tick / span,
        **({"at_rest": rest, **watch.peaks_mb()} if memory else {}),
    }


def big_dossier(pages: list[Path], total: int, target: Path) -> Path:
    """A scanner's PDF of `total` 300 dpi grey JPEG pages (the JPEG bytes as scanned),
    cycling through the given pages: memory depends on page size and count, not wording."""
    chosen = [p for p in pages if round(Image.open(p).info.get("dpi", (0, 0))[0]) == BIG_DPI]
    with SearchablePdf() as pdf:
        for path in itertools.islice(itertools.cycle(chosen), total):
            data = path.read_bytes()
            image = Image.open(io.BytesIO(data))
            embedded = EmbeddedImage(
                data, image.width, image.height, "/DeviceGray", 8, "/DCTDecode"
            )
            pdf.add_image_page(embedded, dpi=BIG_DPI, rotation=0)
        pdf.save(target, DocumentMetadata(title="100 trang"), pdfa=False)
    return target


def run(quick: bool) -> dict[str, Any]:
    """Throughput with 1 then 2 workers on the same pages, then the big dossier's memory."""
    count, big = (6, 20) if quick else (48, 100)
    with tempfile.TemporaryDirectory(prefix="sohoa-scale-") as tmp:
        work = Path(tmp)
        # grey JPEGs only: big_dossier embeds them as they are, and the figures stay comparable
        pages = [p.path for p in scanned_pages(work / "pages", count, SEED, office=False)]
        dossier = big_dossier(pages, big, work / "big.pdf")
        with bench_cluster(work / "cluster") as cluster:
            one = run_workers(cluster, work, 1, pages, len(pages))
            two = run_workers(cluster, work, 2, pages, len(pages))
            memory = run_workers(cluster, work / "big", 1, [dossier], big, memory=True)
    ratio = two["pages_per_minute"] / one["pages_per_minute"]
    return {
        "quick": quick,
        "database": "postgresql" if os.environ.get("SOHOA_BENCH_DATABASE_URL") else "sqlite",
        "cpus": os.cpu_count(),
        "one": one,
        "two": two,
        "scaling": ratio,
        "scaling_target": SCALING_TARGET,
        "scaling_met": ratio >= SCALING_TARGET,
        "memory": memory,
        "memory_pages": big,
        "memory_target_mb": MEMORY_TARGET_MB,
        "memory_met": memory["worker_pss_mb"] < MEMORY_TARGET_MB and big >= 100,
    }


def main() -> None:
    """Command line: the scaling benchmark alone, its figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="6 pages, a 20-page dossier")
    args = parser.parse_args()
    print(json.dumps(run(args.quick), indent=1))


if __name__ == "__main__":
    main()
