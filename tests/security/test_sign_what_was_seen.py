"""Attack: a leader previews a dossier's result, and before the click a clerk uploads another
result (or the worker re-records it, or a retype makes another document the result); the
click asked for "the dossier's result", resolved at click time, so the leader's signature
went on a document the leader never saw.

Boundary: a sign request (the inbox and preview forms, POST /api/signing, `sohoa dossier
sign`) names the result as shown: dossier, document id and the SHA-256 of its PDF
(storage.signatures.SeenResult). signing.flow.results.request_dossier_signing refuses any other
document or bytes with 409 `result_changed` and asks nothing; the first signature is fixed
to that PDF (input_of refuses to sign anything else); and from then on the result is frozen
(uploads into the dossier, retypes into or out of the result's type, re-digitizing or
re-splitting it: 409 `result_frozen`). Real app, real Redis, SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import redis
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.cli import main
from config.errors import ResultChanged, ResultFrozen
from config.settings import Settings
from signing.flow.results import run_signature
from storage.blobs import blob_store
from storage.db import open_database
from storage.documents import DigitizedOutcome, add_document, get_document, record_digitized
from storage.dossiers import get_dossier
from storage.models import SignatureRequest
from storage.signatures import requests_of
from tests.storage.archive_support import build_dossier, jpeg_bytes, pdf_bytes
from workers.queues import get_queue

Headers = Callable[[str], dict[str, str]]
RESULT_TYPE = "giay_khai_sinh"


def _shown(client: TestClient, bearer: Headers, code: str) -> dict[str, Any]:
    """The result as the leader's inbox shows it (what the preview and its form carry)."""
    inbox = client.get("/api/signing/inbox", headers=bearer("leader_a")).json()
    row = next(r for r in inbox if r["code"] == code)
    return {"code": code, "document_id": row["document_id"], "sha256": row["sha256"]}


def _replace_result(settings: Settings, code: str, seed: int) -> int:
    """What a clerk's re-upload becomes once a worker has digitized it: a newer document of
    the result's type, with other bytes, in the same dossier."""
    store = blob_store(settings)
    original, pdf = store.put_bytes(jpeg_bytes(seed)), store.put_bytes(pdf_bytes(1, seed))
    with open_database(settings).session() as session:
        dossier = get_dossier(session, code)
        document, _ = add_document(
            session, dossier, filename="ket-qua-moi.jpg", sha256=original.sha256,
            size=original.size, media_type="image/jpeg", actor="clerk_a",
        )  # fmt: skip
        outcome = DigitizedOutcome(
            pdf_sha256=pdf.sha256, pdf_size=pdf.size, pdfa=True, text="GIẤY KHAI SINH",
            page_count=1, document_type=RESULT_TYPE, type_confidence=0.95,
            component_label=RESULT_TYPE,
        )  # fmt: skip
        record_digitized(session, document.id, outcome, actor="worker")
        return document.id


def _requests(settings: Settings, code: str) -> list[SignatureRequest]:
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        return [r for d in dossier.documents for r in requests_of(session, d.id)]


def test_a_result_replaced_after_the_preview_is_not_signed(
    app_client: TestClient, api_settings: Settings, bearer: Headers, redis_conn: redis.Redis
) -> None:
    """GIVEN the leader previewed a complete dossier's result
    WHEN a clerk replaces the result, then the leader clicks "sign" (API, then the page form)
    THEN 409 result_changed, no signature asked, no job queued; the new preview is signable."""
    db = open_database(api_settings)
    code = build_dossier(db, api_settings, unit="xa-a", seed=3, signed=False).code
    seen = _shown(app_client, bearer, code)
    replacement = _replace_result(api_settings, code, seed=77)

    reply = app_client.post("/api/signing", json={"results": [seen]}, headers=bearer("leader_a"))
    assert reply.status_code == 409, reply.text
    assert reply.json()["error"]["code"] == "result_changed"
    assert "chưa có gì được ký" in reply.json()["error"]["hint"]
    assert _requests(api_settings, code) == []
    assert get_queue(redis_conn, "sign").count == 0

    same_document_other_bytes = {**seen, "document_id": replacement}
    reply = app_client.post(
        "/api/signing", json={"results": [same_document_other_bytes]}, headers=bearer("leader_a")
    )
    assert reply.status_code == 409 and _requests(api_settings, code) == []
    assert (
        app_client.post(
            "/api/signing", json={"results": [{"code": code}]}, headers=bearer("leader_a")
        ).status_code
        == 400
    )  # a bare code is no longer a sign request

    fresh = _shown(app_client, bearer, code)
    assert fresh["document_id"] == replacement
    reply = app_client.post("/api/signing", json={"results": [fresh]}, headers=bearer("leader_a"))
    assert reply.status_code == 200, reply.text
    requests = _requests(api_settings, code)
    assert {r.document_id for r in requests} == {replacement}
    assert requests[0].input_sha256 == fresh["sha256"]  # the first signs exactly that PDF


