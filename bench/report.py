"""Printing the digitization benchmark's table and targets, and drawing its chart."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, NamedTuple

import matplotlib

matplotlib.use("Agg")  # no display: charts are files
import matplotlib.pyplot as plt


class Check(NamedTuple):
    """One target: what is compared, the measured value, the goal as printed, and the verdict."""

    label: str
    value: float
    goal: str
    met: bool


def _pct(value: float | None) -> str:
    return "-" if value is None or math.isnan(value) else f"{100 * value:6.2f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:6.2f}"


COLUMNS = (
    ("engine", 11),
    ("CER all", 9),
    ("clean", 9),
    ("mild", 9),
    ("hard", 9),
    ("office", 9),
    ("CPU s/p", 9),
    ("wall s/p", 9),
    ("out/in", 8),
)


def engine_table(result: dict[str, Any]) -> list[str]:
    """The per-engine table: CER by level, cost per page and size (over clean, mild and hard
    pages; office pages have their CER column only)."""
    levels = result["pages"]
    counts = ", ".join(f"{n} {level}" for level, n in levels.items())
    lines = [
        f"Digitization: {sum(levels.values())} scanned pages ({counts}), 100-300 dpi, "
        "JPEG (office: colour JPEG, 1-bit PNG)"
    ]
    lines.append(COLUMNS[0][0].ljust(COLUMNS[0][1]) + "".join(n.rjust(w) for n, w in COLUMNS[1:]))
    for row in result["engines"]:
        cells = [
            _pct(row["cer_all"]),
            _pct(row["cer_clean"]),
            _pct(row["cer_mild"]),
            _pct(row["cer_hard"]),
            _pct(row.get("cer_office")),
            _num(row["cpu_per_page"]),
            _num(row["wall_per_page"]),
            _num(row["size_ratio"]),
        ]
        widths = [w for _, w in COLUMNS[1:]]
        lines.append(
            row["engine"].ljust(11)
            + "".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))
        )
    return lines


def _at_most(label: str, value: float, limit: float, strict: bool = False) -> Check:
    met = value < limit if strict else value <= limit
    return Check(label, value, f"{'<' if strict else '<='} {limit:g}", met)


def checks(result: dict[str, Any]) -> list[Check]:
    """Every target of the issue, measured as a ratio against the baseline of the same run."""
    by = {row["engine"]: row for row in result["engines"]}
    s, t, o = by["sohoa"], by["tesseract"], by.get("ocrmypdf")
    born = result["born_digital"]

    def ratio(key: str, base: dict[str, Any]) -> float:
        return s[key] / base[key] if base[key] else math.inf

    office = "cer_office" in s and not math.isnan(s["cer_office"])  # absent in older results
    found = [_at_most("hard CER / tesseract", ratio("cer_hard", t), 0.5)]
    if o is not None:
        found.append(_at_most("hard CER / ocrmypdf", ratio("cer_hard", o), 1.0, strict=True))
    if office:  # real offices' scans: no worse than the baselines
        found.append(_at_most("office CER / tesseract", ratio("cer_office", t), 1.0))
        if o is not None:
            found.append(
                _at_most("office CER / ocrmypdf", ratio("cer_office", o), 1.0, strict=True)
            )
    found += [
        _at_most("clean CER / tesseract", ratio("cer_clean", t), 1.0),
        _at_most("CPU / tesseract", ratio("cpu_per_page", t), 1.15),
    ]
    if o is not None:
        found.append(_at_most("CPU / ocrmypdf", ratio("cpu_per_page", o), 0.6, strict=True))
    found += [
        *(
            _at_most(f"CPU {level} / tesseract", ratio(f"cpu_{level}", t), 1.15)
            for level in ("clean", "mild", "hard", "office")
            if f"cpu_{level}" in s and f"cpu_{level}" in t
        ),
        _at_most("JPEG output / input", s["size_ratio"], 1.1),
        _at_most("born-digital CER", born["cer"], 0.005, strict=True),
        _at_most("born-digital s/page", born["seconds_per_page"], 0.2, strict=True),
        _at_most("born-digital OCR pages", born["ocr_pages"], 0),
    ]
    return found


def target_lines(result: dict[str, Any]) -> list[str]:
    """Each target with the measured ratio and whether it is met; none is met if pages failed."""
    failed = [e for row in result["engines"] for e in row["errors"]]
    lines = [f"{'target':<26}{'measured':>10}{'goal':>10}  verdict"]
    for check in checks(result):
        verdict = "met" if check.met and not failed else "NOT MET"
        lines.append(f"{check.label:<26}{check.value:>10.3f}{check.goal:>10}  {verdict}")
    if failed:
        lines.append(f"{len(failed)} page(s) failed, so no target counts as met:")
        lines.extend(f"  {error}" for error in failed[:10])
    return lines


def ablation_lines(result: dict[str, Any]) -> list[str]:
    """CER of damaged pages with each preprocessing step switched off."""
    rows = result["ablations"]
    if not rows:
        return []
    base = rows[0]
    lines = [
        f"{'preprocessing':<16}{'CER mild':>10}{'CER hard':>10}{'CPU s/p':>9}  (damaged pages)"
    ]
    for row in rows:
        change = 100 * (row["cer_hard"] - base["cer_hard"])
        delta = "" if row is base else f"  hard {change:+.2f} pts"
        cells = (
            f"{_pct(row['cer_mild']):>10}{_pct(row['cer_hard']):>10}{_num(row['cpu_per_page']):>9}"
        )
        lines.append(f"{row['variant']:<16}{cells}{delta}")
    return lines


def chart(result: dict[str, Any], path: Path) -> None:
    """Grouped bars of CER by degradation level and engine."""
    engines = result["engines"]
    levels = [lv for lv in ("clean", "mild", "hard", "office") if f"cer_{lv}" in engines[0]]
    fig, ax = plt.subplots(figsize=(7, 4))
    width = 0.8 / len(engines)
    for i, row in enumerate(engines):
        xs = [j + i * width for j in range(len(levels))]
        ax.bar(xs, [100 * row[f"cer_{lv}"] for lv in levels], width, label=row["engine"])
    ax.set_xticks([j + width * (len(engines) - 1) / 2 for j in range(len(levels))], levels)
    ax.set_ylabel("character error rate (%)")
    ax.set_title("OCR character error rate by degradation level")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
