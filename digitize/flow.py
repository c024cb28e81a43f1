"""Digitization's use cases, the only module of digitize/ that opens the database: a stored
document read into its searchable PDF/A (a scanned stack cut into its documents), and a
stack split again where a clerk says. Each loads what it needs in a transaction, calls the
pipeline with a file and options, and records what came back; the caller queues the clerk's
signature on the documents it names (digitize never imports the queue or signing)."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from config.catalogue import get_catalogue
from config.errors import InvalidRequest
from config.settings import Settings
from digitize.options import DigitizeOptions
from digitize.outcomes import as_outcome, as_stack, store_parts
from digitize.parts import find_segments, write_parts
from digitize.pipeline import digitize_file
from digitize.result import PageInfo
from digitize.splitting import override_split
from storage.blobs import blob_store
from storage.db import open_database
from storage.documents import begin_digitizing, get_document, record_digitized
from storage.enums import DocumentStatus
from storage.parts import StackOutcome, record_split

log = logging.getLogger(__name__)

ACTOR = "worker"


@dataclass(frozen=True)
class Digitized:
    """What digitizing a stored document did."""

    skipped: bool
    """It was digitized or split already (a rerun): nothing read again."""
    pages: int = 0
    parts: list[int] | None = None
    """The documents a stack was split into; None for a single document."""
    to_certify: list[int] = field(default_factory=list)
    """Documents whose clerk's signature is to be asked for now (workers.certify_queue)."""


def run_digitization(settings: Settings, document_id: int) -> Digitized:
    """Digitize a stored document and attach the searchable PDF to its dossier component;
    a scanned stack of several documents is split into them, each attached on its own.

    Idempotent: a document already digitized or split is left as it is (a digitized one's
    clerk's signature asked for again, once), and a rerun after a crash replaces a half-done
    attempt's state rather than adding records.
    """
    db = open_database(settings)
    blobs = blob_store(settings)
    with db.session() as session:
        document = get_document(session, document_id)
        status = document.status
        if status not in (DocumentStatus.DIGITIZED, DocumentStatus.SPLIT):
            begin_digitizing(session, document_id, actor=ACTOR)
        original, name = document.original_sha256, document.original_filename
        # a file a clerk gave for a named component is that component's document; only
        # unassigned stacks are split, and a cover sheet (page 1) is no document at all
        splittable = document.component_id is None
        skip = (document.first_page or 1) - 1
        force_ocr = document.force_ocr
    if status is DocumentStatus.DIGITIZED:  # a rerun after a crash before the clerk's
        return Digitized(skipped=True, to_certify=[document_id])  # signature was asked for
    if status is DocumentStatus.SPLIT:
        return Digitized(skipped=True)
    # read once the attempt is counted; a changed file is never read (BlobCorrupted)
    source = blobs.verified_path(original)
    options = DigitizeOptions.from_settings(settings, force_ocr=force_ocr)
    with tempfile.TemporaryDirectory(prefix="sohoa-task-") as tmp:
        out = Path(tmp) / "searchable.pdf"
        result = digitize_file(source, out, options, catalogue=get_catalogue(), name=name)
        segments = (
            find_segments(result, get_catalogue(), threshold=options.type_threshold, skip=skip)
            if splittable
            else None
        )
        pdf = blobs.put_file(out)
        if segments is None:
            outcome = as_outcome(
                result.classification, result.fields, result.pages, result.page_texts,
                pdf=pdf, pdfa=result.pdfa,
            )  # fmt: skip
            with db.session() as session:
                record_digitized(session, document_id, outcome, actor=ACTOR)
            log.info("digitized document %d: %d pages", document_id, len(result.pages))
            return Digitized(False, len(result.pages), to_certify=[document_id])
        parts = write_parts(
            result.output, result.page_texts, segments, get_catalogue(), Path(tmp),
            page_words=result.page_words, pdfa=options.pdfa, name=name,
        )  # fmt: skip
        stack = as_stack(result, pdf)
        outcomes = store_parts(blobs, parts, result.pages, result.page_texts)
    with db.session() as session:
        made = record_split(session, document_id, stack, outcomes, actor=ACTOR)
        part_ids = [d.id for d in made]
    log.info("split document %d into %d documents", document_id, len(part_ids))
    return Digitized(False, len(result.pages), part_ids, part_ids)


def split_stack(
    settings: Settings,
    document_id: int,
    first_pages: list[int],
    types: dict[str, str] | None = None,
    *,
    actor: str,
) -> list[int]:
    """Split a digitized stack where a clerk says its documents start (1-based pages of the
    file), optionally typing some of them ({"page": type}); returns the new parts' ids,
    whose clerk's signatures are the caller's to ask for.

    No page is read again: the parts are cut from the stack's searchable PDF.
    """
    db = open_database(settings)
    blobs = blob_store(settings)
    catalogue = get_catalogue()
    with db.session() as session:
        stack = get_document(session, document_id)
        if stack.parent_id is not None or stack.status not in (
            DocumentStatus.DIGITIZED, DocumentStatus.SPLIT
        ):  # fmt: skip
            raise InvalidRequest(
                f"document {document_id} is not a digitized upload ({stack.status.value})"
            )
        if stack.pdf_sha256 is None or stack.text is None:
            raise InvalidRequest(f"document {document_id} has no searchable PDF to split")
        texts = stack.text.split("\f")
        pages = [PageInfo.from_dict(p) for p in stack.page_info]
        pdf = blobs.verified_path(stack.pdf_sha256)
        whole = StackOutcome(
            stack.pdf_sha256, stack.pdf_size or 0, bool(stack.pdfa), stack.text,
            len(texts), list(stack.page_info),
        )  # fmt: skip
        name = stack.original_filename
    chosen = {int(page): t for page, t in (types or {}).items()}
    threshold = DigitizeOptions.from_settings(settings).type_threshold
    segments = override_split(texts, first_pages, catalogue, threshold=threshold, types=chosen)
    with tempfile.TemporaryDirectory(prefix="sohoa-split-") as tmp:
        parts = write_parts(pdf, texts, segments, catalogue, Path(tmp), name=name)
        outcomes = store_parts(blobs, parts, pages, texts)
    with db.session() as session:
        made = record_split(session, document_id, whole, outcomes, actor=actor)
        return [d.id for d in made]
