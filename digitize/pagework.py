"""One page's OCR work: prepare its working copy, read it, and check the other way up if unsure."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2

from config.errors import ToolFailed, ToolMissing
from digitize._exec import tesseract
from digitize._exec.tesseract import Word
from digitize.bilevel import write_bilevel_tiff
from digitize.handwritten import check_blanks
from digitize.ocr import OcrEngine, OcrPage, page_of
from digitize.options import DigitizeOptions
from digitize.plausibility import reading_score
from digitize.preprocess.images import Gray
from digitize.preprocess.prepare import Prepared, prepare_page, upside_down
from digitize.quality import page_flags
from digitize.result import PageInfo, PageSource

log = logging.getLogger(__name__)

SECOND_OPINION_BELOW = 75.0
"""Mean word confidence under which an unsure page is also read the other way up."""
SHORT_PAGE_WORDS = 80
"""A page read with fewer words than this is short (an ID card, a receipt, a photo of a
card on a table): cheap to read twice, and its few lines are what fools the ink-balance
guess (and Tesseract's own OSD), so its way up is decided by reading it both ways."""
CARD_ASPECT = (1.45, 1.75)
"""Long side over short side of a card-like page: ID-1 cards are 85.6 x 54 mm (1.585);
A4 and A5 (1.414) fall outside, a card cropped with a little margin inside."""
BOTH_WAYS = "orientation_by_ocr"
"""The step recorded on a page whose way up was decided by reading it both ways."""

Loader = Callable[[], tuple[Gray, float]]
"""Produces the page's greyscale image and its resolution (decoding or rendering it)."""


@dataclass(frozen=True)
class PageJob:
    """A page to read: how to get its image, and how to name it in messages."""

    number: int
    load: Loader
    what: str
    """File and page, for errors and logs."""


@dataclass(frozen=True)
class PageReading:
    """What was read on a page and how the page was turned to read it."""

    number: int
    ocr: OcrPage | None
    info: PageInfo
    size: tuple[int, int] = (0, 0)
    """Width and height in pixels of the working copy that was read: the space of the
    OCR's word boxes."""

    @property
    def turn(self) -> float:
        """Clockwise degrees from the scan to the copy that was read; the PDF shows the same."""
        return self.info.rotation + self.info.skew

    @property
    def text(self) -> str:
        return self.ocr.text if self.ocr else ""


WORKING_FORMAT = (".tif", [cv2.IMWRITE_TIFF_COMPRESSION, 1])
"""Uncompressed TIFF: cheapest to write here and to read for Tesseract (measured: PGM costs
Tesseract 0.1 s more a page through Leptonica's reader, PNG costs us 50 ms to compress)."""


def _write_working_copy(prepared: Prepared, target: Path) -> None:
    """The working copy as Tesseract reads it fastest: a thresholded page at 1 bit a pixel
    (Tesseract then skips its own thresholding; measured on the benchmark's thresholded
    pages: the same words and boxes for 4-6 % less Tesseract CPU), a grey one at 8."""
    if not prepared.binary:
        cv2.imwrite(str(target), prepared.image, WORKING_FORMAT[1])
        return
    write_bilevel_tiff(target, prepared.image, round(prepared.dpi))


def _recognize(
    engine: OcrEngine, prepared: Prepared, workdir: Path, number: int, what: str
) -> OcrPage:
    image = workdir / f"work-{number:04d}-{prepared.rotation}{WORKING_FORMAT[0]}"
    _write_working_copy(prepared, image)
    try:
        return engine.recognize(image, workdir, dpi=round(prepared.dpi), what=what)
    finally:
        image.unlink(missing_ok=True)


def _better(
    first: tuple[Prepared, OcrPage], second: tuple[Prepared, OcrPage]
) -> tuple[Prepared, OcrPage]:
    """The reading holding more sound text: confidence counted only on plausible words
    (Vietnamese syllables, numbers, MRZ codes), since junk read upside down can come out
    as many words, some of them confident."""

    def score(reading: tuple[Prepared, OcrPage]) -> float:
        return reading_score((w.text, w.confidence) for w in reading[1].words)

    return second if score(second) > score(first) else first


def _card_like(prepared: Prepared) -> bool:
    height, width = (int(side) for side in prepared.image.shape[:2])
    ratio = max(height, width) / max(1, min(height, width))
    return CARD_ASPECT[0] <= ratio <= CARD_ASPECT[1]


def _read_both_ways(prepared: Prepared, first: OcrPage) -> bool:
    """Whether a page's way up is decided by reading it the other way too: a page the
    ink-balance guess was unsure of and OCR not confident on, and any short or card-like
    page, however sure the guess was (it is wrong on card backs: MRZ lines of capitals and
    `<`, fingerprints)."""
    if not prepared.orientation_sure and (first.confidence or 0.0) < SECOND_OPINION_BELOW:
        return True
    return len(first.words) < SHORT_PAGE_WORDS or _card_like(prepared)


def _blanks_checked(
    prepared: Prepared, page: OcrPage, options: DigitizeOptions, workdir: Path, what: str
) -> OcrPage:
    """The page with its header's number and day blanks checked (digitize.handwritten): ink
    two readers read alike written in, digits no reread confirms marked unsure."""

    def read(crop: Path, psm: int) -> tuple[Word, ...]:
        return tesseract.read_digit_line(
            crop, workdir, psm=psm, dpi=round(prepared.dpi), timeout=options.page_timeout, what=what
        )

    def read_glyphs(crop: Path) -> tuple[tesseract.Glyph, ...]:
        return tesseract.read_glyphs(
            crop,
            workdir,
            language=options.language,
            dpi=round(prepared.dpi),
            timeout=options.page_timeout,
            what=what,
        )

    words = check_blanks(prepared.image, page.words, read, workdir, what, read_glyphs=read_glyphs)
    return page if words is None else page_of(words)


def read_page(
    job: PageJob, options: DigitizeOptions, engine: OcrEngine, workdir: Path
) -> PageReading:
    """Prepare and OCR one page. A page Tesseract cannot read is flagged, not fatal."""
    try:
        gray, dpi = job.load()
    except ToolMissing:
        raise
    except ToolFailed as e:
        log.warning("rendering failed: %s", e.message)
        return PageReading(job.number, None, _info(job.number, None, None, 0, ["render_failed"]))
    prepared = prepare_page(gray, dpi, options.preprocess)
    del gray
    steps: list[str] = []
    try:
        chosen = (prepared, _recognize(engine, prepared, workdir, job.number, job.what))
        if _read_both_ways(prepared, chosen[1]):
            flipped = upside_down(prepared)
            chosen = _better(
                chosen, (flipped, _recognize(engine, flipped, workdir, job.number, job.what))
            )
            steps.append(BOTH_WAYS)
    except ToolMissing:
        raise
    except ToolFailed as e:
        log.warning("OCR failed: %s", e.message)
        return PageReading(
            job.number, None, _info(job.number, prepared, None, round(dpi), ["ocr_failed"])
        )
    if options.engine == "tesseract" and chosen[1].words:
        chosen = (chosen[0], _blanks_checked(chosen[0], chosen[1], options, workdir, job.what))
    info = _info(job.number, chosen[0], chosen[1], round(dpi), [])
    info.steps.extend(steps)
    height, width = chosen[0].image.shape[:2]
    return PageReading(job.number, chosen[1], info, (int(width), int(height)))


def _info(
    number: int, prepared: Prepared | None, ocr: OcrPage | None, dpi: int, flags: list[str]
) -> PageInfo:
    text = ocr.text if ocr else ""
    chars = sum(1 for ch in text if not ch.isspace())
    confidence = None if ocr is None or ocr.confidence is None else round(ocr.confidence, 1)
    return PageInfo(
        number,
        PageSource.OCR,
        rotation=prepared.rotation if prepared else 0,
        skew=prepared.skew if prepared else 0.0,
        confidence=confidence,
        dpi=dpi or None,
        chars=chars,
        flags=flags + page_flags(dpi=dpi or None, chars=chars, confidence=confidence, ocr=True),
        steps=list(prepared.steps) if prepared else [],
    )
