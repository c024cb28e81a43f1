"""What digitizing one file produced: pages, text, type, fields and the output PDF."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class PageSource(StrEnum):
    """Where a page's text came from."""

    OCR = "ocr"
    TEXT_LAYER = "text_layer"


@dataclass
class PageInfo:
    """What happened to one page, for the clerk's quality check."""

    number: int
    """1-based page number in the input."""
    source: PageSource
    rotation: int = 0
    """Degrees the page was turned clockwise to be upright (0, 90, 180, 270)."""
    skew: float = 0.0
    """Further clockwise degrees it was turned to straighten its lines."""
    confidence: float | None = None
    """Mean Tesseract word confidence, 0-100; None for text-layer pages."""
    dpi: int | None = None
    """Resolution of the page image that was OCRed."""
    chars: int = 0
    """Non-space characters of text found on the page."""
    flags: list[str] = field(default_factory=list)
    """Problems a clerk should look at: low_dpi, blank, low_confidence, ocr_failed."""
    steps: list[str] = field(default_factory=list)
    """Cleaning applied to the OCR copy: borders, lighting, turn, denoise, leaders, upscale."""
    text_layer: str = ""
    """What became of the PDF page's own text layer: '' (it had none), `kept`, `replaced`
    (judged poor, as a scanner's own OCR often is: the page was OCRed instead) or `forced`
    (OCR was asked for)."""
    text_layer_reason: str = ""
    """The measures behind that choice (see digitize.plausibility.judge_text_layer)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as stored and printed."""
        data = asdict(self)
        data["source"] = self.source.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageInfo:
        """Back from the stored form."""
        return cls(**{**data, "source": PageSource(data["source"])})


@dataclass(frozen=True)
class Classification:
    """A document type with a confidence, and the runners-up a clerk may choose from."""

    document_type: str
    confidence: float
    """Calibrated probability (0-1) that the type is right; for a `khac` given because no
    type reached the threshold, the best candidate's probability."""
    candidates: tuple[tuple[str, float], ...] = ()
    """The most likely catalogue types (never `khac`) with their probabilities, best first."""
    source: str = "model"
    """Why this answer: model, structure (an official document's title and symbol), rules (a
    type the model does not know, by its printed title), threshold (no type was sure enough,
    so `khac`), empty (no text), clerk."""


@dataclass(frozen=True)
class FoundField:
    """A value read from the text, the page it was on and how sure the reading is (0-1)."""

    value: str
    page: int
    confidence: float


@dataclass(frozen=True)
class DigitizedDocument:
    """The result of digitizing one file that could be read."""

    pages: list[PageInfo]
    page_texts: list[str]
    """NFC text of each page."""
    output: Path
    """The searchable PDF written."""
    pdfa: bool
    """Whether the output passed PDF/A-2b validation."""
    classification: Classification
    fields: dict[str, FoundField]
    signed_input: bool = False
    """The input carried a digital signature, so it was kept byte for byte."""
    page_words: list[list[tuple[str, float]] | None] = field(default_factory=list)
    """Each page's OCR words with Tesseract's confidence (None for a text-layer page), so
    the fields of each document of a scanned stack can be read as carefully as the whole."""

    @property
    def text(self) -> str:
        """All pages' text, separated by form feeds."""
        return "\f".join(self.page_texts)
