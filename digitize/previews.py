"""Page images for the web pages: one page of a searchable PDF rendered to a PNG of a
bounded width, cached by the PDF's SHA-256, the page and the width (never invalid: a blob
never changes under its digest)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from config import defaults
from digitize._exec import pdftoppm


def preview_width(asked: int | None) -> int:
    """The width actually rendered for a width asked: the smallest of
    defaults.PREVIEW_WIDTHS at least as wide, the largest past them."""
    widths = defaults.PREVIEW_WIDTHS
    if asked is None:
        return widths[2]
    return next((w for w in widths if w >= asked), widths[-1])


def page_preview(pdf: Path, sha256: str, page: int, width: int, cache: Path) -> Path:
    """The PNG of `page` (1-based) of `pdf` (whose SHA-256 is `sha256`) at `width` (one of
    defaults.PREVIEW_WIDTHS), rendered once then served from `cache`. Written to a
    temporary name and renamed, so a concurrent reader never sees half an image."""
    target = cache / sha256[:2] / f"{sha256}-p{page}-w{width}.png"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".render-") as scratch:
        rendered = pdftoppm.render_png(
            pdf,
            page,
            Path(scratch) / "page",
            width=width,
            max_height=width * defaults.PREVIEW_MAX_ASPECT,
            timeout=defaults.PREVIEW_TIMEOUT,
        )
        rendered.replace(target)
    return target
