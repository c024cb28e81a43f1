"""Web service under load: 50 clients on loopback uploading scans and reading pages and the
API for 60 s, against a real `sohoa serve` on embedded defaults (SQLite, private Redis).

    .venv/bin/python -m bench.api_load [--quick] [--clients N] [--seconds S]

Each client is a clerk of one of five units with a dossier of its own; it loops over a mix
of requests as a counter's browser and scripts make them: 1 in 5 an upload (a one-page
PDF, distinct bytes each time, multipart), the rest reads, half pages (the dossier page,
the unit's dossier list) and half API (the dossier's JSON, the unit's dossier list).
Pages carry the session cookie, API calls a bearer token; tokens are issued before the run
(a login's Argon2 check is not what is measured). No worker runs: digitization jobs are
queued and wait, so the figures are the web service's own.

- failures: any answer other than the expected status, or no answer (must be 0);
- uploads lost: after the run, every upload the service acknowledged as stored must have
  its document row in its dossier (same SHA-256) and its blob in the store, re-hashed to
  that SHA-256, and a digitization job queued (must be 0);
- latency of reads, p50/p95, pages and API apart, against the 300 ms target; the baseline
  is the same reads made by one client alone before the load (the unloaded service), so
  the ratio shows what 50 clients cost.
"""

# ruff: noqa: PLC0415  # sohoa modules are imported once the deployment's environment is set

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

TARGET_P95_MS = 300.0
CLIENTS = 50
SECONDS = (60.0, 15.0)
"""Load duration: full run, --quick."""
BASELINE_SECONDS = (8.0, 4.0)
UNITS = 5
LOCAL_LEVELS = ("commune", "ward")
UPLOAD_SHARE = 0.2
THINK_SECONDS = 1.0
"""Mean pause of a client between its requests (uniform, 0 to twice this): a clerk's
browser, not a flood. 50 clients then offer about 50 requests a second; with no pause the
run measures saturation, where latency is only queueing (clients / throughput)."""
REPO = Path(__file__).resolve().parent.parent


@dataclass
class Tally:
    """What the clients measured."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    stored: list[tuple[str, str, int]] = field(default_factory=list)
    """(dossier code, sha256, document id) of every upload acknowledged as stored."""
    server_cpu: float = 0.0
    """CPU seconds the server's processes (uvicorn's, the embedded Redis) spent meanwhile:
    what the requests cost, whatever else the machine was doing."""

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds * 1000)


@dataclass(frozen=True)
class Client:
    """One simulated clerk: a dossier, a bearer token, a session cookie."""

    code: str
    token: str
    session: str
    csrf: str


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pdf_template(directory: Path) -> bytes:
    from digitize.synthetic import default_family, make_document, write_born_digital_pdf

    doc = make_document("giay_chung_sinh", random.Random(5))
    return write_born_digital_pdf(doc, directory / "scan.pdf", default_family()).read_bytes()


def _communes(count: int) -> list[str]:
    """Units of the register where a birth registration is received and resolved (communes
    and wards): a dossier is opened only at a unit the register lists."""
    from config.catalogue import get_catalogue

    local = [u.code for u in get_catalogue().units if u.receives and u.level in LOCAL_LEVELS]
    assert len(local) >= count, f"the unit register lists {len(local)} communes, {count} needed"
    return local[:count]


def _prepare(count: int) -> list[Client]:
    """Five clerks' accounts, one dossier per client, tokens issued as logins would."""
    from api.accounts import Principal, issue_token
    from api.services import open_dossier
    from config.settings import get_settings
    from storage.accounts import add_user
    from storage.db import open_database
    from storage.enums import TokenKind, UserRole

    settings = get_settings()
    units = _communes(UNITS)
    principals = []
    with open_database(settings).session() as session:
        for n, unit in enumerate(units):
            user = add_user(
                session, username=f"clerk{n}", full_name=f"Cán bộ {n}", role=UserRole.CLERK,
                unit_code=unit, password_hash="not-used", signer_profile=None, actor="bench",
            )  # fmt: skip
            principals.append(Principal.of(user))
    clients = []
    for i in range(count):
        who = principals[i % len(principals)]
        code = open_dossier(
            settings, procedure_code="1.001193", applicant_name=f"Người nộp {i}",
            applicant_id_number=None, unit_code=who.unit_code, actor=who.username,
        )  # fmt: skip
        api = issue_token(settings, who, TokenKind.API)
        page = issue_token(settings, who, TokenKind.SESSION)
        clients.append(Client(code, api.token, page.token, page.principal.csrf_token or ""))
    return clients


