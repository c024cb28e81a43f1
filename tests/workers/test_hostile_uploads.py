"""Hostile files and names through the upload path (api.services.add_file, the service the
CLI and the HTTP upload share) and the digitize queue: each refused at the door or failed
by its job with a reason naming it, or neutralised; names are labels only, cleaned, and
nothing is written outside the data directory."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pikepdf
import pytest
import redis
from sqlalchemy import select

from api.services import add_file
from config.settings import get_settings
from digitize.activecontent import find_active
from storage.blobs import blob_store
from storage.db import open_database
from storage.enums import DocumentStatus
from storage.models import Document
from tests.digitize.test_hostile import REFUSED
from tests.support import hostile
from tests.workers.test_outages import _dossier
from workers.worker import run_worker


@pytest.mark.slow
def test_hostile_uploads_are_refused_or_neutralised_and_named(
    redis_conn: redis.Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOHOA_OCR_ENGINE", "tests.support.engines:NoText")
    monkeypatch.setenv("SOHOA_JOB_RETRIES", "0")
    get_settings.cache_clear()
    settings = get_settings()
    inputs = tmp_path / "in"
    inputs.mkdir()
    code = _dossier(settings)
    outcomes = {}
    for name, (make, _) in REFUSED.items():
        outcomes[name] = add_file(settings, redis_conn, code, make(inputs), name=name, actor="t")
    active = hostile.active_content_pdf(inputs)
    outcomes["active.pdf"] = add_file(settings, redis_conn, code, active, name=None, actor="t")
    for label, path in hostile.named_copies(inputs):
        outcomes[label] = add_file(settings, redis_conn, code, path, name=label, actor="t")
    run_worker(redis_conn, settings, burst=True)

    at_door = {n for n, o in outcomes.items() if o.status == "rejected"}
    assert at_door == {"noise.pdf"}  # the rest are a PDF or image by their bytes
    assert outcomes["noise.pdf"].error is not None
    assert "noise.pdf" in outcomes["noise.pdf"].error["message"]
    store = blob_store(settings)
    with open_database(settings).session(readonly=True) as session:
        documents = {d.id: d for d in session.scalars(select(Document))}
        for name, (_, codes) in REFUSED.items():
            if name in at_door:
                continue
            document = documents[outcomes[name].document_id or 0]
            assert document.status is DocumentStatus.FAILED, name
            assert document.error_code in codes and name in (document.error_message or "")
        cleaned = documents[outcomes["active.pdf"].document_id or 0]
        assert cleaned.status is DocumentStatus.DIGITIZED and cleaned.pdf_sha256
        with pikepdf.open(store.path(cleaned.pdf_sha256)) as pdf:
            assert find_active(pdf) == [] and not pdf.attachments
        for label in hostile.HOSTILE_NAMES:
            document = documents[outcomes[label].document_id or 0]
            assert document.status is DocumentStatus.DIGITIZED
            shown = document.original_filename
            assert "/" not in shown and "\\" not in shown and ".." not in shown.strip(".")
            assert all(unicodedata.category(c)[0] != "C" for c in shown), repr(shown)
            assert shown == unicodedata.normalize("NFC", shown)
    data = settings.data_path
    assert not Path("/tmp/sohoa-escape.pdf").exists()
    assert all(p.is_relative_to(data) for p in settings.blob_path.rglob("*"))
    assert {p.name for p in tmp_path.iterdir()} <= {"in", "data", "redis"}
