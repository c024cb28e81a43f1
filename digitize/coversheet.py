"""Cover sheets: the dossier code read from the QR code of the receipt on top of a scanned stack.

The receipt sohoa prints at reception (digitize.receipt) carries the dossier code as a QR
code. A clerk puts it on top of the papers and scans everything to the unit's inbox; the
first page's QR code then says which dossier the pages belong to, with no typing. OpenCV
reads the code (its classic detector, then the ArUco-based one, which copes better with
blur and uneven light), first on a reduced copy of the page, then at full size and
binarized. Only a payload holding a well-formed national dossier code (config.identifiers,
with a real date) is accepted: any other QR code on a page is ignored.

Filing a stack from the scanner inbox needs only its first page (cover_sheet_of): a PDF's
is rendered by pdftoppm, an image file's first frame is decoded (with the same pixel limit
as digitization, so a decompression bomb is refused here too).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from config.identifiers import DOSSIER_CODE, is_dossier_code
from digitize._exec.pdftoppm import render_page
from digitize.cvthreads import opencv_single_threaded
from digitize.images import iter_image_pages
from digitize.options import DigitizeOptions
from digitize.sniff import MediaType

log = logging.getLogger(__name__)

WORKING_SIDE = 1600
"""Longest side, in pixels, of the reduced copy tried first: fast, and large enough for a
receipt's 3 cm code at 200-300 dpi."""

COVER_DPI = 200
"""Enough for the receipt's 3 cm QR code; a quarter of the pixels of a 400 dpi render."""

Pixels = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class CoverSheet:
    """What a cover sheet's QR code said."""

    dossier_code: str
    payload: str
    """The QR code's whole text (the code itself, or a link that contains it)."""


def dossier_code_in(payload: str) -> str | None:
    """The well-formed dossier code in a QR payload, or None."""
    for match in DOSSIER_CODE.finditer(payload.strip().upper()):
        if is_dossier_code(match.group()):
            return match.group()
    return None


def _grey(image: Path | Image.Image | Pixels) -> Pixels:
    if isinstance(image, Path):
        loaded = cv2.imread(str(image), cv2.IMREAD_GRAYSCALE)
        if loaded is None:
            with Image.open(image) as opened:
                return np.asarray(opened.convert("L"), dtype=np.uint8)
        return np.asarray(loaded, dtype=np.uint8)
    if isinstance(image, Image.Image):
        return np.asarray(image.convert("L"), dtype=np.uint8)
    if image.ndim == 3:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    return image


def _variants(grey: Pixels) -> Iterator[Pixels]:
    """The page as the detectors are tried on it, cheapest first."""
    side = max(grey.shape)
    if side > WORKING_SIDE:
        scale = WORKING_SIDE / side
        small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        yield np.asarray(small, dtype=np.uint8)
    yield grey
    blurred = cv2.GaussianBlur(grey, (3, 3), 0)
    _, otsu = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    yield np.asarray(otsu, dtype=np.uint8)
    adaptive = cv2.adaptiveThreshold(
        blurred, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 51, 15
    )
    yield np.asarray(adaptive, dtype=np.uint8)


def _decode(pixels: Pixels) -> Iterator[str]:
    """Every payload the detectors read on one image."""
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        try:
            ok, payloads, _, _ = detector.detectAndDecodeMulti(pixels)
        except cv2.error as e:  # a malformed candidate region, not a broken page
            log.debug("QR detection failed: %s", e)
            continue
        if ok:
            yield from (p for p in payloads if p)


def read_cover_sheet(image: Path | Image.Image | Pixels) -> CoverSheet | None:
    """The dossier code of a cover sheet page, or None when the page carries none."""
    opencv_single_threaded()
    grey = _grey(image)
    for pixels in _variants(grey):
        for payload in _decode(pixels):
            code = dossier_code_in(payload)
            if code is not None:
                return CoverSheet(code, payload)
            log.info("QR code without a dossier code ignored: %.60r", payload)
    return None


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
