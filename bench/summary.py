"""The one table `make bench` prints: every figure beside its named baseline, measured in
the same run, and its target with a verdict.

Each part of the benchmark keeps its own detailed figures in results.json (and prints them
with `--details`); this module only picks, for each, the figure a target is about.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import classify as classify_bench
from bench import producers as producers_bench
from bench import reading as reading_bench
from bench import report, stacks


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    part: str
    figure: str
    sohoa: str
    baseline: str
    """The baseline's name and its value, measured in the same run; "-" when none applies."""
    ratio: str
    target: str
    verdict: str
    """met, NOT MET, or "-" for a figure with no target (shown for context)."""


def _v(met: bool | None) -> str:
    return "-" if met is None else ("met" if met else "NOT MET")


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0 or math.isnan(a) or math.isnan(b):
        return "-"
    return f"{a / b:.2f}x"


def _pct(x: float | None) -> str:
    return "-" if x is None or math.isnan(x) else f"{100 * x:.2f}%"


def digitization(r: dict[str, Any]) -> list[Row]:
    """The digitization targets (report.checks), with sohoa's and the baseline's values."""
    by = {row["engine"]: row for row in r["engines"]}
    failed = any(row["errors"] for row in r["engines"])
    checks = {c.label: c for c in report.checks(r)}
    rows = []
    for label, key, base, fmt in (
        ("hard CER / tesseract", "cer_hard", "tesseract", _pct),
        ("hard CER / ocrmypdf", "cer_hard", "ocrmypdf", _pct),
        ("office CER / tesseract", "cer_office", "tesseract", _pct),
        ("office CER / ocrmypdf", "cer_office", "ocrmypdf", _pct),
        ("clean CER / tesseract", "cer_clean", "tesseract", _pct),
        ("CPU / tesseract", "cpu_per_page", "tesseract", lambda x: f"{x:.2f} s/p"),
        ("CPU clean / tesseract", "cpu_clean", "tesseract", lambda x: f"{x:.2f} s/p"),
        ("CPU mild / tesseract", "cpu_mild", "tesseract", lambda x: f"{x:.2f} s/p"),
        ("CPU hard / tesseract", "cpu_hard", "tesseract", lambda x: f"{x:.2f} s/p"),
        ("CPU office / tesseract", "cpu_office", "tesseract", lambda x: f"{x:.2f} s/p"),
        ("CPU / ocrmypdf", "cpu_per_page", "ocrmypdf", lambda x: f"{x:.2f} s/p"),
    ):
        if label not in checks or base not in by:
            continue
        s, b, c = by["sohoa"][key], by[base][key], checks[label]
        rows.append(
            Row(
                "digitization",
                label.split(" / ")[0],
                fmt(s),
                f"{base} {fmt(b)}",
                _ratio(s, b),
                c.goal + "x",
                _v(c.met and not failed),
            )
        )
    for label in ("JPEG output / input", "born-digital CER", "born-digital s/page"):
        c = checks[label]
        rows.append(
            Row("digitization", label, f"{c.value:.3f}", "-", "-", c.goal, _v(c.met and not failed))
        )
    return rows


def classification(s: dict[str, Any]) -> list[Row]:
    """Document type and ID figures of sohoa's own page reading against the rule-only
    classifier and the any-12-digits ID finder."""
    view = s["pipeline"]
    baselines = {
        "type_cm": ("rules", "baseline_type_cm"),
        "type_hard": ("rules", "baseline_type_hard"),
        "id_recall": ("12 digits", "baseline_id_recall"),
        "id_precision": ("12 digits", "baseline_id_precision"),
    }
    rows = []
    for key, (limit, sense) in classify_bench.TARGETS.items():
        value = s["ms"] if key == "ms" else view.get(key)
        name, base_key = baselines.get(key, ("-", ""))
        base = view.get(base_key) if base_key else None
        shown = (lambda x: "-" if x is None else f"{x:.1f} ms") if key == "ms" else _pct
        met = None if value is None else (value >= limit if sense == ">=" else value < limit)
        rows.append(
            Row(
                "classification",
                key,
                shown(value),
                f"{name} {shown(base)}" if base_key else "-",
                _ratio(value, base),
                f"{sense} {shown(limit)}",
                _v(met),
            )
        )
    return rows


