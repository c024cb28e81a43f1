"""OCR engines behind one small interface, so tests can swap in one that crashes."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from config.errors import ConfigurationError
from config.text import nfc
from digitize._exec import tesseract
from digitize._exec.tesseract import Word
from digitize.reading_order import WordBox, reading_order


@dataclass(frozen=True)
class OcrPage:
    """What an engine read on one page image."""

    text: str
    """NFC text in reading order (side-by-side blocks one after the other)."""
    words: tuple[Word, ...]
    confidence: float | None
    """Mean word confidence, 0-100; None when no word was found."""


def page_of(read: Iterable[Word]) -> OcrPage:
    """A page of these words: its text in reading order and their mean confidence."""
    words = tuple(read)
    scored = [w.confidence for w in words if w.confidence >= 0]
    confidence = sum(scored) / len(scored) if scored else None
    boxes = [WordBox(w.text, w.left, w.top, w.left + w.width, w.top + w.height) for w in words]
    return OcrPage(reading_order(boxes), words, confidence)


class OcrEngine(Protocol):
    """Reads one upright page image."""

    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        """OCR the image; `what` names the file and page in errors."""
        ...


@dataclass(frozen=True)
class TesseractEngine:
    """Tesseract 5 through its command line, one thread per process."""

    language: str
    timeout: float

    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        read = tesseract.recognize(
            image, workdir, language=self.language, dpi=dpi, timeout=self.timeout, what=what
        )
        return page_of(
            Word(nfc(w.text), w.left, w.top, w.width, w.height, w.confidence, w.line) for w in read
        )


def load_engine(name: str, *, language: str, timeout: float) -> OcrEngine:
    """The engine a setting names: `tesseract`, or `module:Class` taking language and timeout."""
    if name == "tesseract":
        return TesseractEngine(language, timeout)
    module_name, _, class_name = name.partition(":")
    try:
        engine_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as e:
        raise ConfigurationError(f"OCR engine {name!r} cannot be loaded: {e}") from e
    engine: OcrEngine = engine_class(language=language, timeout=timeout)
    return engine
