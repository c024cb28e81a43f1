"""Archive benchmark: search over 100,000 archived documents, archiving a 20-page dossier,
fixity throughput, each measured in this run against issue 6's target.

    .venv/bin/python -m bench.archive [--quick]

- Search (SQLite, the embedded default): 100,000 generated documents (10,000 with
  --quick) indexed as archived records (bench.archive_data). The queries are typed as a
  user without Vietnamese diacritics would (case kept, marks dropped, đ as d), drawn from
  random documents: a person's name; the document's title and the name; a personal ID
  number; a 4-word phrase of its text, quoted; its dossier code; a name filtered by
  document type. Latency is per query as `sohoa search` runs it (one read transaction,
  20 results, snippets), after one warm-up pass, three passes; p50/p95/max over all.
  Recall: every document whose text holds the query's words (the phrase's words in
  order; for a dossier code, the dossier's documents) must be among the results. It is
  judged by brute force over the generated texts, stripped of marks by this benchmark's
  own code (archive_data.strip_marks), not by sohoa's folding.
- Archiving: a 20-page dossier (five scanned documents, 19 pages, rendered at 200 dpi,
  their PDF/A-2b and originals; a born-digital result signed PAdES B-LTA by the leader and
  the seal with the test PKI) archived by signing.flow.archive.run_archive, as `sohoa
  archive` does: plan, signature verification (signing.verification.run), PDF/A validation of the
  signed result, bag, seal, replica, database. The time spent in verify_pdf is reported
  apart; the target is on the rest. The first run makes version 1, the others add
  corrected versions (the same work).
- Fixity: large packages (four 6 MB incompressible scans each, as big JPEGs are) checked
  by storage.archive.fixity.run_fixity, both copies read: with the files in the page
  cache, and after evicting them (posix_fadvise DONTNEED), which is how a nightly check
  finds most of them. Baseline: bagit.py's own Bag.validate() on one copy. Throughput is
  package bytes read per wall second. The target is judged on the evicted run.

Wall-clock figures move with whatever else the machine does; run() returns them all.
"""

# ruff: noqa: PLC0415  # each part imports what it measures when it runs

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import archive_data
from bench.archive_data import CorpusDocument, strip_marks, tokens

TARGET_P95_MS = 100.0
TARGET_RECALL = 1.0
TARGET_ARCHIVE_S = 2.0
TARGET_FIXITY_MBPS = 200.0
SEARCH_DOCUMENTS = (100_000, 10_000)
"""Documents in the search corpus: full run, --quick."""
QUERIES_PER_KIND = (40, 15)
ARCHIVE_RUNS = (5, 2)
FIXITY_PACKAGES = ((40, 6 * 2**20), (8, 4 * 2**20))
"""(packages, bytes per scan): about 1 GB per copy in a full run, 130 MB with --quick."""
PASSES = 3


@contextmanager
def _deployment(directory: Path, **env: str) -> Iterator[Any]:
    """Settings for a deployment in `directory` (environment set, caches cleared)."""
    from config.catalogue import get_catalogue
    from config.retention import get_retention_policy
    from config.settings import get_settings

    saved = dict(os.environ)
    os.environ.update({"SOHOA_DATA_DIR": str(directory), "SOHOA_LOG_LEVEL": "WARNING", **env})
    for cached in (get_settings, get_catalogue, get_retention_policy):
        cached.cache_clear()
    try:
        yield get_settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        for cached in (get_settings, get_catalogue, get_retention_policy):
            cached.cache_clear()


# --- search ------------------------------------------------------------------------------


def _name(doc: CorpusDocument, rng: random.Random) -> str | None:
    names = [v for k, v in doc.fields.items() if k.endswith("full_name")]
    return strip_marks(rng.choice(names)) if names else None


def _phrase(doc: CorpusDocument, rng: random.Random) -> str | None:
    words = doc.body.split()
    if len(words) < 8:
        return None
    start = rng.randrange(len(words) - 4)
    return '"' + " ".join(words[start : start + 4]) + '"'


def _query(kind: str, doc: CorpusDocument, rng: random.Random) -> dict[str, Any] | None:
    """One query of a kind, drawn from a document: its text and filters."""
    name = _name(doc, rng)
    ids = [v for k, v in doc.fields.items() if k.endswith("id_number")]
    text = {
        "name": name,
        "title+name": f"{strip_marks(doc.title)} {name}" if name else None,
        "id number": rng.choice(ids) if ids else None,
        "phrase": _phrase(doc, rng),
        "dossier code": doc.dossier_code,
        "name+type": name,
    }[kind]
    if text is None:
        return None
    filters = {"document_type": doc.doc_type} if kind == "name+type" else {}
    return {"kind": kind, "text": text, "filters": filters, "source": doc.document_id}


