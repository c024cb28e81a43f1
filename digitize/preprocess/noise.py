"""Smoothing sensor noise and dust, only on pages that have enough of it to hurt OCR."""

from __future__ import annotations

import cv2
import numpy as np

from digitize.preprocess.images import Gray, as_gray

NOISY_SIGMA = 4.0
"""Grain (grey levels of deviation on blank paper) above which a page is smoothed; a
flatbed scan measures about 1."""
SAMPLE_PX = 512
"""Side of the central square the grain is measured on."""


def grain(gray: Gray) -> float:
    """Deviation of blank-paper pixels from their neighbourhood, on a central sample: the
    sensor noise and dust OCR's thresholding turns into specks."""
    height, width = gray.shape
    top, left = max(0, (height - SAMPLE_PX) // 2), max(0, (width - SAMPLE_PX) // 2)
    crop = gray[top : top + SAMPLE_PX, left : left + SAMPLE_PX]
    smooth = cv2.blur(crop, (5, 5))
    paper = smooth > np.percentile(smooth, 60)
    if not paper.any():
        return 0.0
    return float(np.std(crop[paper].astype(np.int16) - smooth[paper].astype(np.int16)))


def denoise_if_noisy(gray: Gray) -> tuple[Gray, bool]:
    """A 3x3 median on grainy pages: removes specks and grain, keeps stroke edges."""
    if grain(gray) < NOISY_SIGMA:
        return gray, False
    return as_gray(cv2.medianBlur(gray, 3)), True
