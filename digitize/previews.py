"""Page images for the web pages: one page of a searchable PDF rendered to a PNG of a
bounded width, cached by the PDF's SHA-256, the page and the width (never invalid: a blob
never changes under its digest)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pikepdf
from PIL import Image, ImageOps

from config import defaults
from config.errors import CorruptFile
from digitize._exec import pdftoppm
from digitize.sniff import MediaType


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


def file_pages(path: Path, media_type: str | None) -> int | None:
    """How many pages a stored original has (a PDF's pages, a TIFF's frames, 1 for another
    image); None when it cannot be read (a damaged file is left for digitization to refuse
    with its reason)."""
    try:
        if media_type == MediaType.PDF:
            with pikepdf.open(path) as pdf:
                return len(pdf.pages)
        with opened_image(path, defaults.MAX_IMAGE_PIXELS) as image:
            return int(getattr(image, "n_frames", 1))
    except (pikepdf.PdfError, *UNREADABLE_IMAGE):
        return None


def file_preview(
    path: Path,
    media_type: str | None,
    sha256: str,
    *,
    page: int,
    width: int,
    cache: Path,
    max_pixels: int,
) -> Path:
    """The PNG of `page` of a stored original (a scanner's PDF or image, not yet digitized),
    as `page_preview` caches a searchable PDF's; an image's frame is decoded with the same
    pixel limit as digitization, so a decompression bomb is refused (CorruptFile) here too."""
    if media_type == MediaType.PDF:
        return page_preview(path, sha256, page, width, cache)
    target = cache / sha256[:2] / f"{sha256}-p{page}-w{width}.png"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with opened_image(path, max_pixels) as image:
            image.seek(page - 1)
            frame = ImageOps.exif_transpose(image.convert("RGB"))
    except (*UNREADABLE_IMAGE, Image.DecompressionBombError) as e:
        raise CorruptFile(path.name, f"page {page} cannot be shown ({e})") from e
    frame.thumbnail((width, width * defaults.PREVIEW_MAX_ASPECT))
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".png", delete=False) as out:
        frame.save(out, "PNG")
    Path(out.name).replace(target)
    return target


UNREADABLE_IMAGE = (OSError, SyntaxError, ValueError, TypeError, EOFError)
"""What Pillow raises on a damaged image (digitize.images lists the same)."""


def opened_image(path: Path, max_pixels: int) -> Image.Image:
    """An image file opened lazily, refused past `max_pixels` (Pillow's bomb check)."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    return Image.open(path)
