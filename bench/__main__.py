"""`make bench`: every benchmark in one run; ONE table on stdout (each figure against its
baseline and target), the detailed figures in bench/results/results.json, charts beside."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import (
    api_load,
    archive,
    charts,
    classify,
    digitization,
    drain,
    producers,
    reading,
    report,
    scale,
    signing,
    summary,
    understanding,
)

RESULTS = Path(__file__).resolve().parent / "results"
PARTS = (
    "digitization",
    "reading",
    "classification",
    "understanding",
    "signing",
    "archive",
    "api_load",
    "scale",
    "drain",
    "producers",
)

ALIASES = {"api": "api_load"}


def _runners(args: argparse.Namespace) -> dict[str, Callable[[], dict[str, Any]]]:
    quick = args.quick
    return {
        "digitization": lambda: digitization.run(quick, ablations=not args.no_ablations),
        "reading": lambda: reading.run(quick),
        "classification": lambda: classify.run(quick),
        "understanding": lambda: understanding.run(quick),
        "signing": lambda: signing.run(quick),
        "archive": lambda: archive.run(quick),
        "api_load": lambda: api_load.run(quick),
        "scale": lambda: scale.run(quick),
        "drain": lambda: drain.run(quick),
        "producers": lambda: producers.run(quick),
    }


def _details(results: dict[str, Any]) -> list[str]:
    """Each part's own detailed table (--details)."""
    lines: list[str] = []
    if "digitization" in results and "error" not in results["digitization"]:
        d = results["digitization"]
        lines += [*report.engine_table(d), "", *report.ablation_lines(d), ""]
    if "reading" in results and "error" not in results["reading"]:
        lines += [*reading.table(results["reading"]), ""]
    if "classification" in results and "error" not in results["classification"]:
        lines += [classify.render(results["classification"]), ""]
    if "understanding" in results and "error" not in results["understanding"]:
        lines += understanding.table(results["understanding"])
    if "signing" in results and "error" not in results["signing"]:
        lines += [*signing.table(results["signing"]), ""]
    if "archive" in results and "error" not in results["archive"]:
        lines += [*archive.table(results["archive"]), ""]
    if "api_load" in results and "error" not in results["api_load"]:
        lines += [*api_load.table(results["api_load"]), ""]
    return lines


def _charts(results: dict[str, Any]) -> list[Path]:
    written = []
    if "error" not in results.get("digitization", {"error": 1}):
        report.chart(results["digitization"], RESULTS / "digitization_cer.png")
        written.append(RESULTS / "digitization_cer.png")
    if "error" not in results.get("scale", {"error": 1}):
        written.append(charts.scale_chart(results["scale"], RESULTS / "scale.png"))
    if "error" not in results.get("drain", {"error": 1}):
        written.append(charts.drain_chart(results["drain"], RESULTS / "drain.png"))
    return written


def main() -> None:
    """Run the parts asked for; a part that fails is reported as not measured, and the
    exit status is 1."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small sample, for a first look")
    parser.add_argument(
        "--no-ablations", action="store_true", help="skip the per-step measurements"
    )
    parser.add_argument(
        "--only",
        choices=(*PARTS, "api"),
        action="append",
        help="run these parts only (api: api_load)",
    )
    parser.add_argument("--details", action="store_true", help="also print each part's tables")
    args = parser.parse_args()
    runners = _runners(args)
    results: dict[str, Any] = {"quick": args.quick, "cpus": os.cpu_count()}
    failed = False
    for name in [ALIASES.get(n, n) for n in args.only or PARTS]:
        print(f"bench: {name}...", file=sys.stderr, flush=True)
        try:
            results[name] = runners[name]()
        except Exception as e:  # one broken part must not lose the others' figures
            traceback.print_exc()
            results[name] = {"error": f"{type(e).__name__}: {e}"}
            failed = True
    results["load_1min_at_end"] = os.getloadavg()[0]
    if args.details:
        print("\n".join(_details(results)))
    print("\n".join(summary.table(results)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=1, ensure_ascii=False, default=str)
    (RESULTS / "results.json").write_text(text, encoding="utf-8")
    written = [RESULTS / "results.json", *_charts(results)]
    print("\nwrote " + ", ".join(str(p.relative_to(RESULTS.parent.parent)) for p in written))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
