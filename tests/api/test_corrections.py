"""A clerk corrects a document's type over HTTP, only in their own unit."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from config.settings import Settings
from storage.blobs import blob_store
from storage.db import open_database
from storage.documents import DigitizedOutcome, add_document, record_digitized
from storage.dossiers import get_dossier

Headers = Callable[[str], dict[str, str]]


def _digitized_as_other(settings: Settings, code: str) -> int:
    """The back of an ID card, which the classifier could not type (khac)."""
    store = blob_store(settings)
    original = store.put_bytes(b"%PDF-1.7 scan of the back of an ID card")
    pdf = store.put_bytes(b"%PDF-1.7 its searchable PDF/A")
    with open_database(settings).session() as session:
        document, _ = add_document(
            session, get_dossier(session, code), filename="cccd-mat-sau.pdf",
            sha256=original.sha256, size=original.size, media_type="application/pdf",
            actor="clerk_a",
        )  # fmt: skip
        outcome = DigitizedOutcome(
            pdf_sha256=pdf.sha256, pdf_size=pdf.size, pdfa=True,
            text="IDVNM2011406659046201140665<<<",
            page_count=1, document_type="khac", type_confidence=0.69, component_label="Khác",
            type_candidates=[["cccd", 0.30]],
        )  # fmt: skip
        record_digitized(session, document.id, outcome, actor="worker")
        return document.id


def test_a_clerk_corrects_a_type_and_the_component_is_filled(
    app_client: TestClient, bearer: Headers, api_settings: Settings
) -> None:
    clerk = bearer("clerk_a")
    code = app_client.post(
        "/api/dossiers", json={"procedure": "1.001193", "applicant_name": "Lê Văn Bình"},
        headers=clerk,
    ).json()["code"]  # fmt: skip
    doc_id = _digitized_as_other(api_settings, code)
    url = f"/api/documents/{doc_id}/type"
    body = {"document_type": "cccd"}
    assert app_client.post(url, json=body, headers=bearer("leader_a")).status_code == 403
    assert app_client.post(url, json=body, headers=bearer("clerk_b")).status_code == 404
    bad = app_client.post(url, json={"document_type": "no_such_type"}, headers=clerk)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_request"
    fixed = app_client.post(url, json=body, headers=clerk)
    assert fixed.status_code == 200, fixed.text
    assert (fixed.json()["document_type"], fixed.json()["type_source"]) == ("cccd", "clerk")
    dossier = app_client.get(f"/api/dossiers/{code}", headers=clerk).json()
    (component,) = [c for c in dossier["components"] if c["expected_type"] == "cccd"]
    assert doc_id in component["documents"]