async def _request(
    http: httpx.AsyncClient, tally: Tally, kind: str, method: str, url: str, **kw: Any
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        reply = await http.request(method, url, **kw)
    except httpx.HTTPError as e:
        tally.failures.append(f"{kind} {url}: {type(e).__name__} {e}")
        return None
    tally.add(kind, time.perf_counter() - started)
    expected = 201 if method == "POST" else 200
    if reply.status_code != expected:
        tally.failures.append(f"{kind} {url}: HTTP {reply.status_code} {reply.text[:200]}")
        return None
    return reply


@dataclass(frozen=True)
class Mix:
    """How a run's clients behave."""

    uploads: bool
    think: float
    """Mean pause between requests, seconds."""


async def _client_loop(
    base: str, client: Client, template: bytes, until: float, tally: Tally, mix: Mix, seed: int
) -> None:
    """One client's requests until the deadline, pausing `mix.think` on average between
    them (the first pause random, so the clients do not start in step)."""
    rng = random.Random(seed)
    api = {"Authorization": f"Bearer {client.token}"}
    cookies = {"sohoa_session": client.session}
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits, cookies=cookies) as http:
        n = 0
        await asyncio.sleep(rng.uniform(0, 2 * mix.think))
        while time.perf_counter() < until:
            n += 1
            roll = rng.random()
            if mix.uploads and roll < UPLOAD_SHARE:
                body = template + f"\n% upload {seed}-{n}-{rng.random()}\n".encode()
                files = [("files", (f"scan-{n}.pdf", body, "application/pdf"))]
                reply = await _request(
                    http, tally, "upload", "POST", f"/api/dossiers/{client.code}/files",
                    files=files, headers=api,
                )  # fmt: skip
                if reply is not None:
                    for item in reply.json()["files"]:
                        if item["status"] == "stored":
                            tally.stored.append((client.code, item["sha256"], item["document_id"]))
                        else:
                            tally.failures.append(f"upload refused: {item}")
            elif roll < 0.6:
                url = f"/clerk/dossiers/{client.code}" if rng.random() < 0.7 else "/clerk"
                await _request(http, tally, "page", "GET", url)
            else:
                url = f"/api/dossiers/{client.code}" if rng.random() < 0.7 else "/api/dossiers"
                await _request(http, tally, "api", "GET", url, headers=api)
            await asyncio.sleep(rng.uniform(0, 2 * mix.think))


async def _run_clients(
    base: str, clients: list[Client], template: bytes, seconds: float, mix: Mix
) -> tuple[Tally, float]:
    tally = Tally()
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(_client_loop(base, c, template, until, tally, mix, seed=i) for i, c in enumerate(clients))
    )
    return tally, time.perf_counter() - started


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its live descendants."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _phase(
    pid: int, base: str, clients: list[Client], template: bytes, seconds: float, mix: Mix
) -> tuple[Tally, float]:
    """One run of the clients, with the server's CPU time over it."""
    before = _tree_cpu(pid)
    tally, took = asyncio.run(_run_clients(base, clients, template, seconds, mix))
    tally.server_cpu = _tree_cpu(pid) - before
    return tally, took


def _lost_uploads(stored: list[tuple[str, str, int]]) -> list[str]:
    """Acknowledged uploads missing from the database, the blob store or the queue."""
    from config.settings import get_settings
    from storage.blobs import blob_store
    from storage.db import open_database
    from storage.models import Document
    from workers.connection import redis_connection
    from workers.jobs import JOBS, JobKind
    from workers.queues import get_queue

    settings = get_settings()
    blobs = blob_store(settings)
    lost = []
    with redis_connection(settings) as conn:
        queued = set()
        for lane in JOBS[JobKind.DIGITIZE].queues:  # a dossier due soon queues on the urgent one
            queue = get_queue(conn, lane)
            for job_id in queue.job_ids:
                job = queue.fetch_job(job_id)
                if job is not None:
                    queued.add(int(job.args[0]))
    with open_database(settings).session(readonly=True) as session:
        for code, sha, doc_id in stored:
            document = session.get(Document, doc_id)
            if document is None or document.original_sha256 != sha or document.dossier.code != code:
                lost.append(f"document {doc_id} of {code}: no row")
                continue
            path = blobs.path(sha)
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                lost.append(f"document {doc_id}: blob {sha} missing or altered")
            elif doc_id not in queued:
                lost.append(f"document {doc_id}: no digitization job queued")
    return lost