def signing(r: dict[str, Any]) -> list[Row]:
    """Signatures per second, batch against one plain pyHanko sign_pdf per document."""
    return [
        Row(
            "signing",
            f"{row['level']} {row['pages']} p, sig/s",
            f"{row['sohoa']['per_s']:.1f}",
            f"pyHanko {row['plain']['per_s']:.1f}",
            f"{row['ratio_wall']:.2f}x",
            f">= {r['target_ratio']:g}x",
            _v(row["ratio_wall"] >= r["target_ratio"] and row["memory_ok"]),
        )
        for row in r["rows"]
    ]


def archive(r: dict[str, Any]) -> list[Row]:
    """Search, archiving and fixity targets; fixity against bagit's own validation."""
    rows = []
    bagit = r["fixity"]["bagit_validate"]["mb_per_s"]
    for t in r["targets"]:
        fixity = t["label"].startswith("fixity")
        value = f"{100 * t['value']:.2f}%" if "recall" in t["label"] else f"{t['value']:.2f}"
        rows.append(
            Row(
                "archive",
                t["label"],
                value,
                f"bagit {bagit:.0f}" if fixity else "-",
                _ratio(t["value"], bagit) if fixity else "-",
                t["goal"],
                _v(t["met"]),
            )
        )
    return rows


def _cores(run: dict[str, Any]) -> str:
    """Machine busy / workers / stolen cores of one scale run (absent in older results)."""
    if "machine_busy_cores" not in run:
        return "-"
    return f"{run['machine_busy_cores']:.1f}/{run['workers_cores']:.1f}/{run['steal_cores']:.1f}"


def scale(r: dict[str, Any]) -> list[Row]:
    """Pages per minute through the queue, 2 workers against 1, and memory per worker."""
    one, two, mem = r["one"], r["two"], r["memory"]  # memory: a run of its own
    load = f" (load {one['load_1min_at_start']:.1f}/{two['load_1min_at_start']:.1f})"
    return [
        Row(
            "end to end",
            f"pages/min, 2 workers{load}",
            f"{two['pages_per_minute']:.1f}",
            f"1 worker {one['pages_per_minute']:.1f}",
            f"{r['scaling']:.2f}x",
            f">= {r['scaling_target']:g}x",
            _v(r["scaling_met"]),
        ),
        Row(
            "end to end",
            "cores machine/workers/stolen, 2 workers",
            _cores(two),
            f"1 worker {_cores(one)}",
            "-",
            "-",
            "-",
        ),
        Row(
            "end to end",
            "CPU s/page through the queue, 2 workers",
            f"{two['cpu_s_per_page']:.2f}",
            f"1 worker {one['cpu_s_per_page']:.2f}",
            _ratio(two["cpu_s_per_page"], one["cpu_s_per_page"]),
            "-",
            "-",
        ),
        *(
            Row(
                "end to end",
                f"{label}, {r['memory_pages']} p 300 dpi",
                f"{mem[key]:.0f}",
                f"worker waiting {mem['at_rest'][key]:.0f}",
                _ratio(mem[key], mem["at_rest"][key]),
                f"< {r['memory_target_mb']:g} MB",
                _v(mem[key] < r["memory_target_mb"]) if r["memory_pages"] >= 100 else "- quick",
            )
            for label, key in (
                ("peak MB/worker, PSS", "worker_pss_mb"),
                ("peak MB, horse+OCR RSS", "horse_rss_mb"),
            )
        ),
    ]


