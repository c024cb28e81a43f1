"""The ingest fuzz target (tests/fuzz/ingest_target.py) run by libFuzzer through atheris,
seeded with generated PDFs and images and pyHanko's test PDFs read in place; it must end
without a crash, a timeout or running out of memory, and say how many inputs it tried.

Bounded by FUZZ_RUNS executions (1500) with a fixed random seed, so CI tries the same
inputs every time and a failure is reproducible, and by FUZZ_SECONDS (180) of wall time.
For a longer search: FUZZ_RUNS=0 FUZZ_SECONDS=3600, or run the target by hand."""

from __future__ import annotations

import io
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import CORPORA
from tests.storage.archive_support import jpeg_bytes, pdf_bytes

TARGET = Path(__file__).with_name("ingest_target.py")
REPO = Path(__file__).resolve().parents[2]


RSS_ALLOWED_MB = 2048
"""What the fuzzed ingest may grow to beyond what its process starts with."""


def _rss_limit_mb() -> int:
    """libFuzzer's memory limit: RSS_ALLOWED_MB above what the fuzzer's process inherits.
    Linux keeps a process's peak RSS (ru_maxrss, what libFuzzer measures) across fork and
    exec, so a fuzzer started from a pytest that has run the whole suite (2.4 GB) reported
    2,400 MB before its first input and was stopped as out of memory; started from a small
    process it reports 107 MB."""
    inherited = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # kB on Linux
    return RSS_ALLOWED_MB + inherited


def _seeds(directory: Path) -> Path:
    directory.mkdir()
    (directory / "one.pdf").write_bytes(pdf_bytes(1, 1))
    (directory / "two.pdf").write_bytes(pdf_bytes(2, 2))
    (directory / "scan.jpg").write_bytes(jpeg_bytes(3))
    for fmt in ("PNG", "TIFF"):
        out = io.BytesIO()
        Image.new("L", (40, 30), 128).save(out, fmt)
        (directory / f"scan.{fmt.lower()}").write_bytes(out.getvalue())
    return directory


@pytest.mark.slow
def test_fuzzing_ingest_finds_no_crash(tmp_path: Path) -> None:
    seconds = int(os.environ.get("FUZZ_SECONDS", "180"))
    runs_wanted = int(os.environ.get("FUZZ_RUNS", "1500"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    proc = subprocess.run(
        [
            sys.executable,
            str(TARGET),
            str(corpus),  # libFuzzer writes what it finds to the first directory only
            str(_seeds(tmp_path / "seeds")),
            str(CORPORA / "pyhanko" / "pdf"),
            f"-max_total_time={seconds}",
            f"-runs={runs_wanted or -1}",
            "-seed=1",
            f"-rss_limit_mb={_rss_limit_mb()}",
            "-timeout=30",
            f"-artifact_prefix={tmp_path}/",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "OMP_THREAD_LIMIT": "1"},
        cwd=tmp_path,
        timeout=seconds + 300,
        check=False,
    )
    tail = proc.stderr[-4000:]
    assert proc.returncode == 0, tail
    done = re.search(r"Done (\d+) runs in (\d+) second", proc.stderr)
    assert done is not None, tail
    runs = int(done.group(1))
    print(f"fuzzing: {runs} executions in {done.group(2)} s")
    assert runs > 50
    assert not list(tmp_path.glob("crash-*")) and not list(tmp_path.glob("oom-*"))