def _expected(query: dict[str, Any], corpus: list[CorpusDocument]) -> set[int]:
    """Brute force: the documents whose text holds the words (or the phrase), or, for a
    dossier code, the dossier's documents."""
    if query["kind"] == "dossier code":
        return {d.document_id for d in corpus if d.dossier_code == query["text"]}
    text: str = query["text"]
    wanted_type = query["filters"].get("document_type")
    if text.startswith('"'):
        needle = " " + " ".join(tokens(text)) + " "
        return {d.document_id for d in corpus if needle in d.body}
    words = [f" {w} " for w in tokens(text)]
    return {
        d.document_id
        for d in corpus
        if (wanted_type is None or d.doc_type == wanted_type) and all(w in d.body for w in words)
    }


KINDS = ("name", "title+name", "id number", "phrase", "dossier code", "name+type")


def _queries(corpus: list[CorpusDocument], per_kind: int, seed: int = 9) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    found = []
    for kind in KINDS:
        made = 0
        while made < per_kind:
            query = _query(kind, rng.choice(corpus), rng)
            if query is not None:
                query["expected"] = _expected(query, corpus)
                found.append(query)
                made += 1
    return found


def _timed_search(database: Any, query: dict[str, Any], **options: Any) -> tuple[float, list[int]]:
    from storage.search.engine import SearchFilters, search

    started = time.perf_counter()
    with database.session(readonly=True) as session:
        hits = search(session, query["text"], SearchFilters(**query["filters"]), **options)
    return time.perf_counter() - started, [h.document_id for h in hits]