def drain(r: dict[str, Any]) -> list[Row]:
    """Per-job CPU of draining no-op jobs: each kind of sohoa worker against bare rq, and
    how much of the difference is forking a process that holds the worker's stack."""
    per, target = r["ms_per_job"], r["target_ms"]
    bare = per["bare rq"]
    rows = []
    for kind, beyond in r["beyond_stack_cpu_ms_per_job"].items():
        worker, stack = per[f"sohoa {kind} worker"], per[f"rq + {kind} stack"]
        headline = kind == r["headline"]
        over = worker["cpu"] - bare["cpu"]
        rows += [
            Row(
                "queue",
                f"ms/job CPU, `{kind}` worker, {worker['jobs']:,.0f} no-op jobs",
                f"{worker['cpu']:.1f}",
                f"bare rq {bare['cpu']:.1f}",
                f"{over:+.1f} ms",
                f"< +{target:g} ms" if headline else "-",
                _v(over < target) if headline else "-",
            ),
            Row(
                "queue",
                f"  of which forking its stack ({stack['anon_mb']:.0f} MB anon)",
                f"{stack['cpu']:.1f}",
                f"bare rq {bare['cpu']:.1f}",
                f"{stack['cpu'] - bare['cpu']:+.1f} ms",
                "-",
                "-",
            ),
            Row(
                "queue",
                "  sohoa's own beyond rq holding that stack",
                f"{worker['cpu']:.1f}",
                f"rq + stack {stack['cpu']:.1f}",
                f"{beyond:+.1f} ms",
                f"< +{target:g} ms",
                _v(beyond < target),
            ),
        ]
    return rows


def producers(r: dict[str, Any]) -> list[Row]:
    """Dossiers received by 4 processes at once: per second against 1, and integrity."""
    many, one, figures = r["many"], r["one"], r["figures"]
    return [
        Row(
            "reception",
            f"dossiers/s, {many['producers']} producer processes ({r['database']})",
            f"{many['per_s']:.1f}",
            f"1 producer {one['per_s']:.1f}",
            _ratio(many["per_s"], one["per_s"]),
            "-",
            "-",
        ),
        Row(
            "reception",
            f"codes lost / duplicated of {figures['expected']}",
            f"{figures['lost']} / {figures['duplicated']}",
            f"1 producer {r['one_figures']['lost']} / {r['one_figures']['duplicated']}",
            "-",
            "0 / 0",
            _v(producers_bench.ok(figures)),
        ),
    ]


def api_load(r: dict[str, Any]) -> list[Row]:
    """API load figures from bench/api_load.py (the HTTP API's issue): its `summary_rows`
    (figure, sohoa, baseline, ratio, target, verdict) if it gives them, else its targets
    ({label, value, goal, met}) as the archive part gives them."""
    if "summary_rows" in r:
        return [Row("api", *map(str, row)) for row in r["summary_rows"]]
    if "targets" in r:
        return [
            Row("api", t["label"], f"{t['value']:.2f}", "-", "-", t["goal"], _v(t["met"]))
            for t in r["targets"]
        ]
    return [Row("api", "measured: see results.json", "-", "-", "-", "-", "-")]


def understanding(part: dict[str, Any]) -> list[Row]:
    """Real documents (vn-admin-real): type, fields and stacks against issue 18's targets."""
    out: list[Row] = []
    for reading, label in (("sohoa", "real"), ("poppler", "real, widgets read")):
        s = part[reading]["summary"]
        for figure, value, target, good in (
            ("type accuracy", f"{s['type']:.0%}", ">= 95%", s["type"] >= 0.95),
            ("types confidently wrong", str(s["sure_wrong"]), "0", s["sure_wrong"] == 0),
            ("number exact", f"{s['number']:.0%}", ">= 90%", s["number"] >= 0.9),
            ("date exact", f"{s['date']:.0%}", ">= 90%", s["date"] >= 0.9),
            ("issuing body", f"{s['issuer']:.0%}", ">= 85%", s["issuer"] >= 0.85),
            ("multi-page files cut", f"{s['cut']}/{s['multi_page']}", "0", s["cut"] == 0),
        ):
            verdict = "met" if good else "NOT MET"
            row = Row("understanding", f"{figure} ({label})", value, "-", "-", target, verdict)
            out.append(row)
    if "generated_stacks" in part:
        g = part["generated_stacks"]["total"]
        exact = g["stacks_exact"] / max(1, g["stacks"])
        out += [
            Row(
                "understanding",
                "multi-page documents cut (generated)",
                f"{g['multi_cut']}/{g['multi']}",
                "-",
                "-",
                "0",
                _v(g["multi_cut"] == 0),
            ),
            Row(
                "understanding",
                f"stacks of {stacks.STACK_SIZE} cut exactly right (generated)",
                f"{exact:.0%}",
                "-",
                "-",
                f">= {stacks.TARGET_STACKS_EXACT:.0%}",
                _v(exact >= stacks.TARGET_STACKS_EXACT),
            ),
        ]
    return out


