"""Hostile files through `sohoa digitize` in a separate process, bounded in time and
memory: each is refused with a reason naming it, or neutralised (active content removed);
the process writes nothing outside its data and output directories (its TMPDIR included:
it must be empty afterwards)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from digitize.activecontent import find_active
from tests.support import hostile

REPO = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 3 * 1024**3
"""Address space the digitize process may use: a bomb must be refused long before."""


def run_digitize(
    files: list[Path], workdir: Path, *, timeout: float, engine: str | None = None
) -> tuple[list[dict[str, Any]], float, int]:
    """`sohoa digitize --json` on the files in a child process limited to MEMORY_LIMIT;
    its JSON lines, wall seconds and peak resident memory (MB)."""
    data, out, tmp = workdir / "data", workdir / "out", workdir / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SOHOA_DATA_DIR": str(data),
        "TMPDIR": str(tmp),
        "OMP_THREAD_LIMIT": "1",
    }
    if engine:
        env["SOHOA_OCR_ENGINE"] = engine

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "api.cli",
            "digitize",
            "--json",
            "--out",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        timeout=timeout,
        preexec_fn=limit,
        check=False,
    )
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert not list(tmp.iterdir()), "temporary files were left behind"
    return lines, seconds, max(peak, before) // 1024


def _outside(workdir: Path) -> set[Path]:
    return {p for p in workdir.rglob("*") if not p.is_relative_to(workdir / "data")}


REFUSED: dict[str, tuple[Callable[[Path], Path], set[str]]] = {
    "noise.pdf": (hostile.random_bytes_named_pdf, {"unsupported_type"}),
    "polyglot-jpeg.pdf": (hostile.jpeg_pdf_polyglot, {"corrupt_file"}),
    "loop.pdf": (hostile.looping_pdf, {"corrupt_file"}),
    "fuzzed-tree.pdf": (hostile.fuzzed_page_tree, {"corrupt_file"}),
    "10000-pages.pdf": (hostile.ten_thousand_pages, {"too_many_pages"}),
    "bomb.png": (hostile.png_bomb, {"image_too_large"}),
    "absurd.tif": (hostile.absurd_tiff, {"image_too_large", "corrupt_file"}),
    "certified-active.pdf": (
        lambda d: hostile.active_content_pdf(d, certified=True),
        {"active_content"},
    ),
}


@pytest.mark.slow
def test_hostile_files_are_refused_or_neutralised_within_bounds(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    refused = {name: make(inputs) for name, (make, _) in REFUSED.items()}
    neutralised = [
        hostile.active_content_pdf(inputs),
        hostile.pdf_zip_polyglot(inputs),
        *hostile.on_disk_hostile_names(inputs),
    ]
    before = _outside(tmp_path)
    lines, seconds, peak_mb = run_digitize([*refused.values(), *neutralised], tmp_path, timeout=600)
    by_file = {line["file"]: line for line in lines}
    assert len(lines) == len(refused) + len(neutralised)
    for name, (_, codes) in REFUSED.items():
        line = by_file[str(refused[name])]
        assert line["status"] == "error" and line["error_code"] in codes, line
        assert name in line["error"], line  # the reason names the file
    for path in neutralised:
        line = by_file[str(path)]
        assert line["status"] == "ok", line
        output = Path(line["output"])
        assert output.is_relative_to(tmp_path / "out") and output.parent == tmp_path / "out"
        assert not any(c in output.name for c in "\x1b\r\n\u202e/")
        with pikepdf.open(output) as pdf:
            assert find_active(pdf) == [], output
            assert not pdf.attachments
    created = _outside(tmp_path) - before
    assert {p for p in created if not p.is_relative_to(tmp_path / "out")} <= {
        tmp_path / "out",
        tmp_path / "tmp",
    }
    assert seconds < 300 and peak_mb < 2000, (seconds, peak_mb)
