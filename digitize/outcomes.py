"""Digitization results turned into storage's outcomes, part PDFs stored on the way."""

from __future__ import annotations

from config.catalogue import get_catalogue
from digitize.parts import Part
from digitize.result import Classification, DigitizedDocument, FoundField, PageInfo
from storage.blobs import BlobRef, BlobStore
from storage.documents import DigitizedOutcome
from storage.parts import PartOutcome, StackOutcome


def as_outcome(
    kind: Classification,
    fields: dict[str, FoundField],
    pages: list[PageInfo],
    texts: list[str],
    *,
    pdf: BlobRef,
    pdfa: bool,
) -> DigitizedOutcome:
    """What digitization read, in storage's terms."""
    return DigitizedOutcome(
        pdf_sha256=pdf.sha256,
        pdf_size=pdf.size,
        pdfa=pdfa,
        text="\f".join(texts),
        page_count=len(pages),
        document_type=kind.document_type,
        type_confidence=kind.confidence,
        type_source=kind.source,
        component_label=get_catalogue().document_type(kind.document_type).name,
        type_candidates=[[code, p] for code, p in kind.candidates],
        fields={
            k: {"value": f.value, "page": f.page, "confidence": f.confidence}
            for k, f in fields.items()
        },
        page_info=[p.to_dict() for p in pages],
    )


def store_parts(
    blobs: BlobStore, parts: list[Part], pages: list[PageInfo], texts: list[str]
) -> list[PartOutcome]:
    """Store each part's PDF and describe it for storage."""
    return [
        PartOutcome(
            part.first,
            part.last,
            as_outcome(
                part.classification,
                part.fields,
                pages[part.first - 1 : part.last],
                texts[part.first - 1 : part.last],
                pdf=blobs.put_file(part.output),
                pdfa=part.pdfa,
            ),
            part.boundary,
        )
        for part in parts
    ]


def as_stack(result: DigitizedDocument, pdf: BlobRef) -> StackOutcome:
    """A split stack's whole searchable PDF, in storage's terms."""
    return StackOutcome(
        pdf.sha256, pdf.size, result.pdfa, result.text, len(result.pages),
        [p.to_dict() for p in result.pages],
    )  # fmt: skip
