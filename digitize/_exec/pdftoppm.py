"""Poppler's pdftoppm: renders one PDF page to a greyscale PNG for OCR."""

from __future__ import annotations

from pathlib import Path

from digitize._exec.run import run_tool


def render_page(
    pdf: Path, page_number: int, out_base: Path, *, dpi: int, timeout: float, what: str
) -> Path:
    """Render 1-based page_number at dpi; returns the PNG path."""
    run_tool(
        [
            "pdftoppm",
            "-f",
            str(page_number),
            "-l",
            str(page_number),
            "-r",
            str(dpi),
            "-gray",
            "-png",
            "-singlefile",
            pdf,
            out_base,
        ],
        timeout=timeout,
        what=what,
    )
    return out_base.with_suffix(".png")
