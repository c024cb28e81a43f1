"""Which preprocessing steps run, each switchable so the benchmark can measure what it buys."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PreprocessOptions:
    """The steps applied to a page's working copy before OCR (the archived scan is untouched)."""

    orientation: bool = True
    """Turn sideways and upside-down pages upright."""
    deskew: bool = True
    """Straighten leaning text lines (any angle up to 10 degrees)."""
    borders: bool = True
    """Paint dark scanner-lid bands around the page white."""
    lighting: bool = True
    """Even out shadows and phone-camera fall-off where the page is unevenly lit."""
    leaders: bool = True
    """Erase dotted leaders after form fields, which OCR reads as junk."""
    upscale: bool = False
    """Enlarge low-resolution pages for OCR. Off: on 150 dpi phone photos the benchmark
    measured it raising the error rate (10% to 15%) and Tesseract's time (+45%)."""
    binarize: bool = True
    """Hand OCR black and white, thresholded as the page calls for (see preprocess.binarize)."""
    denoise: bool = True
    """Smooth grainy pages before thresholding them."""
    grey_clean: bool = False
    """Leave clean pages (neither grainy nor faded) grey for Tesseract instead of
    thresholding them with Otsu. Off: on the transcribed real scans grey missed 3.94 % of
    the words against 4.07 % thresholded, but cost 1.19x plain Tesseract's CPU against
    about 1.09x, past the 1.15x target (see preprocess.binarize)."""
