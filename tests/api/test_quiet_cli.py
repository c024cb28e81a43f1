"""What a clerk or leader sees on the terminal: sohoa's messages, not libraries' warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_a_command_that_loads_pyhanko_prints_no_library_warning(tmp_path: Path) -> None:
    """GIVEN the locked cryptography, which warns "DSA is deprecated" when pyHanko imports it,
    WHEN a leader runs `sohoa verify` (which loads pyHanko) on a file that is not a PDF,
    THEN stderr holds sohoa's verdict and nothing a library printed."""
    not_a_pdf = tmp_path / "thu.txt"
    not_a_pdf.write_text("không phải PDF", encoding="utf-8")
    env = {**os.environ, "SOHOA_DATA_DIR": str(tmp_path / "data")}
    env.pop("PYTHONWARNINGS", None)
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "verify", str(not_a_pdf)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    out = done.stdout + done.stderr
    assert "thu.txt" in out
    assert "Warning" not in out
    assert "site-packages" not in out
