"""The benchmark's PNG charts beyond digitization's: scaling, memory, per-job cost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: charts are files
import matplotlib.pyplot as plt


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def scale_chart(result: dict[str, Any], path: Path) -> Path:
    """Pages per minute with 1 and 2 workers beside perfect scaling, and peak memory."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4))
    one, two = result["one"]["pages_per_minute"], result["two"]["pages_per_minute"]
    left.bar(["1 worker", "2 workers"], [one, two], color=["#888", "#2a7"])
    left.axhline(2 * one, linestyle="--", color="#c33", label="2 x 1 worker")
    left.axhline(result["scaling_target"] * one, linestyle=":", color="#c93", label="target")
    left.set_ylabel("pages per minute (upload -> PDF/A stored)")
    left.set_title(f"end-to-end throughput: {result['scaling']:.2f}x")
    left.legend()
    memory = result["memory"]
    labels = ["worker waiting", f"{result['memory_pages']}-page doc"]
    for offset, key, name in (
        (-0.2, "worker_pss_mb", "PSS, whole worker"),
        (0.2, "horse_rss_mb", "RSS, horse + OCR (waiting: main process)"),
    ):
        right.bar(
            [x + offset for x in (0, 1)], [memory["at_rest"][key], memory[key]], 0.4, label=name
        )
    right.set_xticks([0, 1], labels)
    right.axhline(result["memory_target_mb"], linestyle="--", color="#c33", label="target")
    right.set_ylabel("peak memory (MB)")
    right.set_title("memory per worker")
    tallest = max(result["memory_target_mb"], memory["worker_pss_mb"], memory["horse_rss_mb"])
    right.set_ylim(0, tallest * 1.45)  # room for the legend above the bars
    right.legend(loc="upper left", fontsize=8)
    return _save(fig, path)


def drain_chart(result: dict[str, Any], path: Path) -> Path:
    """Milliseconds per no-op job, wall and CPU, for bare rq, each sohoa worker and rq
    holding that worker's stack."""
    per = result["ms_per_job"]
    names = list(per)
    fig, ax = plt.subplots(figsize=(7, 4))
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], [per[n]["wall"] for n in names], 0.4, label="wall")
    ax.bar([x + 0.2 for x in xs], [per[n]["cpu"] for n in names], 0.4, label="CPU")
    ax.set_xticks(list(xs), [n.replace(" ", "\n", 1) for n in names], fontsize=8)
    ax.set_ylabel("ms per job")
    ax.set_title(f"draining {result['jobs']:,} no-op jobs")
    ax.legend()
    return _save(fig, path)
