"""The one options object that flows down the digitization call stack."""

from __future__ import annotations

from dataclasses import dataclass, field

from config import defaults
from config.settings import Settings
from digitize.preprocess.options import PreprocessOptions


@dataclass(frozen=True)
class DigitizeOptions:
    """How to digitize one file; built once at the edge (CLI, task) from the settings."""

    language: str = defaults.OCR_LANGUAGE
    """Tesseract language(s)."""
    max_bytes: int = defaults.MAX_UPLOAD_BYTES
    """Files larger than this are refused before they are parsed."""
    max_pages: int = defaults.MAX_PAGES
    """Files with more pages are refused."""
    max_image_pixels: int = defaults.MAX_IMAGE_PIXELS
    """Page images with more pixels are refused as likely decompression bombs."""
    max_render_pixels: int = defaults.MAX_RENDER_PIXELS
    """PDF pages are rendered for OCR at a dpi that keeps them under this many pixels."""
    render_dpi: int = defaults.OCR_RENDER_DPI
    """Resolution for rendering PDF pages that have no text layer."""
    page_timeout: float = defaults.OCR_PAGE_TIMEOUT
    """Seconds one page may spend in Tesseract."""
    text_layer_min_chars: int = defaults.TEXT_LAYER_MIN_CHARS
    """A PDF page with this much text is read rather than OCRed."""
    type_threshold: float = defaults.TYPE_CONFIDENCE_THRESHOLD
    """Below this confidence the type is reported as `khac`."""
    engine: str = "tesseract"
    """The OCR engine: `tesseract` or `module:Class` (see digitize.ocr.load_engine)."""
    preprocess: PreprocessOptions = field(default_factory=PreprocessOptions)
    """Which cleaning steps prepare each page's working copy for OCR."""
    jobs: int = 1
    """Pages OCRed at once (one Tesseract thread each). A worker process uses 1 and scales
    by processes; `sohoa digitize` uses every core."""
    force_ocr: bool = False
    """OCR every page of a PDF, even one whose text layer looks sound (a clerk who sees a
    scanner's poor text layer slip through asks for it)."""
    pdfa: bool = True
    """Write PDF/A-2b (validated); if a file cannot be made PDF/A it is kept as plain PDF."""

    @classmethod
    def from_settings(
        cls, settings: Settings, *, jobs: int = 1, force_ocr: bool = False
    ) -> DigitizeOptions:
        """Options as configured for this deployment."""
        return cls(
            jobs=jobs,
            force_ocr=force_ocr,
            language=settings.ocr_language,
            max_bytes=settings.max_upload_bytes,
            max_pages=settings.max_pages,
            max_image_pixels=settings.max_image_pixels,
            page_timeout=settings.ocr_page_timeout,
            engine=settings.ocr_engine,
        )
