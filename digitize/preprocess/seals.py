"""A colour page made grey with its red seals taken off the print under them.

The round red seal of a Vietnamese public body is pressed over the signer's title and name.
Made grey the usual way, its red is as dark as the print, so a threshold (ours or
Tesseract's) turns the seal into ink and the words under it into a blot: on the transcribed
real scans the signature block "CHỦ TỊCH" was lost to it. In the red channel the seal is as
light as the paper while black print and blue pen stay dark.

The red channel is used only inside the seals' boxes: a page's red print elsewhere (a title,
"KHẨN", a certificate's heading) is text to read, and in the red channel it would vanish too.
A seal is told from red print by its shape: a round blot some centimetres across, where a
line of red print is long and low. OpenCV has no seal remover; this is its components and
thresholds put together, so it is written here.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from digitize.preprocess.images import Gray, as_gray

Rgb = npt.NDArray[np.uint8]
"""A colour page, height x width x 3, in R, G, B order (B, G, R where a function is told
`bgr`: OpenCV's own order, taken as it is rather than copied into the other)."""

MASK_DPI = 50.0
"""Resolution at which the red is looked for: a seal is hundreds of pixels across here."""
RED_MARGIN = 50
"""A pixel is seal red when its red exceeds both its green and its blue by this much."""
SEAL_MM = (20.0, 65.0)
"""Outer size of a seal, millimetres (public bodies' seals are 30-45 mm across)."""
SEAL_ROUNDNESS = 0.7
"""Least ratio of a seal's shorter side to its longer one (a line of print is far lower)."""
CLOSE_MM = 2.0
"""Gaps bridged so that a seal's ring, star and lettering make one blot."""
PAD_MM = 1.0
MM_PER_INCH = 25.4


def as_rgb(array: Any) -> Rgb:
    """An image array as the uint8 colour page it is (OpenCV's stubs only promise 'an array')."""
    return np.asarray(array, dtype=np.uint8)


def _red_at(bgr: bool) -> int:
    return 2 if bgr else 0


def seal_boxes(rgb: Rgb, dpi: float, *, bgr: bool = False) -> list[tuple[int, int, int, int]]:
    """The boxes (left, top, right, bottom, full-size pixels) of the page's red seals."""
    step = max(1, round(dpi / MASK_DPI))
    small = rgb[::step, ::step].astype(np.int16)
    red, green, blue = small[..., _red_at(bgr)], small[..., 1], small[..., 2 - _red_at(bgr)]
    mask = ((red - np.maximum(green, blue)) > RED_MARGIN).astype(np.uint8)
    if not mask.any():
        return []
    px_per_mm = dpi / step / MM_PER_INCH
    size = max(1, round(CLOSE_MM * px_per_mm))
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((size, size), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    low, high = (mm * px_per_mm for mm in SEAL_MM)
    pad = round(PAD_MM * px_per_mm)
    boxes = []
    for left, top, width, height, _ in stats[1:count]:
        short, long = sorted((int(width), int(height)))
        if low <= long <= high and short >= SEAL_ROUNDNESS * long:
            boxes.append(
                (
                    max(0, (left - pad) * step),
                    max(0, (top - pad) * step),
                    min(rgb.shape[1], (left + width + pad) * step),
                    min(rgb.shape[0], (top + height + pad) * step),
                )
            )
    return boxes


def gray_without_seals(rgb: Rgb, dpi: float, *, bgr: bool = False) -> Gray:
    """The page in grey, with each seal's box taken from the red channel."""
    gray = as_gray(cv2.cvtColor(rgb, cv2.COLOR_BGR2GRAY if bgr else cv2.COLOR_RGB2GRAY))
    for left, top, right, bottom in seal_boxes(rgb, dpi, bgr=bgr):
        gray[top:bottom, left:right] = rgb[top:bottom, left:right, _red_at(bgr)]
    return gray