def test_the_cli_signs_only_the_result_named_as_reviewed(
    app_client: TestClient, api_settings: Settings, bearer: Headers
) -> None:
    db = open_database(api_settings)
    code = build_dossier(db, api_settings, unit="xa-a", seed=4, signed=False).code
    seen = _shown(app_client, bearer, code)
    bare = CliRunner().invoke(main, ["dossier", "sign", code])
    assert bare.exit_code == 2 and "CODE:DOCUMENT_ID:SHA256" in bare.output
    reviewed = CliRunner().invoke(main, ["dossier", "review", code])
    assert reviewed.output.splitlines()[0] == f"{code}:{seen['document_id']}:{seen['sha256']}"
    _replace_result(api_settings, code, seed=78)
    stale = f"{code}:{seen['document_id']}:{seen['sha256']}"
    run = CliRunner().invoke(main, ["dossier", "sign", stale])
    assert run.exit_code == 2 and "the result shown was document" in run.output
    assert _requests(api_settings, code) == []


def test_once_signatures_are_asked_the_result_is_frozen(
    app_client: TestClient, api_settings: Settings, bearer: Headers
) -> None:
    """GIVEN the leader asked for the signatures of the result as shown
    WHEN a clerk uploads a file into the dossier, retypes a document into the result's type,
    or a worker re-records the result's PDF
    THEN each is refused (409 result_frozen); should the PDF change behind the database's
    back, the signature is refused before any key is used, and nothing is recorded."""
    db = open_database(api_settings)
    built = build_dossier(db, api_settings, unit="xa-a", seed=5, signed=False)
    code = built.code
    seen = _shown(app_client, bearer, code)
    reply = app_client.post("/api/signing", json={"results": [seen]}, headers=bearer("leader_a"))
    assert reply.status_code == 200, reply.text

    upload = app_client.post(
        f"/api/dossiers/{code}/files",
        files=[("files", ("ket-qua-moi.pdf", pdf_bytes(1, 79), "application/pdf"))],
        headers=bearer("clerk_a"),
    )
    assert upload.status_code == 409 and upload.json()["error"]["code"] == "result_frozen"
    other = built.documents["to_khai_khai_sinh"]
    retype = app_client.post(
        f"/api/documents/{other}/type",
        json={"document_type": RESULT_TYPE},
        headers=bearer("clerk_a"),
    )
    assert retype.status_code == 409 and retype.json()["error"]["code"] == "result_frozen"
    pdf = blob_store(api_settings).put_bytes(pdf_bytes(1, 80))
    again = DigitizedOutcome(
        pdf_sha256=pdf.sha256, pdf_size=pdf.size, pdfa=True, text="x", page_count=1,
        document_type=RESULT_TYPE, type_confidence=0.9, component_label=RESULT_TYPE,
    )  # fmt: skip
    with pytest.raises(ResultFrozen), db.session() as session:
        record_digitized(session, seen["document_id"], again, actor="worker")

    with db.session() as session:  # around every guard: the row itself rewritten
        get_document(session, seen["document_id"]).pdf_sha256 = pdf.sha256
    first = _requests(api_settings, code)[0]
    with pytest.raises(ResultChanged):
        run_signature(api_settings, first.id)
    assert {r.status.value for r in _requests(api_settings, code)} == {"queued"}
    assert all(r.output_sha256 is None for r in _requests(api_settings, code))
