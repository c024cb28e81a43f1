"""Poppler's pdftoppm: renders one PDF page to a greyscale PGM for preprocessing and OCR."""

from __future__ import annotations

from pathlib import Path

from digitize._exec.run import run_tool


def render_page(
    pdf: Path,
    page_number: int,
    out_base: Path,
    *,
    dpi: int,
    timeout: float,
    what: str,
    annotations: bool = True,
    colour: bool = False,
) -> Path:
    """Render 1-based page_number at dpi; returns the PGM path, or with `colour` the PPM path
    (uncompressed: cheap to write and to read, and the file is deleted as soon as it is
    read). Without `annotations` the page's own content only is drawn (no signature stamps
    over a scan)."""
    run_tool(
        [
            "pdftoppm",
            *([] if annotations else ["-hide-annotations"]),
            "-f",
            str(page_number),
            "-l",
            str(page_number),
            "-r",
            str(dpi),
            *([] if colour else ["-gray"]),
            "-singlefile",
            pdf,
            out_base,
        ],
        timeout=timeout,
        what=what,
    )
    return out_base.with_suffix(".ppm" if colour else ".pgm")


def render_png(
    pdf: Path, page_number: int, out_base: Path, *, width: int, max_height: int, timeout: float
) -> Path:
    """Render 1-based page_number as a colour PNG `width` pixels wide, cut at `max_height`
    pixels; returns the PNG path."""
    run_tool(
        [
            "pdftoppm",
            "-f",
            str(page_number),
            "-l",
            str(page_number),
            "-scale-to-x",
            str(width),
            "-scale-to-y",
            "-1",
            "-H",
            str(max_height),
            "-png",
            "-singlefile",
            pdf,
            out_base,
        ],
        timeout=timeout,
        what=f"{pdf.name} page {page_number}",
    )
    return out_base.with_suffix(".png")