def _search(quick: bool) -> dict[str, Any]:
    from storage.db import Database

    n_docs = SEARCH_DOCUMENTS[1 if quick else 0]
    with (
        tempfile.TemporaryDirectory(prefix="sohoa-bench-search-") as tmp,
        _deployment(Path(tmp)) as settings,
    ):
        database = Database(f"sqlite:///{Path(tmp) / 'search.db'}")
        database.upgrade()
        started = time.perf_counter()
        corpus = list(archive_data.build_corpus(database, settings, n_docs))
        indexing = time.perf_counter() - started
        queries = _queries(corpus, QUERIES_PER_KIND[1 if quick else 0])
        for query in queries:  # recall: every result, no snippets
            _, ids = _timed_search(database, query, limit=10 * n_docs, snippet_chars=0)
            query["found"] = len(query["expected"] & set(ids))
            query["source_found"] = query["source"] in ids
        for query in queries:
            _timed_search(database, query)  # warm-up pass
        for query in queries:
            query["ms"] = [1000 * _timed_search(database, query)[0] for _ in range(PASSES)]
        size = Path(tmp, "search.db").stat().st_size
        database.dispose()
    return _search_results(queries, n_docs, indexing, size)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _search_results(
    queries: list[dict[str, Any]], n_docs: int, indexing: float, size: int
) -> dict[str, Any]:
    rows = []
    for kind in (*KINDS, "all"):
        chosen = [q for q in queries if kind in ("all", q["kind"])]
        times = [t for q in chosen for t in q["ms"]]
        expected = sum(len(q["expected"]) for q in chosen)
        rows.append(
            {
                "kind": kind,
                "queries": len(chosen),
                "expected": expected,
                "recall": sum(q["found"] for q in chosen) / expected if expected else 1.0,
                "sources_found": sum(q["source_found"] for q in chosen),
                "p50_ms": _percentile(times, 0.5),
                "p95_ms": _percentile(times, 0.95),
                "max_ms": max(times),
            }
        )
    return {
        "documents": n_docs,
        "indexing_docs_per_s": n_docs / indexing,
        "database_mb": size / 2**20,
        "rows": rows,
        "examples": [
            {"kind": q["kind"], "query": q["text"]} for q in queries[:: max(1, len(queries) // 12)]
        ],
    }


# --- archiving ---------------------------------------------------------------------------


@contextmanager
def _timing(module: Any, name: str, spent: list[float]) -> Iterator[None]:
    """Wrap module.name so the time spent in it is added to spent[0]."""
    real: Callable[..., Any] = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    setattr(module, name, timed)
    try:
        yield
    finally:
        setattr(module, name, real)


def _archive_runs(settings: Any, code: str, runs: int) -> list[dict[str, float]]:
    import signing.pdfa
    import signing.verification.archival as archival
    from signing.flow.archive import run_archive

    found = []
    for n in range(runs):
        verify, pdfa = [0.0], [0.0]
        with _timing(archival, "verify_pdf", verify), _timing(signing.pdfa, "conforms", pdfa):
            started, cpu = time.perf_counter(), time.process_time()
            summary = run_archive(
                settings, code, actor="bench", correction=f"run {n}" if n else None
            )
            total, cpu = time.perf_counter() - started, time.process_time() - cpu
        found.append(
            {
                "total_s": total,
                "cpu_s": cpu,
                "verify_s": verify[0],
                "pdfa_s": pdfa[0],
                "archiving_s": total - verify[0],
                "files": summary.files,
                "mb": summary.bytes / 2**20,
                "pages": summary.pages,
            }
        )
    return found


def _archive(quick: bool) -> dict[str, Any]:
    from signing.testpki import PkiServer, create_test_pki
    from storage.db import open_database

    with tempfile.TemporaryDirectory(prefix="sohoa-bench-archive-") as tmp:
        pki = create_test_pki(Path(tmp) / "pki")
        server = PkiServer(pki)
        server.start()
        env = {
            "SOHOA_SIGNING_KEY_DIR": str(pki.directory / "keys"),
            "SOHOA_SIGN_PASSPHRASE": pki.passphrase,
            "SOHOA_TSA_URL": pki.tsa_url,
            "SOHOA_TRUST_ROOTS": str(pki.root_cert),
        }
        try:
            with _deployment(Path(tmp) / "data", **env) as settings:
                database = open_database(settings)
                scans = Path(tmp) / "scans"
                scans.mkdir()
                code = archive_data.build_signed_dossier(database, settings, scans)
                runs = _archive_runs(settings, code, ARCHIVE_RUNS[1 if quick else 0])
                database.dispose()
        finally:
            server.server.shutdown()
            server.server.server_close()
    middle = statistics.median(r["archiving_s"] for r in runs)
    return {"runs": runs, "median_archiving_s": middle}


# --- fixity ------------------------------------------------------------------------------


def _evict(root: Path) -> None:
    """Drop a tree's files from the page cache, so they are read from the disk again."""
    for path in root.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def _fixity_run(database: Any, settings: Any) -> dict[str, float]:
    from storage.archive.fixity import run_fixity
    from storage.archive.layout import ArchiveRoots

    started = time.perf_counter()
    reports = run_fixity(database, ArchiveRoots.from_settings(settings), share=None, actor="bench")
    seconds = time.perf_counter() - started
    read = sum(r.bytes_read for r in reports)
    if any(not r.ok for r in reports):
        raise RuntimeError("the benchmark's packages did not pass fixity")
    return {"seconds": seconds, "mb": read / 2**20, "mb_per_s": read / 2**20 / seconds}


def _bagit_baseline(settings: Any) -> dict[str, float]:
    import bagit

    bags = [p.parent for p in settings.archive_path.glob("*/v*/bagit.txt")]
    size = sum(f.stat().st_size for bag in bags for f in bag.rglob("*") if f.is_file())
    started = time.perf_counter()
    for bag in bags:
        bagit.Bag(str(bag)).validate()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "mb": size / 2**20, "mb_per_s": size / 2**20 / seconds}


def _fixity(quick: bool) -> dict[str, Any]:
    from storage.db import open_database

    count, scan_bytes = FIXITY_PACKAGES[1 if quick else 0]
    with (
        tempfile.TemporaryDirectory(prefix="sohoa-bench-fixity-") as tmp,
        _deployment(Path(tmp)) as settings,
    ):
        database = open_database(settings)
        sealed = archive_data.build_large_packages(database, settings, count, scan_bytes)
        warm = _fixity_run(database, settings)
        for root in (settings.archive_path, settings.archive_replica_path):
            _evict(root)
        cold = _fixity_run(database, settings)
        baseline = _bagit_baseline(settings)
        database.dispose()
    return {
        "packages": count,
        "mb_per_copy": sealed / 2**20,
        "warm": warm,
        "cold": cold,
        "bagit_validate": baseline,
    }


# --- the whole benchmark -----------------------------------------------------------------


def run(quick: bool) -> dict[str, Any]:
    """Every part; the figures, and whether each target is met."""
    import logging

    logging.basicConfig(level=logging.WARNING)
    results: dict[str, Any] = {"quick": quick}
    results["search"] = _search(quick)
    results["archive"] = _archive(quick)
    results["fixity"] = _fixity(quick)
    overall = results["search"]["rows"][-1]
    results["targets"] = [
        _target(
            "search p95, ms",
            overall["p95_ms"],
            f"< {TARGET_P95_MS:g}",
            overall["p95_ms"] < TARGET_P95_MS,
        ),
        _target("search recall", overall["recall"], "= 100%", overall["recall"] >= TARGET_RECALL),
        _target(
            "archiving - verification, s",
            results["archive"]["median_archiving_s"],
            f"< {TARGET_ARCHIVE_S:g}",
            results["archive"]["median_archiving_s"] < TARGET_ARCHIVE_S,
        ),
        _target(
            "fixity (evicted), MB/s",
            results["fixity"]["cold"]["mb_per_s"],
            f">= {TARGET_FIXITY_MBPS:g}",
            results["fixity"]["cold"]["mb_per_s"] >= TARGET_FIXITY_MBPS,
        ),
    ]
    return results


def _target(label: str, value: float, goal: str, met: bool) -> dict[str, Any]:
    return {"label": label, "value": value, "goal": goal, "met": met}


def _search_lines(search: dict[str, Any]) -> list[str]:
    lines = [
        f"Search: {search['documents']:,} documents indexed as archived records, SQLite FTS5 "
        f"({search['database_mb']:.0f} MB database; indexed at "
        f"{search['indexing_docs_per_s']:,.0f} documents/s), queries without diacritics",
        f"{'queries':<14}{'n':>4}{'relevant':>10}{'recall':>9}{'source':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}",
    ]
    for row in search["rows"]:
        lines.append(
            f"{row['kind']:<14}{row['queries']:>4}{row['expected']:>10}"
            f"{100 * row['recall']:>8.2f}%{row['sources_found']:>8}"
            f"{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['max_ms']:>9.1f}"
        )
    lines.append("e.g. " + "; ".join(e["query"] for e in search["examples"][:6]))
    return lines


def _archive_lines(archive: dict[str, Any]) -> list[str]:
    first = archive["runs"][0]
    lines = [
        f"Archiving a {first['pages']}-page dossier (5 scanned documents, a result signed "
        f"PAdES B-LTA by leader and seal): {first['files']} files, {first['mb']:.1f} MB per copy",
        f"{'run':<5}{'total s':>9}{'CPU s':>8}{'verify_pdf s':>14}{'PDF/A s':>9}"
        f"{'archiving s':>13}  (total - verification)",
    ]
    for n, row in enumerate(archive["runs"], 1):
        lines.append(
            f"{n:<5}{row['total_s']:>9.2f}{row['cpu_s']:>8.2f}{row['verify_s']:>14.2f}"
            f"{row['pdfa_s']:>9.2f}{row['archiving_s']:>13.2f}"
        )
    return lines


def _fixity_lines(fixity: dict[str, Any]) -> list[str]:
    return [
        f"Fixity: {fixity['packages']} packages, {fixity['mb_per_copy']:.0f} MB per copy, "
        "both copies hashed against the database's digests",
        f"  page cache warm : {fixity['warm']['mb_per_s']:7.0f} MB/s "
        f"({fixity['warm']['mb']:.0f} MB in {fixity['warm']['seconds']:.2f} s)",
        f"  evicted (disk)  : {fixity['cold']['mb_per_s']:7.0f} MB/s "
        f"({fixity['cold']['mb']:.0f} MB in {fixity['cold']['seconds']:.2f} s)",
        f"  bagit validate  : {fixity['bagit_validate']['mb_per_s']:7.0f} MB/s "
        "(bagit.py Bag.validate, one copy, baseline)",
    ]


def table(results: dict[str, Any]) -> list[str]:
    """The results as text lines, targets last."""
    lines = [
        *_search_lines(results["search"]),
        "",
        *_archive_lines(results["archive"]),
        "",
        *_fixity_lines(results["fixity"]),
        "",
        f"{'target':<30}{'measured':>10}{'goal':>10}  verdict",
    ]
    for target in results["targets"]:
        value = target["value"]
        shown = f"{100 * value:.2f}%" if "recall" in target["label"] else f"{value:.2f}"
        verdict = "met" if target["met"] else "NOT MET"
        lines.append(f"{target['label']:<30}{shown:>10}{target['goal']:>10}  {verdict}")
    return lines


def main() -> None:
    """Command line: the whole archive benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench.archive", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller corpus and archive")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    results = run(args.quick)
    print(json.dumps(results, indent=1, default=str) if args.json else "\n".join(table(results)))


if __name__ == "__main__":
    main()
