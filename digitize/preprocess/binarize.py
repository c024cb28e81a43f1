"""Black and white for OCR, by the method each page calls for.

Measured on the benchmark pages, after lighting is evened out: a global Otsu threshold reads
clean and shadowed pages best and saves Tesseract 10-20% of its time; on grainy pages a light
blur first keeps specks from becoming ink; Sauvola's local threshold reads faded ink better
but doubles the errors on grainy pages, so it is kept for faded pages only.
"""

from __future__ import annotations

import cv2
import numpy as np

from digitize.preprocess.images import Gray, as_gray
from digitize.preprocess.noise import NOISY_SIGMA, grain

FADED_INK = 150
"""Median grey of the ink above which a page is faded (normal print measures 25-135 once
lighting is evened out, a third-generation photocopy 175-215)."""
SAUVOLA_WINDOW = 31
SAUVOLA_K = 0.2


def ink_level(gray: Gray) -> float:
    """Median grey of the pixels Otsu calls ink: how dark the print is."""
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = gray[gray < threshold]
    return float(np.median(ink)) if ink.size else 255.0


def sauvola(gray: Gray) -> Gray:
    """Sauvola's local threshold: each pixel against its neighbourhood's mean and spread."""
    values = gray.astype(np.float32)
    size = (SAUVOLA_WINDOW, SAUVOLA_WINDOW)
    mean = cv2.boxFilter(values, -1, size)
    spread = np.sqrt(np.maximum(cv2.boxFilter(values * values, -1, size) - mean * mean, 0))
    threshold = mean * (1 + SAUVOLA_K * (spread / 128 - 1))
    return as_gray(np.where(values > threshold, 255, 0))


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
