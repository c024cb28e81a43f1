"""`make bench`: every benchmark in one run; tables on stdout, JSON and charts in bench/results."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench import archive, classify, digitization, report, signing

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small sample, for a first look")
    parser.add_argument(
        "--no-ablations", action="store_true", help="skip the per-step measurements"
    )
    parser.add_argument(
        "--only",
        choices=("digitization", "classification", "signing", "archive"),
        help="run one part of the benchmark",
    )
    args = parser.parse_args()
    results: dict[str, Any] = {}
    lines: list[str] = []
    if args.only in (None, "digitization"):
        results["digitization"] = digitization.run(args.quick, ablations=not args.no_ablations)
        lines += [
            *report.engine_table(results["digitization"]),
            "",
            *report.target_lines(results["digitization"]),
            "",
            *report.ablation_lines(results["digitization"]),
            "",
        ]
    if args.only in (None, "classification"):
        results["classification"] = classify.run(args.quick)
        lines += [classify.render(results["classification"]), ""]
    if args.only in (None, "signing"):
        results["signing"] = signing.run(args.quick)
        lines += [*signing.table(results["signing"]), ""]
    if args.only in (None, "archive"):
        results["archive"] = archive.run(args.quick)
        lines += archive.table(results["archive"])
    print("\n".join(lines))
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=1, ensure_ascii=False, default=str)
    (RESULTS / "results.json").write_text(text, encoding="utf-8")
    if "digitization" in results:
        report.chart(results["digitization"], RESULTS / "digitization_cer.png")
    print(f"\nwrote {RESULTS / 'results.json'} and {RESULTS / 'digitization_cer.png'}")


if __name__ == "__main__":
    main()
