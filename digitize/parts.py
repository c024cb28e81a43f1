"""A scanned stack cut into its documents: each part's pages, type, fields and PDF/A.

The stack's searchable PDF is made once, page by page; its parts are cut from it (pages
copied, nothing re-read), so splitting costs no OCR and a clerk's different split costs
none either. A signed input is never cut: it is kept whole, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pikepdf import Pdf

from config.catalogue import Catalogue
from digitize.fields import extract_fields
from digitize.pdfwriter import DocumentMetadata, SearchablePdf
from digitize.result import Classification, DigitizedDocument, FoundField
from digitize.splitting import Segment, split_batch

PageWords = list[tuple[str, float]] | None


@dataclass(frozen=True)
class Part:
    """One document of a stack: its pages in the stack (1-based, inclusive) and what it is."""

    first: int
    last: int
    classification: Classification
    fields: dict[str, FoundField]
    """Fields found on the part's pages; their page numbers count from the part's first."""
    output: Path
    pdfa: bool
    boundary: str
    """Why the part starts where it does (first, numbering, header, type, clerk)."""


def find_segments(
    result: DigitizedDocument, catalogue: Catalogue, *, threshold: float, skip: int = 0
) -> list[Segment] | None:
    """Where the documents of a digitized file start, or None when it is one document.

    `skip` leading pages (a cover sheet) belong to no document; their pages are counted in
    the segments' page numbers all the same.
    """
    if result.signed_input or len(result.page_texts) <= skip:
        return None
    segments = split_batch(result.page_texts[skip:], catalogue, threshold=threshold)
    if len(segments) == 1 and not skip:
        return None
    return [_shifted(s, skip) for s in segments]


def _shifted(segment: Segment, by: int) -> Segment:
    return Segment(segment.first + by, segment.last + by, segment.classification, segment.boundary)


def write_parts(
    stack_pdf: Path,
    page_texts: Sequence[str],
    segments: Sequence[Segment],
    catalogue: Catalogue,
    out_dir: Path,
    *,
    page_words: Sequence[PageWords] | None = None,
    pdfa: bool = True,
    name: str = "",
) -> list[Part]:
    """Cut each segment's pages out of the stack's searchable PDF into a PDF/A of its own
    and read its fields; files are written to `out_dir` as part-<first>-<last>.pdf."""
    parts = []
    with Pdf.open(stack_pdf) as stack:
        for segment in segments:
            pages = slice(segment.first - 1, segment.last)
            words = list(page_words[pages]) if page_words else None
            fields = extract_fields(page_texts[pages], catalogue.provinces, words=words)
            out = out_dir / f"part-{segment.first}-{segment.last}.pdf"
            title = catalogue.document_type(segment.classification.document_type).name
            meta = DocumentMetadata(title=title, subject=f"{name} ({segment.first}-{segment.last})")
            with SearchablePdf() as part:
                part.pdf.pages.extend(stack.pages[pages])
                written = part.save(out, meta, pdfa=pdfa)
            parts.append(
                Part(
                    segment.first,
                    segment.last,
                    segment.classification,
                    fields,
                    out,
                    written,
                    str(segment.boundary),
                )
            )
    return parts
