"""Evening out uneven lighting and dark scanner borders by dividing by the paper's brightness."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from digitize.preprocess.images import Gray, as_gray, scaled

BACKGROUND_DPI = 40.0
"""Resolution at which the paper's brightness is estimated: coarse enough that letters vanish
under the closing below, fine enough to follow a phone's shadow."""

CLOSING_PX = 5
"""Closing kernel at BACKGROUND_DPI (about 3 mm): wider than any stroke, narrower than a shadow."""

SMOOTHING_PX = 7
"""Median window that smooths the estimate at BACKGROUND_DPI."""


def paper_brightness(gray: Gray, dpi: float) -> Gray:
    """The paper's brightness under each pixel, as if the ink were lifted off, at low resolution."""
    small = scaled(gray, min(1.0, BACKGROUND_DPI / dpi))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (CLOSING_PX, CLOSING_PX))
    closed = as_gray(cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel))
    return as_gray(cv2.medianBlur(closed, SMOOTHING_PX))


def unevenness(paper: Gray) -> float:
    """How much the paper's brightness varies across the page (grey levels, 5th to 95th)."""
    low, high = np.percentile(paper, (5, 95))
    return float(high - low)


def flatten(gray: Gray, paper: Gray) -> Gray:
    """Divide by the paper's brightness: shadows and dark borders become white paper, ink
    keeps its contrast against what lies around it."""
    height, width = gray.shape
    full = cv2.resize(np.maximum(paper, 1), (width, height), interpolation=cv2.INTER_LINEAR)
    return as_gray(cv2.divide(gray, full, scale=255))


BORDER_DARKNESS = 0.5
"""Paper darker than this share of the page's typical brightness is the scanner lid or table."""
BORDER_MARGIN_MM = 1.5
"""How far past the dark region the border is cleared, to take its ragged edge along."""


def border_mask(paper: Gray, dpi: float, shape: tuple[int, int]) -> npt.NDArray[np.bool_] | None:
    """Pixels of dark bands around the page (regions of dark 'paper' touching the image
    edge), at the full image's shape; None when there are none."""
    typical = float(np.median(paper))
    dark = (paper < BORDER_DARKNESS * typical).astype(np.uint8)
    if not dark.any():
        return None
    _, labels = cv2.connectedComponents(dark, connectivity=8)
    edge_labels = set(
        np.unique(np.concatenate((labels[0], labels[-1], labels[:, 0], labels[:, -1])))
    )
    edge_labels.discard(0)
    if not edge_labels:
        return None
    bands = np.isin(labels, list(edge_labels)).astype(np.uint8)
    scale = paper.shape[1] / shape[1]
    margin = max(1, round(BORDER_MARGIN_MM / 25.4 * dpi * scale))
    grown = cv2.dilate(bands, np.ones((2 * margin + 1, 2 * margin + 1), np.uint8))
    full = cv2.resize(grown, (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST)
    return np.asarray(full, dtype=bool)


def clear(gray: Gray, mask: npt.NDArray[np.bool_], *, in_place: bool = False) -> Gray:
    """The image with the masked pixels turned to white paper (in `gray` itself when it is
    a working copy of the caller's own)."""
    out = gray if in_place else gray.copy()
    out[mask] = 255
    return out
