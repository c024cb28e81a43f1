"""Preparing one page's working copy: analysed small, corrected at full size in one turn."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from digitize.preprocess.binarize import binarize
from digitize.preprocess.images import Gray, glyphs, otsu_ink, scaled, turn_matrix, turned
from digitize.preprocess.leaders import Box, leader_boxes, paint_over
from digitize.preprocess.lighting import border_mask, clear, flatten, paper_brightness, unevenness
from digitize.preprocess.options import PreprocessOptions
from digitize.preprocess.orientation import judge_upright
from digitize.preprocess.skew import find_lean

ANALYSIS_DPI = 100.0
MIN_GLYPH_ROWS = 3
"""Components shorter than this at analysis size are dots and specks, not letters."""
"""Resolution at which orientation and skew are measured: enough for 0.05 degree."""
MIN_SKEW = 1.0
"""Skew below this is left alone: Tesseract follows a slightly leaning line by itself, and
turning the page resamples it, which blurs tone marks a few pixels tall. Measured: on the
transcribed real scans of vn-admin-real (0.2-1.25 degrees of lean) turning from 0.1 degree
cost 0.8 points of word error over not turning; on the generated set 1.0 reads mild pages
best (CER 1.5 % against 1.8 % at 0.1 and 3.5 % at 1.5), as they lean up to 2 degrees."""
UNEVEN_LIGHTING = 40.0
"""Paper brightness varying by more grey levels than this across the page gets flattened."""
ORIENTATION_TRUST = 0.25
"""Line balance beyond which the upright/upside-down verdict needs no second opinion."""
BINARIZE_MIN_GLYPH_PX = 16.0
"""Print smaller than this (median letter height in pixels) is left grey for Tesseract: its
edges' grey levels carry what a threshold would lose (an ID card at 200 dpi measures 10)."""
UPSCALE_BELOW_DPI = 180.0
"""Pages scanned below this resolution are enlarged for OCR."""
UPSCALE_TO_DPI = 300.0
UPSCALE_STEP = "upscale"
"""The step recorded on a page enlarged for OCR (its words' boxes are then not in the
rendering's pixels)."""


@dataclass(frozen=True)
class Prepared:
    """The working copy OCR reads, and how it relates to the scan as archived."""

    image: Gray
    dpi: float
    """Resolution of the working copy (higher than the scan's when it was enlarged)."""
    rotation: int
    """Quarter turns applied, clockwise degrees (0, 90, 180, 270)."""
    skew: float
    """Small clockwise turn applied on top, degrees."""
    orientation_sure: bool
    """False when the page could read either way up; OCR then checks the other way too."""
    steps: tuple[str, ...]
    binary: bool = False
    """Thresholded: every pixel is 0 or 255, so the image can be handed over at 1 bit."""


@dataclass(frozen=True)
class _Analysis:
    rotation: int
    skew: float
    sure: bool
    uneven: bool
    bordered: bool
    leaders: list[Box]
    """Dotted leaders found on the straightened analysis copy, in its pixels."""
    scale: float
    """Full-size pixels per analysis pixel."""
    glyph_px: float
    """Median letter height at full size, in pixels."""


def _analyse(gray: Gray, dpi: float, options: PreprocessOptions) -> tuple[_Analysis, Gray]:
    small = scaled(gray, min(1.0, ANALYSIS_DPI / dpi))
    small_dpi = dpi * small.shape[1] / gray.shape[1]
    paper = paper_brightness(small, small_dpi)
    flat = flatten(small, paper)
    mask = border_mask(paper, small_dpi, flat.shape) if options.borders else None
    if mask is not None:
        flat = clear(flat, mask)
    ink = glyphs(otsu_ink(flat))
    lean = find_lean(ink.points)
    quarter = lean.quarter if options.orientation else 0
    skew = (
        lean.skew
        if options.deskew and lean.quarter == quarter and abs(lean.skew) >= MIN_SKEW
        else 0.0
    )
    up = judge_upright(lean.profile) if quarter == lean.quarter else None
    flipped = bool(up and up.flipped and options.orientation)
    sure = not options.orientation or (
        up is not None and abs(up.balance) >= ORIENTATION_TRUST and up.lines >= 4
    )
    rotation = (quarter + (180 if flipped else 0)) % 360
    leaders = (
        leader_boxes(ink, turn_matrix(flat.shape, rotation + skew)[0], small_dpi)
        if options.leaders
        else []
    )
    uneven = unevenness(paper) > UNEVEN_LIGHTING
    scale = gray.shape[1] / small.shape[1]
    heights = ink.boxes[:, 3][ink.boxes[:, 3] >= MIN_GLYPH_ROWS]
    glyph_px = float(np.median(heights)) * scale if heights.size else 0.0
    analysis = _Analysis(rotation, skew, sure, uneven, mask is not None, leaders, scale, glyph_px)
    return analysis, paper


def prepare_page(gray: Gray, dpi: float, options: PreprocessOptions) -> Prepared:
    """The page upright, straight, borderless, evenly lit and clean, ready for OCR."""
    analysis, paper = _analyse(gray, dpi, options)
    original_dpi = dpi
    steps: list[str] = []
    work = gray
    mask = border_mask(paper, dpi, gray.shape) if analysis.bordered else None
    if options.lighting and analysis.uneven:
        work = flatten(work, paper)
        steps.append("lighting")
    if mask is not None:  # after flattening, whose new array takes the white in place:
        work = clear(work, mask, in_place=work is not gray)  # the same pixels either way
        steps.insert(0, "borders")
    rotation = analysis.rotation
    if rotation or analysis.skew:
        work = turned(work, rotation + analysis.skew)
        steps.append("turn")
    if analysis.leaders:
        work = paint_over(work, analysis.leaders, analysis.scale)
        steps.append("leaders")
    if options.upscale and dpi < UPSCALE_BELOW_DPI:
        factor = UPSCALE_TO_DPI / dpi
        work, dpi = scaled(work, factor), dpi * factor
        steps.append(UPSCALE_STEP)
    method = None
    if options.binarize and analysis.glyph_px * dpi / original_dpi >= BINARIZE_MIN_GLYPH_PX:
        work, method = binarize(work, denoise=options.denoise, grey_clean=options.grey_clean)
        steps.extend([method] if method else [])
    return Prepared(
        work, dpi, rotation, analysis.skew, analysis.sure, tuple(steps), binary=method is not None
    )


def upside_down(prepared: Prepared) -> Prepared:
    """The same working copy turned half a turn: OCR's second opinion on unsure pages."""
    return replace(
        prepared,
        image=np.ascontiguousarray(np.rot90(prepared.image, k=2)),
        rotation=(prepared.rotation + 180) % 360,
    )
