"""The digitization pipeline: one file in, a searchable PDF/A and what it says out."""

from __future__ import annotations

import logging
import tempfile
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import cv2

from config.catalogue import Catalogue
from config.errors import ActiveContent, ToolFailed
from digitize._exec import pdftoppm
from digitize.activecontent import executable, find_active, strip_active
from digitize.appearances import as_print, flatten_into_pages
from digitize.cvthreads import opencv_single_threaded
from digitize.doctype import classify
from digitize.fields import extract_fields
from digitize.images import ImagePage, iter_image_pages
from digitize.ocr import OcrEngine, load_engine
from digitize.options import DigitizeOptions
from digitize.pagework import PageJob, PageReading, read_page
from digitize.parallel import ordered_map
from digitize.pdfinput import (
    TextLayer,
    is_signed,
    open_pdf,
    page_size,
    read_text_layers,
    render_dpi,
)
from digitize.pdfwriter import DocumentMetadata, SearchablePdf, copy_unchanged
from digitize.plausibility import judge_text_layer
from digitize.preprocess.images import Gray
from digitize.preprocess.prepare import UPSCALE_STEP
from digitize.preprocess.seals import as_rgb, gray_without_seals
from digitize.quality import page_flags
from digitize.reading_order import WordBox, median_height, reading_order
from digitize.result import DigitizedDocument, PageInfo, PageSource
from digitize.sniff import MediaType, check_file

log = logging.getLogger(__name__)

WINDOW_PER_JOB = 2
"""Pages decoded ahead per parallel job: enough to keep every core busy, few enough that a
100-page document never holds more than a handful of page images in memory."""


@dataclass(frozen=True)
class _Job:
    """What every page of one file shares."""

    name: str
    out: Path
    workdir: Path
    options: DigitizeOptions
    engine: OcrEngine
    catalogue: Catalogue
    pool: Executor | None

    @property
    def window(self) -> int:
        return max(1, self.options.jobs) * WINDOW_PER_JOB


def digitize_file(
    path: Path,
    out: Path,
    options: DigitizeOptions,
    *,
    catalogue: Catalogue,
    engine: OcrEngine | None = None,
    name: str | None = None,
    pool: Executor | None = None,
) -> DigitizedDocument:
    """Digitize one file into `out`; InputRejected (naming the file) if it is not a document.

    `name` is how errors and logs refer to the file (its upload name, say). Pages are read
    on `pool` when one is given (see digitize.batch), else one after another.
    """
    opencv_single_threaded()
    name = name or path.name
    media = check_file(path, max_bytes=options.max_bytes, name=name)
    engine = engine or load_engine(
        options.engine, language=options.language, timeout=options.page_timeout
    )
    with tempfile.TemporaryDirectory(prefix="sohoa-digitize-") as tmp:
        job = _Job(name, out, Path(tmp), options, engine, catalogue, pool)
        if media is MediaType.PDF:
            return _digitize_pdf(path, job)
        return _digitize_images(path, media, job)


PageWords = list[tuple[str, float]] | None
"""A page's OCR words with Tesseract's confidence in each; None for a text-layer page."""


def _words(reading: PageReading | None) -> PageWords:
    if reading is None or reading.ocr is None:
        return None
    return [(w.text, w.confidence) for w in reading.ocr.words]


def _finish(
    job: _Job,
    doc: SearchablePdf,
    pages: list[PageInfo],
    texts: list[str],
    words: list[PageWords],
    *,
    signed: Path | None = None,
) -> DigitizedDocument:
    """Classify, extract fields (an ID number OCR was unsure of is left out), write the PDF."""
    opts = job.options
    classification = classify(texts, job.catalogue, threshold=opts.type_threshold)
    fields = extract_fields(texts, job.catalogue.provinces, words=words)
    if signed is not None:
        copy_unchanged(signed, job.out)
        pdfa = False
    else:
        title = job.catalogue.document_type(classification.document_type).name
        pdfa = doc.save(job.out, DocumentMetadata(title=title, subject=job.name), pdfa=opts.pdfa)
    return DigitizedDocument(
        pages, texts, job.out, pdfa, classification, fields, signed is not None, words
    )


def _digitize_images(path: Path, media: MediaType, job: _Job) -> DigitizedDocument:
    opts = job.options
    scans = iter_image_pages(
        path, media, name=job.name, max_pixels=opts.max_image_pixels, max_pages=opts.max_pages
    )

    def read(scan: ImagePage) -> tuple[ImagePage, PageReading]:
        page = PageJob(scan.number, lambda: (scan.gray, scan.dpi), f"{job.name} page {scan.number}")
        return scan, read_page(page, opts, job.engine, job.workdir)

    pages: list[PageInfo] = []
    texts: list[str] = []
    words: list[PageWords] = []
    with SearchablePdf() as doc:
        for scan, reading in ordered_map(job.pool, read, scans, window=job.window):
            doc.add_image_page(scan.embed, dpi=scan.dpi, rotation=scan.rotation + reading.turn)
            if reading.ocr is not None:
                doc.add_text_layer(len(doc.pdf.pages) - 1, reading.ocr.words, reading.size)
            info = reading.info
            info.rotation = (info.rotation + scan.rotation) % 360
            info.dpi = round(scan.dpi)
            info.flags = [*info.flags, *(["dpi_estimated"] if scan.dpi_estimated else [])]
            pages.append(info)
            texts.append(reading.text)
            words.append(_words(reading))
        return _finish(job, doc, pages, texts, words)


