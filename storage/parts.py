"""Scanned stacks and their documents: a stack split into parts, and a clerk's re-split.

The stack (the uploaded file) keeps its original and its whole searchable PDF, with status
`split`; each part is a document of its own — pages of the stack, a type, fields, a PDF/A
cut from the stack's — that fills a component like any uploaded document. A clerk's
different split supersedes the earlier parts (kept, for the record) with new ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from config.errors import InvalidRequest
from storage.documents import DigitizedOutcome, attach_outcome, get_document, release_component
from storage.enums import DocumentStatus, EventKind
from storage.events import append_event
from storage.models import Document
from storage.search.index import remove_entry
from storage.signatures import refuse_if_frozen
from storage.types import utcnow


@dataclass(frozen=True)
class PartOutcome:
    """One document cut from a stack: its pages of the stack (1-based, inclusive)."""

    first_page: int
    last_page: int
    outcome: DigitizedOutcome
    boundary: str
    """Why it starts there: first, numbering, header, type, clerk."""


@dataclass(frozen=True)
class StackOutcome:
    """The whole stack's searchable PDF and text."""

    pdf_sha256: str
    pdf_size: int
    pdfa: bool
    text: str
    page_count: int
    page_info: list[dict[str, object]]


def live_parts(stack: Document) -> list[Document]:
    """The stack's current parts (not those a clerk's re-split superseded), in page order."""
    return sorted(
        (p for p in stack.parts if p.status is not DocumentStatus.SUPERSEDED),
        key=lambda p: p.first_page or 0,
    )


def record_split(
    session: Session,
    document_id: int,
    stack: StackOutcome,
    parts: Sequence[PartOutcome],
    *,
    actor: str,
) -> list[Document]:
    """Record a stack as split into `parts`, each a digitized document, in one transaction.

    Parts recorded before (an earlier split) are superseded, so calling it again with a
    clerk's split replaces the automatic one and never duplicates a document.
    """
    root = get_document(session, document_id)
    if root.parent_id is not None:
        raise InvalidRequest(f"document {document_id} is a part of document {root.parent_id}")
    _check_pages(parts, stack.page_count, start=root.first_page or 1)
    refuse_if_frozen(session, root.dossier, "splitting again", only=[root, *live_parts(root)])
    superseded = [p.id for p in live_parts(root)]
    for old in live_parts(root):
        old.status = DocumentStatus.SUPERSEDED
        release_component(old)
        remove_entry(session, old.id)
    release_component(root)
    remove_entry(session, root.id)
    root.status = DocumentStatus.SPLIT
    root.pdf_sha256, root.pdf_size, root.pdfa = stack.pdf_sha256, stack.pdf_size, stack.pdfa
    root.text, root.page_count, root.page_info = stack.text, stack.page_count, stack.page_info
    root.document_type = root.type_confidence = root.type_source = None
    root.type_candidates, root.fields = [], {}
    root.error_code = root.error_message = None
    root.digitized_at = utcnow()
    made = []
    for part in parts:
        child = Document(
            dossier_id=root.dossier_id,
            dossier=root.dossier,
            parent=root,
            first_page=part.first_page,
            last_page=part.last_page,
            original_filename=_part_name(root.original_filename, part),
            original_sha256=root.original_sha256,
            original_size=root.original_size,
            media_type=root.media_type,
            status=DocumentStatus.PROCESSING,
            attempts=1,
            fields={},
            page_info=[],
            type_candidates=[],
        )
        session.add(child)
        session.flush()
        attach_outcome(session, child, part.outcome, actor=actor)
        made.append(child)
    append_event(
        session,
        EventKind.DOCUMENT_SPLIT,
        actor=actor,
        dossier_id=root.dossier_id,
        document_id=root.id,
        data={
            "parts": [
                {
                    "document_id": d.id,
                    "pages": [p.first_page, p.last_page],
                    "document_type": d.document_type,
                    "boundary": p.boundary,
                }
                for d, p in zip(made, parts, strict=True)
            ],
            "superseded": superseded,
        },
    )
    return made


def _check_pages(parts: Sequence[PartOutcome], page_count: int, *, start: int) -> None:
    """Parts must cover the stack's pages from `start` in order, each page once."""
    expected = start
    for part in parts:
        if part.first_page != expected or part.last_page < part.first_page:
            raise InvalidRequest(f"parts must follow one another from page {start}")
        expected = part.last_page + 1
    if not parts or expected != page_count + 1:
        raise InvalidRequest(f"parts must cover pages {start} to {page_count}")


def _part_name(filename: str, part: PartOutcome) -> str:
    pages = (
        f"tr. {part.first_page}"
        if part.first_page == part.last_page
        else f"tr. {part.first_page}-{part.last_page}"
    )
    return f"{filename} ({pages})"[:255]
