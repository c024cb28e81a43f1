"""Thin rq tasks: load ids, build options, call one function of digitize/, store the result."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from rq import get_current_job

from config.catalogue import get_catalogue
from config.errors import InputRejected, SohoaError
from config.settings import get_settings
from digitize.options import DigitizeOptions
from digitize.pipeline import digitize_file
from digitize.result import DigitizedDocument
from storage.blobs import LocalBlobStore
from storage.db import open_database
from storage.documents import (
    DigitizedOutcome,
    begin_digitizing,
    get_document,
    record_digitized,
    record_failure,
)
from storage.enums import DocumentStatus
from workers.certify_tasks import certify_after_digitizing
from workers.connection import redis_connection

log = logging.getLogger(__name__)

ACTOR = "worker"


def _outcome(result: DigitizedDocument, pdf_sha256: str, pdf_size: int) -> DigitizedOutcome:
    catalogue = get_catalogue()
    doc_type = result.classification.document_type
    return DigitizedOutcome(
        pdf_sha256=pdf_sha256,
        pdf_size=pdf_size,
        pdfa=result.pdfa,
        text=result.text,
        page_count=len(result.pages),
        document_type=doc_type,
        type_confidence=result.classification.confidence,
        component_label=catalogue.document_type(doc_type).name,
        type_candidates=[[code, p] for code, p in result.classification.candidates],
        fields={
            k: {"value": f.value, "page": f.page, "confidence": f.confidence}
            for k, f in result.fields.items()
        },
        page_info=[p.to_dict() for p in result.pages],
    )


def _queue_certification(document_id: int) -> None:
    """The clerk's signature makes the scan a digitization result (workers.certify_tasks).
    A deployment without a clerk's key keeps its digitized PDF; the result waits, logged."""
    settings = get_settings()
    job = get_current_job()
    try:
        if job is not None:
            certify_after_digitizing(job.connection, settings, document_id)
        else:
            with redis_connection(settings) as conn:
                certify_after_digitizing(conn, settings, document_id)
    except SohoaError as e:
        if e.transient:
            raise
        log.warning("document %d: no clerk's signature requested: %s", document_id, e.message)


def digitize_document(document_id: int) -> dict[str, Any]:
    """Digitize a stored document and attach the searchable PDF to its dossier component.

    Idempotent: a document already digitized is left as it is, and a rerun after a crash
    replaces a half-done attempt's state rather than adding records. A file that is not a
    document is recorded as failed with its reason; anything else raises so rq retries it.
    """
    settings = get_settings()
    db = open_database(settings)
    blobs = LocalBlobStore(settings.blob_path)
    with db.session() as session:
        document = get_document(session, document_id)
        if document.status is DocumentStatus.DIGITIZED:
            return {"document_id": document_id, "status": "ok", "skipped": True}
        begin_digitizing(session, document_id, actor=ACTOR)
        source, name = blobs.path(document.original_sha256), document.original_filename
    with tempfile.TemporaryDirectory(prefix="sohoa-task-") as tmp:
        out = Path(tmp) / "searchable.pdf"
        try:
            result = digitize_file(
                source,
                out,
                DigitizeOptions.from_settings(settings),
                catalogue=get_catalogue(),
                name=name,
            )
        except InputRejected as e:
            with db.session() as session:
                record_failure(
                    session, document_id, code=e.code, message=e.message, final=True, actor=ACTOR
                )
            return {"document_id": document_id, "status": "error", "error": e.to_dict()}
        pdf = blobs.put_file(out)
    with db.session() as session:
        record_digitized(session, document_id, _outcome(result, pdf.sha256, pdf.size), actor=ACTOR)
    _queue_certification(document_id)
    log.info(
        "digitized document %d: %d pages, %s",
        document_id,
        len(result.pages),
        result.classification.document_type,
    )
    return {"document_id": document_id, "status": "ok", "pages": len(result.pages)}
