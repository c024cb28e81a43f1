"""The atheris fuzz target over ingest: sniffing, opening PDFs, finding and removing active
content, reading text layers, decoding images. Any outcome but a page list or a refusal
(InputRejected) is a crash that libFuzzer reports with the input that caused it.

Run by tests/fuzz/test_fuzz_ingest.py for a bounded time; by hand:
    python tests/fuzz/ingest_target.py CORPUS_DIR [SEED_DIR...] -max_total_time=600
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["digitize", "config"]):
    from config.errors import InputRejected
    from digitize.activecontent import find_active, strip_active
    from digitize.images import iter_image_pages
    from digitize.pdfinput import is_signed, open_pdf, read_text_layers
    from digitize.sniff import MediaType, check_file

WORKDIR = Path(tempfile.mkdtemp(prefix="sohoa-fuzz-"))
LIMITS = {"max_pixels": 20_000_000, "max_pages": 50}
"""Smaller than production's, so each input is judged in milliseconds, not seconds."""


def ingest(path: Path) -> int:
    """What the pipeline does with a file before any OCR; the pages it would read."""
    media = check_file(path, max_bytes=10_000_000, name="fuzz")
    if media is MediaType.PDF:
        with open_pdf(path, name="fuzz", max_pages=LIMITS["max_pages"]) as pdf:
            if not is_signed(pdf):
                strip_active(pdf, "fuzz")
            find_active(pdf)
            return len(read_text_layers(path, name="fuzz", pages=len(pdf.pages)))
    return sum(1 for _ in iter_image_pages(path, media, name="fuzz", **LIMITS))


def test_one_input(data: bytes) -> None:
    """libFuzzer's entry point: one input, refused or read, never anything else."""
    path = WORKDIR / "input"
    path.write_bytes(data)
    with contextlib.suppress(InputRejected):
        ingest(path)


def main() -> None:
    """Fuzz with libFuzzer's command line (corpus dirs, -runs, -max_total_time...)."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
