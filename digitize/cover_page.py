"""The first page of a scanned file, read for a cover sheet before anything else is done.

Filing a stack from the scanner inbox needs only its first page: a PDF's is rendered by
pdftoppm, an image file's first frame is decoded (with the same pixel limit as
digitization, so a decompression bomb is refused here too).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from digitize._exec.pdftoppm import render_page
from digitize.coversheet import CoverSheet, read_cover_sheet
from digitize.images import iter_image_pages
from digitize.options import DigitizeOptions
from digitize.sniff import MediaType

COVER_DPI = 200
"""Enough for the receipt's 3 cm QR code; a quarter of the pixels of a 400 dpi render."""


def cover_sheet_of(
    path: Path, media: MediaType, *, name: str, options: DigitizeOptions
) -> CoverSheet | None:
    """The cover sheet on the file's first page, or None when that page carries none."""
    if media is MediaType.PDF:
        with tempfile.TemporaryDirectory(prefix="sohoa-cover-") as tmp:
            image = render_page(
                path, 1, Path(tmp) / "cover", dpi=COVER_DPI, timeout=options.page_timeout,
                what=f"rendering the first page of {name}",
            )  # fmt: skip
            return read_cover_sheet(image)
    pages = iter_image_pages(
        path, media, name=name, max_pixels=options.max_image_pixels, max_pages=options.max_pages
    )
    first = next(pages, None)
    return read_cover_sheet(first.gray) if first is not None else None
