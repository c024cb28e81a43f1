"""Small image operations the preprocessing steps share: scaling, turning, components."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]
"""A greyscale page image: dark ink (0) on light paper (255)."""
Points = npt.NDArray[np.float64]
"""N x 2 array of (x, y) pixel positions."""

WHITE = 255
MAX_GLYPH_FRACTION = 0.1
"""Components wider or taller than this share of the page are rules, borders or pictures."""


def as_gray(array: Any) -> Gray:
    """An OpenCV result as the uint8 array it is (OpenCV's stubs only promise 'an array')."""
    return np.asarray(array, dtype=np.uint8)


def scaled(gray: Gray, factor: float) -> Gray:
    """The image resized by factor (area averaging when shrinking, cubic when enlarging)."""
    if abs(factor - 1.0) < 1e-3:
        return gray
    height, width = gray.shape
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    method = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return as_gray(cv2.resize(gray, size, interpolation=method))


def turn_matrix(
    shape: tuple[int, ...], clockwise_degrees: float
) -> tuple[npt.NDArray[np.float64], tuple[int, int]]:
    """The affine map (2x3) turning an image of this shape clockwise about its centre onto a
    canvas just large enough, and that canvas's (width, height)."""
    height, width = shape[:2]
    rad = math.radians(clockwise_degrees)
    cos, sin = abs(math.cos(rad)), abs(math.sin(rad))
    new_w, new_h = round(width * cos + height * sin), round(width * sin + height * cos)
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -clockwise_degrees, 1.0)
    matrix[0, 2] += (new_w - width) / 2
    matrix[1, 2] += (new_h - height) / 2
    return np.asarray(matrix, dtype=np.float64), (new_w, new_h)


def turned(gray: Gray, clockwise_degrees: float) -> Gray:
    """The image turned clockwise, on a canvas grown so no corner is cut, filled with paper.

    Right angles are exact pixel transposes; other angles are one bilinear resampling.
    """
    if abs(clockwise_degrees - 90 * round(clockwise_degrees / 90)) < 1e-6:
        quarter = round(clockwise_degrees / 90) % 4
        return gray if quarter == 0 else np.ascontiguousarray(np.rot90(gray, k=-quarter))
    matrix, size = turn_matrix(gray.shape, clockwise_degrees)
    return as_gray(
        cv2.warpAffine(
            gray,
            matrix,
            size,
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=WHITE,
        )
    )


def otsu_ink(gray: Gray) -> npt.NDArray[np.uint8]:
    """Ink pixels (1) by Otsu's global threshold, for analysis of an evenly lit image."""
    _, binary = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return np.asarray(binary, dtype=np.uint8)


@dataclass(frozen=True)
class Glyphs:
    """Letter-sized ink components: rules, border edges and pictures would dominate any
    statistic of the text lines, specks of one pixel say nothing."""

    points: Points
    """(x, y) of every pixel of every kept component."""
    boxes: npt.NDArray[np.int32]
    """left, top, width, height of each kept component."""
    centres: Points


def glyphs(ink: npt.NDArray[np.uint8]) -> Glyphs:
    """The letter-sized components of an ink mask, found in one labelling pass."""
    _, labels, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = ink.shape
    w, h, area = (
        stats[:, cv2.CC_STAT_WIDTH],
        stats[:, cv2.CC_STAT_HEIGHT],
        stats[:, cv2.CC_STAT_AREA],
    )
    keep = (w < width * MAX_GLYPH_FRACTION) & (h < height * MAX_GLYPH_FRACTION) & (area >= 2)
    keep[0] = False  # the background label
    ys, xs = np.nonzero(keep[labels])
    points = np.column_stack((xs, ys)).astype(np.float64)
    ids = np.flatnonzero(keep)
    return Glyphs(points, stats[ids, :4].astype(np.int32), centroids[ids].astype(np.float64))


def map_points(points: Points, matrix: npt.NDArray[np.float64]) -> Points:
    """Points moved by a 2x3 affine map."""
    return points @ matrix[:, :2].T + matrix[:, 2]
