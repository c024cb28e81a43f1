"""A dossier signed for real (leader and seal, with the test PKI), ready to archive."""

from __future__ import annotations

import redis

from config.settings import Settings
from signing.flow.results import (
    current_result,
    queueable,
    request_dossier_signing,
    run_signature,
)
from storage.blobs import blob_store
from storage.db import open_database
from storage.documents import DigitizedOutcome, add_document, record_digitized
from storage.dossiers import get_dossier
from tests.storage.archive_support import build_dossier
from workers.jobs import JobKind, enqueue


def dossier_with_result(settings: Settings, result: bytes, *, pdfa: bool = True) -> tuple[str, int]:
    """Every required component digitized and the real result too, not yet signed; returns
    the dossier's code and the result's document id."""
    database = open_database(settings)
    code = build_dossier(
        database, settings, skip=("giay_khai_sinh",), signed=False, unit=settings.unit_code
    ).code
    blob = blob_store(settings).put_bytes(result)
    with database.session() as session:
        document, _ = add_document(
            session,
            get_dossier(session, code),
            filename="giay-khai-sinh.pdf",
            sha256=blob.sha256,
            size=blob.size,
            media_type="application/pdf",
            actor="clerk",
        )
        outcome = DigitizedOutcome(
            pdf_sha256=blob.sha256, pdf_size=blob.size, pdfa=pdfa, text="GIẤY KHAI SINH",
            page_count=1, document_type="giay_khai_sinh", type_confidence=0.99,
            component_label="Giấy khai sinh",
        )  # fmt: skip
        record_digitized(session, document.id, outcome, actor="worker")
        return code, document.id


def signed_dossier(settings: Settings, result: bytes, *, pdfa: bool = True) -> str:
    """Every required component digitized, the real result signed by leader and seal."""
    code, _ = dossier_with_result(settings, result, pdfa=pdfa)
    seen = current_result(settings, code)  # what a leader's preview shows
    for request_id in request_dossier_signing(settings, seen, leader=None, actor="clerk"):
        assert run_signature(settings, request_id).status == "signed"
    return code


def ready_to_sign(settings: Settings, result: bytes, *, pdfa: bool = True) -> str:
    """The code of a dossier whose real result waits for its signatures."""
    return dossier_with_result(settings, result, pdfa=pdfa)[0]


def queue_signing(conn: redis.Redis, settings: Settings, code: str) -> list[int]:
    """Request the dossier's signatures and queue those that may run now, as `sohoa
    dossier sign` does; the requests' ids in signing order."""
    seen = current_result(settings, code)  # what a leader's preview shows
    request_ids = request_dossier_signing(settings, seen, leader=None, actor="clerk")
    for request_id in queueable(settings, request_ids):
        enqueue(conn, settings, JobKind.SIGN, request_id)
    return request_ids
