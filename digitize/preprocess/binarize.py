"""Black and white for OCR where it pays, grey where a threshold would lose the print.

Measured on the benchmark's generated pages and the transcribed real scans: a grainy page
(sensor noise, JPEG 55) is read better and faster once lightly blurred and thresholded with
Otsu, since Tesseract's layout analysis would take the grain for specks of ink. A faded page
is read far better grey: Sauvola's local threshold, once used for it, read 43-86 % of the
characters of the generated faded pages wrong where the grey page read 0.2-3 % wrong, so it
was removed. A clean page is thresholded with Otsu by default: grey, Tesseract's line
recogniser keeps a few more tone marks (real scans: 3.94 % of words missed against 4.07 %)
but costs about 9 % more CPU, past the 1.15x target; PreprocessOptions.grey_clean chooses it.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from digitize.preprocess.images import Gray, as_gray
from digitize.preprocess.noise import NOISY_SIGMA, grain

FADED_INK = 150
"""Median grey of the ink above which a page is faded (normal print measures 25-135 once
lighting is evened out, a third-generation photocopy 175-215)."""
BAND_ROWS = 256
"""Rows of a page counted at a time: at most a few million pixels, so no grey level's
count can pass float32's exact integers."""


def ink_level(gray: Gray) -> float:
    """Median grey of the pixels Otsu calls ink: how dark the print is."""
    threshold, _ = _otsu_split(gray)
    return _ink_median(gray, threshold)


def _otsu_split(gray: Gray) -> tuple[float, Gray]:
    """Otsu's threshold and the page thresholded by it, paper white and ink black."""
    threshold, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(threshold), as_gray(binary)


def _ink_median(gray: Gray, threshold: float) -> float:
    """Median grey of the pixels below `threshold`, read off the page's histogram exactly
    as the median of those pixels: a mask of the ink and a copy of it would be two more
    page-sized arrays at the worker's peak."""
    below = np.cumsum(_histogram(gray)[: int(np.ceil(threshold))])
    total = int(below[-1]) if below.size else 0
    if not total:
        return 255.0
    # the grey levels holding the middle one or two of the ink pixels, in order
    low = np.searchsorted(below, (total - 1) // 2, side="right")
    high = np.searchsorted(below, total // 2, side="right")
    return (int(low) + int(high)) / 2


def _histogram(gray: Gray) -> npt.NDArray[np.int64]:
    """Pixels of each grey level, counted a band of rows at a time: OpenCV counts in
    float32, exact only up to 2**24 in a bin, so each band stays far below that
    (np.bincount, used before, cost three times as long and widened to 8 bytes a pixel)."""
    counts = np.zeros(256, dtype=np.int64)
    for top in range(0, gray.shape[0], BAND_ROWS):
        band = np.ascontiguousarray(gray[top : top + BAND_ROWS])
        counts += cv2.calcHist([band], [0], None, [256], [0, 256]).ravel().astype(np.int64)
    return counts


def otsu(gray: Gray) -> Gray:
    """Otsu's global threshold, paper white and ink black."""
    return _otsu_split(gray)[1]


def binarize(gray: Gray, *, denoise: bool, grey_clean: bool = False) -> tuple[Gray, str | None]:
    """The page as OCR should get it, and the threshold applied (None: left grey).

    A grainy page is thresholded with Otsu (blurred first with `denoise`). A faded page is
    left grey: a global threshold drops its light strokes and a local one turns its paper's
    texture into ink. A clean page is thresholded with Otsu, or left grey with `grey_clean`
    ("tỉnh", "về", "để" read on grey, lost once thresholded, at more CPU)."""
    threshold, thresholded = _otsu_split(gray)  # one Otsu pass serves both uses
    if _ink_median(gray, threshold) >= FADED_INK:
        return gray, None
    if grain(gray) < NOISY_SIGMA:
        return (gray, None) if grey_clean else (thresholded, "otsu")
    if denoise:
        return otsu(as_gray(cv2.GaussianBlur(gray, (3, 3), 0))), "denoise+otsu"
    return thresholded, "otsu"
