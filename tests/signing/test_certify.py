"""Certified digitization for real: the clerk's signature (test PKI) through the `sign`
queue, the notice top left of page 1, and a citizen's later dossier reusing the result
without a copy of its file."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
import redis
from sqlalchemy import select

from api.dossier_views import citizen_documents_view, dossier_view
from api.services import open_dossier, reuse_document
from config.errors import InvalidRequest
from config.settings import Settings, get_settings
from signing.flow.clerk import ask_clerk_signature
from signing.testpki import TestPki
from signing.trust import load_certificates
from signing.verification.run import VerifyOptions, verify_pdf
from storage.blobs import blob_store
from storage.db import open_database
from storage.digitization import get_result
from storage.documents import DigitizedOutcome, add_document, record_digitized
from storage.dossiers import get_dossier
from storage.enums import CertificationState, ComponentState
from storage.models import Event
from storage.types import utcnow
from workers.boundary import JobOutcome
from workers.certify_queue import certify_after_digitizing
from workers.queues import get_queue
from workers.tasks import digitize_document
from workers.worker import run_worker

ID_NUMBER = "001301012345"


@pytest.fixture
def clerk_settings(
    signing_settings: Settings, redis_server: str, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    monkeypatch.setenv("SOHOA_REDIS_URL", redis_server)
    get_settings.cache_clear()
    return get_settings()


def _digitized_id_card(settings: Settings, pdf: bytes) -> tuple[str, int]:
    """A birth registration dossier whose ID card component is digitized (not yet signed)."""
    code = open_dossier(
        settings,
        procedure_code="1.001193",
        applicant_name="Hồ Thùy Oanh",
        applicant_id_number=ID_NUMBER,
        unit_code=None,
        actor="test",
    )
    blob = blob_store(settings).put_bytes(pdf)
    with open_database(settings).session() as session:
        dossier = get_dossier(session, code)
        card = next(c for c in dossier.components if c.expected_type == "cccd")
        document, _ = add_document(
            session, dossier, filename="cccd.pdf", sha256=blob.sha256, size=blob.size,
            media_type="application/pdf", actor="test", component_id=card.id,
        )  # fmt: skip
        outcome = DigitizedOutcome(
            pdf_sha256=blob.sha256, pdf_size=blob.size, pdfa=True, text="CĂN CƯỚC",
            page_count=1, document_type="cccd", type_confidence=0.99,
            component_label="Căn cước", fields={"id_number": {"value": ID_NUMBER}},
        )  # fmt: skip
        record_digitized(session, document.id, outcome, actor="test")
        assert card.state is ComponentState.DIGITIZED  # a PDF, not yet a result
        return code, document.id


def test_a_digitized_component_becomes_a_result_signed_by_the_clerk(
    clerk_settings: Settings, redis_conn: redis.Redis, result: bytes, pki: TestPki
) -> None:
    code, document_id = _digitized_id_card(clerk_settings, result)
    certify_after_digitizing(redis_conn, clerk_settings, document_id)
    run_worker(redis_conn, clerk_settings, burst=True)
    with open_database(clerk_settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        card = next(c for c in dossier.components if c.expected_type == "cccd")
        assert card.result_id is not None
        made = get_result(session, card.result_id)
        assert made.status is CertificationState.SIGNED
        assert made.code == f"{code}.01"
        assert made.owner_id_number == ID_NUMBER and made.valid_until is not None
        assert made.signer_name == "Đỗ Thị Giang"
        signed = blob_store(clerk_settings).path(made.pdf_sha256 or "").read_bytes()
        kinds = [
            e.kind for e in session.scalars(select(Event).where(Event.dossier_id == dossier.id))
        ]
    assert "document.certified" in kinds
    options = VerifyOptions(tuple(load_certificates(pki.root_cert)))
    report = verify_pdf(signed, "ban-so-hoa.pdf", options)
    assert [s.field for s in report.signatures if s.kind == "signature"] == ["ban_so_hoa"]
    assert report.signatures[0].valid and report.signatures[0].trusted
    assert "Đỗ Thị Giang" in report.signatures[0].signer
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        page = pdf.pages[0]
        height = float(page.mediabox[3])
        widgets = [a for a in page.get("/Annots", []) if a.get("/FT") == "/Sig"]
        x0, _, _, y1 = (float(v) for v in widgets[0].Rect)
    assert x0 < 60 and y1 > height - 20  # top left of page 1
    asked = ask_clerk_signature(clerk_settings, document_id, today=utcnow())
    assert asked is not None and (asked.result_id, asked.owed) == (card.result_id, False)


def test_a_later_dossier_reuses_the_result_and_no_file_is_copied(
    clerk_settings: Settings, redis_conn: redis.Redis, result: bytes, tmp_path: Path
) -> None:
    first, document_id = _digitized_id_card(clerk_settings, result)
    certify_after_digitizing(redis_conn, clerk_settings, document_id)
    run_worker(redis_conn, clerk_settings, burst=True)
    blob_files = sorted(p for p in clerk_settings.blob_path.rglob("*") if p.is_file())
    second = open_dossier(
        clerk_settings,
        procedure_code="1.001612",
        applicant_name="Hồ Thùy Oanh",
        applicant_id_number=ID_NUMBER,
        unit_code=None,
        actor="test",
    )
    offered = citizen_documents_view(clerk_settings, second)
    assert [d["document_type"] for d in offered["documents"]] == ["cccd"]
    card = next(
        c
        for c in dossier_view(clerk_settings, second)["components"]
        if c["expected_type"] == "cccd"
    )
    reuse_document(
        clerk_settings, second, component_id=card["id"],
        result_code=offered["documents"][0]["code"], actor="clerk",
    )  # fmt: skip
    assert sorted(p for p in clerk_settings.blob_path.rglob("*") if p.is_file()) == blob_files
    views = [dossier_view(clerk_settings, c) for c in (first, second)]
    files = [
        next(c["result"] for c in v["components"] if c["expected_type"] == "cccd") for v in views
    ]
    assert files[0]["code"] == files[1]["code"] and files[0]["pdf_sha256"] is not None
    assert files[0]["pdf_sha256"] == files[1]["pdf_sha256"]  # one blob, both dossiers
    assert (files[0]["reused_from"], files[1]["reused_from"]) == (None, first)
    with open_database(clerk_settings).session(readonly=True) as session:
        kinds = [e.kind for e in session.scalars(select(Event).order_by(Event.id))]
    assert kinds[-1] == "component.reused"
    own = next(c for c in views[0]["components"] if c["expected_type"] == "cccd")
    with pytest.raises(InvalidRequest, match="it is this dossier's own"):
        reuse_document(
            clerk_settings, first, component_id=own["id"], result_code=files[0]["code"],
            actor="clerk",
        )  # fmt: skip


def test_a_rerun_digitize_job_asks_once_for_a_clerk_signature_it_never_asked_for(
    clerk_settings: Settings, redis_conn: redis.Redis, result: bytes
) -> None:
    """GIVEN a document digitized by a job that died before asking for the clerk's signature
    WHEN the job runs again (twice) THEN the signature is queued once, and made."""
    code, document_id = _digitized_id_card(clerk_settings, result)
    for _ in range(2):
        assert digitize_document(document_id)["outcome"] == JobOutcome.SKIPPED
    assert get_queue(redis_conn, "sign").count == 1
    run_worker(redis_conn, clerk_settings, burst=True)
    with open_database(clerk_settings).session(readonly=True) as session:
        card = next(c for c in get_dossier(session, code).components if c.expected_type == "cccd")
        assert card.result is not None and card.result.status is CertificationState.SIGNED
