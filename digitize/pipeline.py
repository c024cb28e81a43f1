"""The digitization pipeline: one file in, a searchable PDF and what it says out."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from config.catalogue import Catalogue
from config.errors import ToolFailed, ToolMissing
from digitize._exec import pdftoppm
from digitize.classify import classify
from digitize.fields import extract_fields
from digitize.images import iter_image_pages
from digitize.ocr import OcrEngine, OcrPage, load_engine
from digitize.options import DigitizeOptions
from digitize.pdfinput import is_signed, open_pdf, page_size, read_text_layers, render_dpi
from digitize.pdfwriter import DocumentMetadata, SearchablePdf, copy_unchanged
from digitize.quality import page_flags
from digitize.result import DigitizedDocument, PageInfo, PageSource
from digitize.sniff import MediaType, check_file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Job:
    """What every page of one file shares."""

    name: str
    out: Path
    workdir: Path
    options: DigitizeOptions
    engine: OcrEngine
    catalogue: Catalogue


def digitize_file(
    path: Path,
    out: Path,
    options: DigitizeOptions,
    *,
    catalogue: Catalogue,
    engine: OcrEngine | None = None,
    name: str | None = None,
) -> DigitizedDocument:
    """Digitize one file into `out`; InputRejected (naming the file) if it is not a document.

    `name` is how errors and logs refer to the file (its upload name, say), default its own.
    """
    name = name or path.name
    media = check_file(path, max_bytes=options.max_bytes, name=name)
    engine = engine or load_engine(
        options.engine, language=options.language, timeout=options.page_timeout
    )
    with tempfile.TemporaryDirectory(prefix="sohoa-digitize-") as tmp:
        job = _Job(name, out, Path(tmp), options, engine, catalogue)
        if media is MediaType.PDF:
            return _digitize_pdf(path, job)
        return _digitize_images(path, media, job)


def _ocr(job: _Job, image: Path, dpi: int, number: int) -> tuple[OcrPage | None, list[str]]:
    """OCR one page; a page Tesseract cannot read is flagged, the rest of the file goes on."""
    what = f"{job.name} page {number}"
    try:
        return job.engine.recognize(image, job.workdir, dpi=dpi, what=what), []
    except ToolMissing:
        raise
    except ToolFailed as e:
        log.warning("OCR failed: %s", e.message)
        return None, ["ocr_failed"]


def _ocr_info(number: int, ocr: OcrPage | None, dpi: int, extra_flags: list[str]) -> PageInfo:
    text = ocr.text if ocr else ""
    chars = sum(1 for ch in text if not ch.isspace())
    confidence = None if ocr is None or ocr.confidence is None else round(ocr.confidence, 1)
    flags = extra_flags + page_flags(dpi=dpi, chars=chars, confidence=confidence, ocr=True)
    return PageInfo(
        number, PageSource.OCR, confidence=confidence, dpi=dpi, chars=chars, flags=flags
    )


def _finish(
    job: _Job,
    doc: SearchablePdf | None,
    pages: list[PageInfo],
    texts: list[str],
    *,
    signed_source: Path | None = None,
) -> DigitizedDocument:
    """Classify, extract fields, and write the output file."""
    opts = job.options
    classification = classify(texts, job.catalogue, threshold=opts.type_threshold)
    fields = extract_fields(texts, job.catalogue.provinces)
    title = job.catalogue.document_type(classification.document_type).name
    if signed_source is not None:
        copy_unchanged(signed_source, job.out)
        pdfa = False
    else:
        assert doc is not None
        pdfa = doc.save(job.out, DocumentMetadata(title=title, subject=job.name), pdfa=opts.pdfa)
    return DigitizedDocument(
        pages=pages,
        page_texts=texts,
        output=job.out,
        pdfa=pdfa,
        classification=classification,
        fields=fields,
        signed_input=signed_source is not None,
    )


def _digitize_images(path: Path, media: MediaType, job: _Job) -> DigitizedDocument:
    pages: list[PageInfo] = []
    texts: list[str] = []
    opts = job.options
    with SearchablePdf() as doc:
        for image in iter_image_pages(
            path,
            media,
            job.workdir,
            name=job.name,
            max_pixels=opts.max_image_pixels,
            max_pages=opts.max_pages,
        ):
            dpi = round(image.dpi)
            ocr, flags = _ocr(job, image.working, dpi, image.number)
            image.working.unlink(missing_ok=True)
            doc.add_image_page(image.embed, dpi=image.dpi, rotation=image.rotation)
            if ocr is not None:
                doc.add_text_layer(len(doc.pdf.pages) - 1, ocr.text_pdf)
            info = _ocr_info(
                image.number, ocr, dpi, flags + (["dpi_estimated"] if image.dpi_estimated else [])
            )
            info.rotation = image.rotation
            pages.append(info)
            texts.append(ocr.text if ocr else "")
        return _finish(job, doc, pages, texts)


def _digitize_pdf(path: Path, job: _Job) -> DigitizedDocument:
    opts = job.options
    pdf = open_pdf(path, name=job.name, max_pages=opts.max_pages)
    signed = is_signed(pdf)
    with SearchablePdf(pdf) as doc:
        layers = read_text_layers(path, name=job.name, pages=len(pdf.pages))
        pages: list[PageInfo] = []
        texts: list[str] = []
        for index, layer_text in enumerate(layers):
            number = index + 1
            chars = sum(1 for ch in layer_text if not ch.isspace())
            if chars >= opts.text_layer_min_chars:
                pages.append(PageInfo(number, PageSource.TEXT_LAYER, chars=chars))
                texts.append(layer_text)
                continue
            ocr, info = _ocr_pdf_page(
                path, pdf_page_size=page_size(pdf, index), number=number, job=job
            )
            if ocr is not None and not signed:
                doc.add_text_layer(index, ocr.text_pdf)
            pages.append(info)
            texts.append(ocr.text if ocr else layer_text)
        return _finish(job, doc, pages, texts, signed_source=path if signed else None)


def _ocr_pdf_page(
    path: Path, *, pdf_page_size: tuple[float, float], number: int, job: _Job
) -> tuple[OcrPage | None, PageInfo]:
    opts = job.options
    dpi = render_dpi(*pdf_page_size, dpi=opts.render_dpi, max_pixels=opts.max_render_pixels)
    try:
        image = pdftoppm.render_page(
            path,
            number,
            job.workdir / f"render-{number:04d}",
            dpi=dpi,
            timeout=opts.page_timeout,
            what=f"{job.name} page {number}",
        )
    except ToolMissing:
        raise
    except ToolFailed as e:
        log.warning("rendering failed: %s", e.message)
        return None, _ocr_info(number, None, dpi, ["render_failed"])
    ocr, flags = _ocr(job, image, dpi, number)
    image.unlink(missing_ok=True)
    return ocr, _ocr_info(number, ocr, dpi, flags)