def _summary(tally: Tally, seconds: float) -> dict[str, Any]:
    rows = {}
    for kind, values in sorted(tally.latencies.items()):
        rows[kind] = {
            "requests": len(values),
            "p50_ms": _percentile(values, 0.5),
            "p95_ms": _percentile(values, 0.95),
            "max_ms": max(values),
            "mean_ms": statistics.fmean(values),
        }
    total = sum(r["requests"] for r in rows.values())
    return {
        "seconds": seconds,
        "requests": total,
        "per_second": total / seconds,
        "server_cpu_s": tally.server_cpu,
        "server_cpu_ms_per_request": 1000 * tally.server_cpu / max(total, 1),
        "kinds": rows,
    }


def _serve(data: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env |= {"SOHOA_DATA_DIR": str(data), "SOHOA_LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError(
                f"sohoa serve exited: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("sohoa serve did not answer")


def run(
    quick: bool, clients: int = CLIENTS, seconds: float | None = None, workers: int | None = None
) -> dict[str, Any]:
    """Set up a deployment, measure one client alone, then `clients` at once; check uploads.
    `workers`: server processes (default: what `sohoa serve` starts)."""
    workers = workers or _workers()
    load_seconds = seconds or SECONDS[quick]
    with tempfile.TemporaryDirectory(prefix="sohoa-api-load-") as tmp:
        data = Path(tmp) / "data"
        saved = dict(os.environ)
        os.environ.update({"SOHOA_DATA_DIR": str(data), "SOHOA_LOG_LEVEL": "WARNING"})
        from config.settings import get_settings

        get_settings.cache_clear()
        try:
            prepared = _prepare(clients)
            template = _pdf_template(Path(tmp))
            port = _free_port()
            server = _serve(data, port, workers)
            base = f"http://127.0.0.1:{port}"
            try:
                alone_mix = Mix(uploads=False, think=0.0)
                asyncio.run(_run_clients(base, prepared[:2], template, 2.0, alone_mix))  # warm-up
                alone, alone_s = _phase(
                    server.pid, base, prepared[:1], template, BASELINE_SECONDS[quick], alone_mix
                )
                loadavg = os.getloadavg()[0]
                loaded, loaded_s = _phase(
                    server.pid, base, prepared, template, load_seconds, Mix(True, THINK_SECONDS)
                )
            finally:
                server.terminate()
                server.wait(timeout=30)
            lost = _lost_uploads(loaded.stored)
        finally:
            os.environ.clear()
            os.environ.update(saved)
            get_settings.cache_clear()
    results = _results(clients, alone, alone_s, loaded, loaded_s, lost)
    results["workers"] = workers
    results["loadavg_at_start"] = loadavg
    return results


def _workers() -> int:
    from config import defaults

    return defaults.HTTP_WORKERS


def _results(
    clients: int, alone: Tally, alone_s: float, loaded: Tally, loaded_s: float, lost: list[str]
) -> dict[str, Any]:
    base = _summary(alone, alone_s)
    load = _summary(loaded, loaded_s)
    kinds = load["kinds"]
    results: dict[str, Any] = {
        "clients": clients,
        "workers": _workers(),
        "think_seconds": THINK_SECONDS,
        "baseline": base,
        "load": load,
        "failures": len(loaded.failures) + len(alone.failures),
        "failure_examples": (alone.failures + loaded.failures)[:5],
        "uploads": len(loaded.stored),
        "uploads_lost": len(lost),
        "lost_examples": lost[:5],
    }
    targets = [
        ("failures", results["failures"], "= 0", results["failures"] == 0),
        ("uploads lost", results["uploads_lost"], "= 0", results["uploads_lost"] == 0),
    ]
    for kind in ("page", "api"):
        p95 = kinds.get(kind, {}).get("p95_ms", float("inf"))
        targets.append((f"{kind} reads p95, ms", p95, f"< {TARGET_P95_MS:g}", p95 < TARGET_P95_MS))
    results["targets"] = [
        {"label": label, "value": value, "goal": goal, "met": met}
        for label, value, goal, met in targets
    ]
    results["summary_rows"] = _summary_rows(results)
    return results


def _summary_rows(results: dict[str, Any]) -> list[tuple[str, ...]]:
    """(figure, sohoa, baseline, ratio, target, verdict) rows for bench/summary.py's table."""
    load, alone = results["load"]["kinds"], results["baseline"]["kinds"]
    clients = results["clients"]
    rows: list[tuple[str, ...]] = []
    for kind in ("page", "api"):
        row, base = load.get(kind), alone.get(kind)
        if row is None or base is None:
            rows.append(
                (f"{kind} reads p95 ms, {clients} clients", "-", "-", "-", "< 300", "NOT MET")
            )
            continue
        met = row["p95_ms"] < TARGET_P95_MS
        rows.append((
            f"{kind} reads p95 ms, {clients} clients",
            f"{row['p95_ms']:.0f}",
            f"1 client alone: {base['p95_ms']:.0f}",
            f"{row['p95_ms'] / base['p95_ms']:.1f}x",
            f"< {TARGET_P95_MS:g}",
            "met" if met else "NOT MET",
        ))  # fmt: skip
        rows.append((
            f"{kind} reads p50 ms, {clients} clients",
            f"{row['p50_ms']:.0f}",
            f"1 client alone: {base['p50_ms']:.0f}",
            f"{row['p50_ms'] / base['p50_ms']:.1f}x",
            "-",
            "-",
        ))  # fmt: skip
    cpu, cpu_alone = (
        results["load"]["server_cpu_ms_per_request"],
        results["baseline"]["server_cpu_ms_per_request"],
    )
    rows.append((
        f"server CPU ms per request, {clients} clients",
        f"{cpu:.1f}",
        f"1 client alone: {cpu_alone:.1f}",
        f"{cpu / cpu_alone:.1f}x" if cpu_alone else "-",
        "-",
        "-",
    ))  # fmt: skip
    total = results["load"]["requests"]
    failed = results["failures"]
    rows.append((f"requests failed (of {total})", str(failed), "-", "-", "= 0",
                 "met" if failed == 0 else "NOT MET"))  # fmt: skip
    lost = results["uploads_lost"]
    rows.append((f"uploads lost (of {results['uploads']} stored)", str(lost), "-", "-", "= 0",
                 "met" if lost == 0 else "NOT MET"))  # fmt: skip
    return rows


def table(results: dict[str, Any]) -> list[str]:
    """The figures as text lines, targets last."""
    load, base = results["load"], results["baseline"]
    lines = [
        f"Web service under load: {results['clients']} clients on loopback for "
        f"{load['seconds']:.0f} s, a request every {THINK_SECONDS:g} s on average each (1 upload "
        f"in {round(1 / UPLOAD_SHARE)}), sohoa serve ({results['workers']} processes) on SQLite; "
        "baseline: 1 client alone, reads back to back",
        f"{'requests':<10}{'n':>7}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        f"{'alone p50':>11}{'alone p95':>11}{'p95 x':>7}",
    ]
    for kind, row in load["kinds"].items():
        alone = base["kinds"].get(kind)
        extra = f"{'-':>11}{'-':>11}{'-':>7}"
        if alone:
            ratio = row["p95_ms"] / alone["p95_ms"]
            extra = f"{alone['p50_ms']:>11.1f}{alone['p95_ms']:>11.1f}{ratio:>7.1f}"
        lines.append(
            f"{kind:<10}{row['requests']:>7}{row['requests'] / load['seconds']:>8.1f}"
            f"{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['max_ms']:>9.1f}{extra}"
        )
    lines.append(
        f"total {load['requests']} requests ({load['per_second']:.0f}/s), "
        f"{results['failures']} failed; {results['uploads']} uploads stored, "
        f"{results['uploads_lost']} lost (database, blob store re-hashed, queue checked)"
    )
    lines.append(
        f"server CPU per request (uvicorn processes and Redis): "
        f"{load['server_cpu_ms_per_request']:.1f} ms under load (all kinds), "
        f"{base['server_cpu_ms_per_request']:.1f} ms alone (reads); "
        f"1-minute load average at the start: {results.get('loadavg_at_start', 0.0):.2f} "
        f"on {os.cpu_count()} cores"
    )
    lines += [f"  failure: {f}" for f in results["failure_examples"]]
    lines += [f"  lost: {f}" for f in results["lost_examples"]]
    lines.append(f"{'target':<24}{'measured':>10}{'goal':>10}  verdict")
    for t in results["targets"]:
        verdict = "met" if t["met"] else "NOT MET"
        lines.append(f"{t['label']:<24}{t['value']:>10.1f}{t['goal']:>10}  {verdict}")
    return lines


def main() -> None:
    """Command line: the load benchmark alone."""
    parser = argparse.ArgumentParser(prog="python -m bench.api_load", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help=f"{SECONDS[1]:g} s instead of {SECONDS[0]:g}"
    )
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--workers", type=int, help="server processes [default: sohoa serve's]")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    results = run(args.quick, args.clients, args.seconds, args.workers)
    print(json.dumps(results, indent=1) if args.json else "\n".join(table(results)))


if __name__ == "__main__":
    main()
