"""Black and white for OCR, by the method each page calls for.

Measured on the benchmark pages, after lighting is evened out: a global Otsu threshold reads
clean and shadowed pages best and saves Tesseract 10-20% of its time; on grainy pages a light
blur first keeps specks from becoming ink; Sauvola's local threshold reads faded ink better
but doubles the errors on grainy pages, so it is kept for faded pages only.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from digitize.preprocess.images import Gray, as_gray
from digitize.preprocess.noise import NOISY_SIGMA, grain

FADED_INK = 150
"""Median grey of the ink above which a page is faded (normal print measures 25-135 once
lighting is evened out, a third-generation photocopy 175-215)."""
SAUVOLA_WINDOW = 31
SAUVOLA_K = 0.2
BAND_ROWS = 256
"""Rows of a page worked at a time, thresholded or counted (a few MB of working planes on
a 300 dpi page, where the whole page would take tens)."""


def ink_level(gray: Gray) -> float:
    """Median grey of the pixels Otsu calls ink: how dark the print is.

    Read off the page's histogram, exactly as the median of those pixels: a mask of the
    ink and a copy of it would be two more page-sized arrays at the worker's peak."""
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    below = np.cumsum(_histogram(gray)[: int(np.ceil(threshold))])
    total = int(below[-1]) if below.size else 0
    if not total:
        return 255.0
    # the grey levels holding the middle one or two of the ink pixels, in order
    low = np.searchsorted(below, (total - 1) // 2, side="right")
    high = np.searchsorted(below, total // 2, side="right")
    return (int(low) + int(high)) / 2


def _histogram(gray: Gray) -> npt.NDArray[np.int64]:
    """Pixels of each grey level, counted a band of rows at a time (bincount widens what
    it counts to 8 bytes a pixel)."""
    counts = np.zeros(256, dtype=np.int64)
    for top in range(0, gray.shape[0], BAND_ROWS):
        counts += np.bincount(gray[top : top + BAND_ROWS].ravel(), minlength=256)
    return counts


def sauvola(gray: Gray) -> Gray:
    """Sauvola's local threshold: each pixel against its neighbourhood's mean and spread.

    Worked in bands of rows, each with the window's reach of rows around it: a turned 300
    dpi page is ~47 MB a float plane, and the formula over the whole page held four or more
    of them at once (most of a worker's peak memory on a faded page). A band sees every
    pixel the whole page would, so the result is the same."""
    out = np.empty_like(gray)
    reach = SAUVOLA_WINDOW // 2
    height = gray.shape[0]
    for top in range(0, height, BAND_ROWS):
        bottom = min(top + BAND_ROWS, height)
        above, below = max(0, top - reach), min(height, bottom + reach)
        band = _sauvola_band(gray[above:below])
        out[top:bottom] = band[top - above : bottom - above]
    return out


def _plane(array: Any) -> npt.NDArray[np.float32]:
    """An OpenCV float result as the float32 array it is (no copy)."""
    return np.asarray(array, dtype=np.float32)


def _sauvola_band(gray: Gray) -> Gray:
    values = gray.astype(np.float32)
    size = (SAUVOLA_WINDOW, SAUVOLA_WINDOW)
    mean = _plane(cv2.boxFilter(values, -1, size))
    threshold = _plane(cv2.sqrBoxFilter(values, cv2.CV_32F, size))  # the mean square
    threshold -= _plane(cv2.multiply(mean, mean))
    np.maximum(threshold, 0, out=threshold)
    np.sqrt(threshold, out=threshold)  # the spread (standard deviation)
    threshold *= SAUVOLA_K / 128  # mean * (1 + k * (spread / 128 - 1))
    threshold += 1 - SAUVOLA_K
    threshold *= mean
    out = np.zeros_like(gray)
    out[values > threshold] = 255
    return out


def otsu(gray: Gray) -> Gray:
    """Otsu's global threshold, paper white and ink black."""
    return as_gray(cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1])


def binarize(gray: Gray, *, denoise: bool) -> tuple[Gray, str]:
    """The page in black and white, and the method chosen for it."""
    if ink_level(gray) >= FADED_INK:
        return sauvola(gray), "sauvola"
    if denoise and grain(gray) >= NOISY_SIGMA:
        return otsu(as_gray(cv2.GaussianBlur(gray, (3, 3), 0))), "denoise+otsu"
    return otsu(gray), "otsu"
