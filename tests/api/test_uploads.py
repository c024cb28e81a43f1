"""Uploads over HTTP: streamed, size-limited, refused with a reason, and durably stored
(blob store, then database) before any job can run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from api.http.app import create_app
from config.settings import Settings, get_settings
from storage.blobs import blob_store
from storage.db import open_database
from storage.documents import get_document
from storage.dossiers import get_dossier
from storage.enums import DocumentStatus
from storage.events import events_of_dossier
from tests.support.samples import born_digital
from workers.queues import get_queue
from workers.tasks import digitize_document

Headers = Callable[[str], dict[str, str]]


def _dossier(client: TestClient, headers: dict[str, str]) -> str:
    reply = client.post(
        "/api/dossiers", json={"procedure": "1.001193", "applicant_name": "Lê Thị Hoa"},
        headers=headers,
    )  # fmt: skip
    return str(reply.json()["code"])


def test_uploaded_files_are_stored_then_queued_and_bad_ones_refused_with_reasons(
    app_client: TestClient,
    bearer: Headers,
    api_settings: Settings,
    redis_conn: redis.Redis,
    tmp_path: Path,
) -> None:
    code = _dossier(app_client, bearer("clerk_a"))
    pdf, _ = born_digital(tmp_path, "giay_chung_sinh")
    files = [
        ("files", ("Giấy chứng sinh.pdf", pdf.read_bytes(), "application/pdf")),
        ("files", ("rỗng.jpg", b"", "image/jpeg")),
        ("files", ("ghi-chu.txt", b"not a scan at all", "text/plain")),
    ]
    reply = app_client.post(f"/api/dossiers/{code}/files", files=files, headers=bearer("clerk_a"))
    assert reply.status_code == 201, reply.text
    stored, empty, text = reply.json()["files"]
    assert stored["status"] == "stored" and stored["file"] == "Giấy chứng sinh.pdf"
    assert (empty["status"], empty["error"]["code"]) == ("rejected", "empty_file")
    assert (text["status"], text["error"]["code"]) == ("rejected", "unsupported_type")

    # birth registration is a same-day procedure: its scans take the urgent lane
    lanes = [get_queue(redis_conn, q) for q in ("digitize-urgent", "digitize")]
    jobs = [job for q in lanes for i in q.job_ids if (job := q.fetch_job(i)) is not None]
    assert [j.args for j in jobs] == [[stored["document_id"]]]
    blob = blob_store(api_settings).path(stored["sha256"])
    assert blob.read_bytes() == pdf.read_bytes()
    with open_database(api_settings).session(readonly=True) as session:
        document = get_document(session, stored["document_id"])
        assert document.status is DocumentStatus.QUEUED and document.job_id == jobs[0].id
        kinds = [e.kind for e in events_of_dossier(session, get_dossier(session, code).id)]
    assert kinds.count("upload.rejected") == 2 and "document.uploaded" in kinds


def test_with_the_queue_down_an_upload_is_still_stored_before_any_job(
    api_settings: Settings, bearer: Headers, tmp_path: Path
) -> None:
    """GIVEN a queue that cannot be reached
    WHEN a clerk uploads a scan
    THEN the answer is 503, yet the bytes are in the blob store and the document row is
    committed (queued): storing never waits on, nor depends on, the queue."""
    dead = redis.Redis(unix_socket_path=str(tmp_path / "no-redis.sock"), socket_timeout=1)
    pdf, _ = born_digital(tmp_path, "cccd")
    with TestClient(create_app(api_settings, dead)) as client:
        headers = bearer("clerk_a")
        code = _dossier(client, headers)
        reply = client.post(
            f"/api/dossiers/{code}/files",
            files=[("files", ("cccd.pdf", pdf.read_bytes(), "application/pdf"))],
            headers=headers,
        )
    assert reply.status_code == 503
    assert reply.json()["error"]["code"] == "transient"
    with open_database(api_settings).session(readonly=True) as session:
        (document,) = get_dossier(session, code).documents
        assert document.status is DocumentStatus.QUEUED and document.job_id is None
        assert blob_store(api_settings).path(document.original_sha256).is_file()


def test_a_file_over_the_limit_is_cut_off_and_refused(
    redis_conn: redis.Redis, api_settings: Settings, bearer: Headers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("SOHOA_MAX_UPLOAD_BYTES", "50000")
    get_settings.cache_clear()
    small = get_settings()
    big = b"%PDF-1.7\n" + b"0" * 200_000
    with TestClient(create_app(small, redis_conn)) as client:
        headers = bearer("clerk_a")
        code = _dossier(client, headers)
        reply = client.post(
            f"/api/dossiers/{code}/files",
            files=[("files", ("lon.pdf", big, "application/pdf"))],
            headers=headers,
        )
    (result,) = reply.json()["files"]
    assert (result["status"], result["error"]["code"]) == ("rejected", "file_too_large")
    lanes = ("digitize-urgent", "digitize")
    assert sum(get_queue(redis_conn, q).count for q in lanes) == 0
    leftovers = list((small.data_path / "tmp" / "uploads").iterdir())
    assert leftovers == []


def test_a_clerk_can_ask_for_ocr_of_a_pdf_whatever_its_text_layer(
    app_client: TestClient,
    bearer: Headers,
    api_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN a born-digital PDF uploaded with ?force_ocr=true WHEN its job runs THEN every
    page is OCRed and its report says the clerk forced it; the choice is kept on the
    document, so a job requeued after a crash honours it too."""
    code = _dossier(app_client, bearer("clerk_a"))
    pdf, _ = born_digital(tmp_path, "giay_chung_sinh")
    files = [("files", ("kodak.pdf", pdf.read_bytes(), "application/pdf"))]
    reply = app_client.post(
        f"/api/dossiers/{code}/files?force_ocr=true", files=files, headers=bearer("clerk_a")
    )
    [stored] = reply.json()["files"]
    monkeypatch.setenv("SOHOA_OCR_ENGINE", "tests.support.engines:NoText")
    get_settings.cache_clear()
    digitize_document(stored["document_id"])
    with open_database(api_settings).session(readonly=True) as session:
        document = get_document(session, stored["document_id"])
        assert document.force_ocr
        [page] = document.page_info[:1]
    assert (page["source"], page["text_layer"]) == ("ocr", "forced")
