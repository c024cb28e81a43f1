"""The dashboard's charts as inline SVG geometry: bars of a rate by month, no JavaScript."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, TOP, BOTTOM = 320, 140, 16, 22
"""The SVG's view box and its margins for value and month labels."""


@dataclass(frozen=True)
class Bar:
    """One month's bar: where it is drawn and what it says."""

    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    title: str


def monthly_totals(rows: list[dict[str, Any]], name: str) -> dict[str, tuple[int, int]]:
    """A rate's numerator and denominator per month, summed over the units (the last row of
    figures_view, the whole selection, left out)."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row["month"] == "*":
            continue
        sums[row["month"]][0] += row[name]["numerator"]
        sums[row["month"]][1] += row[name]["denominator"]
    return {month: (n, d) for month, (n, d) in sorted(sums.items())}


def bars(rows: list[dict[str, Any]], name: str) -> list[Bar]:
    """The bars of one rate, a month each, height in proportion to the rate (0-100%)."""
    totals = monthly_totals(rows, name)
    if not totals:
        return []
    slot = WIDTH / len(totals)
    usable = HEIGHT - TOP - BOTTOM
    found = []
    for i, (month, (numerator, denominator)) in enumerate(totals.items()):
        share = numerator / denominator if denominator else 0.0
        height = usable * share
        shown = f"{100 * share:.0f}%" if denominator else "–"
        found.append(
            Bar(
                x=i * slot + slot * 0.15,
                y=TOP + usable - height,
                width=slot * 0.7,
                height=height,
                label=month[2:],
                value=shown,
                title=f"{month}: {numerator}/{denominator}",
            )
        )
    return found