def _render_loader(path: Path, number: int, dpi: int, job: _Job) -> tuple[Gray, float]:
    rendered = pdftoppm.render_page(
        path,
        number,
        job.workdir / f"render-{number:04d}",
        dpi=dpi,
        timeout=job.options.page_timeout,
        what=f"{job.name} page {number}",
        annotations=False,
        colour=True,
    )
    try:
        image = cv2.imread(str(rendered), cv2.IMREAD_COLOR)
    finally:
        rendered.unlink(missing_ok=True)
    if image is None:
        raise ToolFailed(f"pdftoppm wrote no readable image for {job.name} page {number}")
    return gray_without_seals(as_rgb(image), dpi, bgr=True), float(dpi)


@dataclass(frozen=True)
class _LayerChoice:
    """Whether a PDF page's own text layer is read or the page OCRed, and why."""

    read: bool
    verdict: str
    """PageInfo.text_layer: '', kept, replaced or forced."""
    reason: str


def _choose(layer: TextLayer, options: DigitizeOptions) -> _LayerChoice:
    if layer.content_chars < options.text_layer_min_chars:
        return _LayerChoice(False, "", "")
    if options.force_ocr:
        return _LayerChoice(False, "forced", "OCR asked for")
    judged = judge_text_layer(layer.text)
    return _LayerChoice(judged.good, "kept" if judged.good else "replaced", judged.reason)


def _digitize_pdf(path: Path, job: _Job) -> DigitizedDocument:
    opts = job.options
    with open_pdf(path, name=job.name, max_pages=opts.max_pages) as pdf:
        signed = is_signed(pdf)
        if signed and (running := executable(find_active(pdf))):
            raise ActiveContent(
                job.name,
                f"is a signed PDF carrying {', '.join(running)}, which cannot be removed "
                "without breaking its signature",
            )
        if not signed:
            strip_active(pdf, job.name)
            flatten_into_pages(pdf)
        layers = read_text_layers(path, name=job.name, pages=len(pdf.pages))
        choices = [_choose(layer, opts) for layer in layers]
        to_ocr = [i for i, choice in enumerate(choices) if not choice.read]
        sizes = {i: page_size(pdf, i) for i in to_ocr}

        def read(index: int) -> PageReading:
            dpi = render_dpi(*sizes[index], dpi=opts.render_dpi, max_pixels=opts.max_render_pixels)
            number = index + 1
            page = PageJob(
                number, lambda: _render_loader(path, number, dpi, job), f"{job.name} page {number}"
            )
            return read_page(page, opts, job.engine, job.workdir)

        readings = {r.number - 1: r for r in ordered_map(job.pool, read, to_ocr, window=job.window)}
        with SearchablePdf(pdf, owned=False) as doc:
            pages, texts = [], []
            for index, (layer, choice) in enumerate(zip(layers, choices, strict=True)):
                info, text = _page_result(doc, index, layer, readings.get(index), signed=signed)
                info.text_layer, info.text_layer_reason = choice.verdict, choice.reason
                pages.append(info)
                texts.append(text)
            words = [_words(readings.get(index)) for index in range(len(layers))]
            return _finish(job, doc, pages, texts, words, signed=path if signed else None)


def _page_result(
    doc: SearchablePdf,
    index: int,
    layer: TextLayer,
    reading: PageReading | None,
    *,
    signed: bool,
) -> tuple[PageInfo, str]:
    """One page's report and text; an OCRed page of an unsigned PDF gets sohoa's text layer
    in place of any invisible one it carried (a scanner's own OCR)."""
    if reading is None:
        chars = layer.content_chars
        flags = page_flags(dpi=None, chars=chars, confidence=None, ocr=False)
        return PageInfo(index + 1, PageSource.TEXT_LAYER, chars=chars, flags=flags), layer.text
    if reading.ocr is not None and not signed:
        doc.drop_invisible_text(index)
        doc.turn_page(index, reading.turn)
        doc.add_text_layer(index, reading.ocr.words, reading.size)
    return reading.info, _with_drawn(reading, layer)


INK_SHARE = 0.85
"""Tesseract's word boxes bound the ink, pdfplumber's the font's whole height: an OCRed
word's median height is this share of the print's font height (13-14 pt letters of
vn-admin-real's scans measure 10.3-12.2 pt of ink)."""


def _with_drawn(reading: PageReading, layer: TextLayer) -> str:
    """An OCRed page's text with the annotation words that are the document's print.

    The page is rendered for OCR without its annotations: an e-office's signing stamps over
    a scan's header garble the lines under them. A number or day written into a widget is
    taken as drawn instead, in place where the page was read as it lies, after the page's
    text where it was turned; the stamps' small print is left out (appearances.as_print)."""
    if reading.ocr is None or not layer.drawn:
        return reading.text or layer.text
    dpi = reading.info.dpi
    scale = 72 / dpi if dpi else 1.0
    read = [
        WordBox(
            w.text,
            w.left * scale,
            w.top * scale,
            (w.left + w.width) * scale,
            (w.top + w.height) * scale,
        )
        for w in reading.ocr.words
    ]
    ink = median_height(read)
    printed = as_print(layer.drawn, ink / INK_SHARE if ink else None)
    if not printed:
        return reading.text
    if reading.turn == 0 and dpi and UPSCALE_STEP not in reading.info.steps:
        return reading_order(read + printed)
    return "\n".join(part for part in (reading.text, reading_order(printed)) if part)
