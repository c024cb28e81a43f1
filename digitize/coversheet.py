"""Cover sheets: the dossier code read from the QR code of the receipt on top of a scanned stack.

The receipt sohoa prints at reception (digitize.receipt) carries the dossier code as a QR
code. A clerk puts it on top of the papers and scans everything to the unit's inbox; the
first page's QR code then says which dossier the pages belong to, with no typing. OpenCV
reads the code (its classic detector, then the ArUco-based one, which copes better with
blur and uneven light), first on a reduced copy of the page, then at full size and
binarized. Only a payload holding a well-formed national dossier code (Circular
01/2018/TT-VPCP, with a real date) is accepted: any other QR code on a page is ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from config.identifiers import DOSSIER_CODE, is_dossier_code
from digitize.cvthreads import opencv_single_threaded

log = logging.getLogger(__name__)

WORKING_SIDE = 1600
"""Longest side, in pixels, of the reduced copy tried first: fast, and large enough for a
receipt's 3 cm code at 200-300 dpi."""

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