def reading(r: dict[str, Any]) -> list[Row]:
    """Real documents (vn-admin-real): page-1 errors of the transcribed scans against plain
    Tesseract and OCRmyPDF (word error, the recall-only words missed, character error), CPU
    per scanned page, refusals, PDF/A and the signed letters'
    number and date (issue 17's targets)."""
    by = {e["engine"]: e for e in r["engines"]}
    sohoa = by["sohoa"]
    out: list[Row] = []
    for key, figure in (
        ("wer", "real scans word error"),
        ("missed", "real scans words missed"),
        ("cer", "real scans char error"),
    ):
        for base in ("tesseract", "ocrmypdf"):
            if base in by:
                value, other = sohoa[key], by[base][key]
                out.append(
                    Row(
                        "reading",
                        f"{figure} / {base}",
                        _pct(value),
                        f"{base} {_pct(other)}",
                        _ratio(value, other),
                        "< 1x",
                        _v(value < other),
                    )
                )
    cpu, base_cpu = sohoa["cpu_per_page"], by["tesseract"]["cpu_per_page"]
    ratio_ok = cpu is not None and base_cpu and cpu / base_cpu <= reading_bench.CPU_RATIO
    out.append(
        Row(
            "reading",
            f"real scans CPU ({by['tesseract']['pages']} pages)",
            f"{cpu:.2f} s/p",
            f"tesseract {base_cpu:.2f} s/p",
            _ratio(cpu, base_cpu),
            f"<= {reading_bench.CPU_RATIO}x",
            _v(bool(ratio_ok)),
        )
    )
    found = sum(b["ok"] for b in r["born_digital"])
    for figure, value, target, good in (
        ("real files refused", str(len(r["refused"])), "0", not r["refused"]),
        (
            "real files PDF/A-2b or kept signed",
            f"{r['pdfa_or_reason']:.0%}",
            "100%",
            r["pdfa_or_reason"] == 1.0,
        ),
        (
            "real files unsigned: PDF/A-2b",
            f"{r['unsigned_pdfa']:.0%}",
            "100%",
            r["unsigned_pdfa"] == 1.0,
        ),
        (
            "signed e-office letters: number and date",
            f"{found}/{len(r['born_digital'])}",
            "all",
            found == len(r["born_digital"]),
        ),
    ):
        out.append(Row("reading", figure, value, "-", "-", target, _v(good)))
    return out


PARTS: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "digitization": digitization,
    "reading": reading,
    "classification": classification,
    "understanding": understanding,
    "signing": signing,
    "archive": archive,
    "api_load": api_load,
    "scale": scale,
    "drain": drain,
    "producers": producers,
}

COLUMNS = (
    ("part", 14),
    ("figure", 48),
    ("sohoa", 10),
    ("baseline (same run)", 24),
    ("ratio", 10),
    ("target", 12),
    ("verdict", 9),
)


def rows(results: dict[str, Any]) -> list[Row]:
    """The table's rows for whichever parts were run; a part that failed says so."""
    out: list[Row] = []
    for name, adapter in PARTS.items():
        if name not in results:
            continue
        part = results[name]
        if "error" in part:
            out.append(Row(name, "not measured (see below)", "-", "-", "-", "-", "-"))
            continue
        out.extend(adapter(part))
    return out


def table(results: dict[str, Any]) -> list[str]:
    """The one table, as text lines."""
    table_rows = [
        (row.part, row.figure, row.sohoa, row.baseline, row.ratio, row.target, row.verdict)
        for row in rows(results)
    ]
    # each column at least its usual width, wider when a cell needs it (two spaces apart)
    widths = [
        max([width] + [len(str(cells[i])) + 2 for cells in table_rows])
        for i, (_, width) in enumerate(COLUMNS)
    ]
    header = "".join(name.ljust(w) for (name, _), w in zip(COLUMNS, widths, strict=True))
    lines = [header.rstrip(), "-" * len(header.rstrip())]
    for cells in table_rows:
        lines.append("".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    lines += [
        f"{name}: not measured: {results[name]['error']}"
        for name in PARTS
        if isinstance(results.get(name), dict) and "error" in results[name]
    ]
    return lines
