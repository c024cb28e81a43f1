"""Measuring sensor grain and dust, which thresholding would turn into specks of ink."""

from __future__ import annotations

import cv2
import numpy as np

from digitize.preprocess.images import Gray

NOISY_SIGMA = 4.0
"""Grain (grey levels of deviation on blank paper) above which a page is smoothed before
thresholding; a flatbed scan measures about 1, a JPEG 55 phone photo 5-8."""
SAMPLE_PX = 512
"""Side of the central square the grain is measured on."""


def grain(gray: Gray) -> float:
    """Deviation of blank-paper pixels from their neighbourhood, on a central sample."""
    height, width = gray.shape
    top, left = max(0, (height - SAMPLE_PX) // 2), max(0, (width - SAMPLE_PX) // 2)
    crop = gray[top : top + SAMPLE_PX, left : left + SAMPLE_PX]
    smooth = cv2.blur(crop, (5, 5))
    paper = smooth > np.percentile(smooth, 60)
    if not paper.any():
        return 0.0
    return float(np.std(crop[paper].astype(np.int16) - smooth[paper].astype(np.int16)))
