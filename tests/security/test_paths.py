"""Paths: the web service's answers never tell where its data lives on the server's disks
(blob references are SHA-256 digests and URLs), and nothing an office scanner leaves in the
inbox makes sohoa read or write outside the inbox root (symlinks, FIFOs, `--unit ../x`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.accounts import Principal, issue_token
from api.http.auth import SESSION_COOKIE
from api.http.policy import route_actions
from config.settings import Settings
from storage.archive.layout import ArchiveRoots
from storage.blobs import open_blob_store
from storage.db import open_database
from storage.documents import get_document
from storage.enums import TokenKind
from tests.storage.archive_support import archive, build_dossier, plan_of, sound
from workers import archive_tasks

Headers = Callable[[str], dict[str, str]]
SESSION = TokenKind.SESSION
SETTLED = (1_700_000_000, 1_700_000_000)
"""A modification time long past: the scan takes the file at once."""


def _roots(settings: Settings) -> list[str]:
    archive_roots = ArchiveRoots.from_settings(settings)
    found = {settings.data_path, settings.blob_path, settings.inbox_path}
    found |= {archive_roots.primary, archive_roots.replica}
    return sorted({str(Path(p).resolve()) for p in found} | {str(p) for p in found})


def _leaks(text: str, roots: list[str]) -> list[str]:
    return [root for root in roots if root in text or json.dumps(root)[1:-1] in text]


def test_no_answer_of_the_web_service_names_a_path_on_the_server(
    app_client: TestClient,
    api_settings: Settings,
    accounts: dict[str, Principal],
    bearer: Headers,
) -> None:
    """ATTACK: any signed-in user reads dossier, document, record and job answers (and the
    error of a file gone missing) for the server's directory layout: blob paths name the
    data directory, the archive's disks, the store's root.
    BOUNDARY: the views (api.views: `pdf` is the API's URL, results by SHA-256), the blob
    store's NotFound (no root in its message), an archiving job's result (no package paths).
    Every GET route of the app is asked by every role."""
    db = open_database(api_settings)
    sealed = build_dossier(db, api_settings, unit="xa-a", seed=1)
    archive(db, api_settings, sealed.code)
    live = build_dossier(db, api_settings, unit="xa-a", seed=2)
    doc = live.documents["giay_khai_sinh"]
    roots = _roots(api_settings)
    sessions = {
        name: {"Cookie": f"{SESSION_COOKIE}={issue_token(api_settings, who, SESSION).token}"}
        for name, who in accounts.items()
    }
    job = app_client.post(f"/api/archive/records/{live.code}", headers=bearer("archivist"))
    job_id = job.json()["job_id"]
    values = {"code": live.code, "document_id": str(doc), "which": "pdf", "job_id": job_id}
    asked = 0
    for method, path, _action in route_actions(app_client.app):  # type: ignore[arg-type]
        if method != "GET":
            continue
        urls = [path.format(**values)]
        if "{code}" in path:
            urls.append(path.format(**{**values, "code": sealed.code}))
        for url in urls:
            for name in accounts:
                headers = bearer(name) if url.startswith("/api/") else sessions[name]
                app_client.cookies.clear()
                reply = app_client.get(url, headers=headers, follow_redirects=False)
                asked += 1
                kind = reply.headers.get("content-type", "")
                if kind.startswith(("application/json", "text/html", "text/csv")):
                    assert not _leaks(reply.text, roots), f"{name} GET {url}: {reply.text[:300]}"
    assert asked > 60
    shown = app_client.get(f"/api/dossiers/{live.code}", headers=bearer("clerk_a")).json()
    assert shown["documents"][0]["pdf"].startswith("/api/documents/")

    with db.session(readonly=True) as session:
        sha = get_document(session, doc).pdf_sha256
    assert sha is not None
    blob = open_blob_store(api_settings.blob_path).path(sha)
    blob.unlink()
    gone = app_client.get(f"/api/documents/{doc}/pdf", headers=bearer("clerk_a"))
    assert gone.status_code == 404 and not _leaks(gone.text, roots), gone.text


def test_an_archiving_job_result_names_no_path(
    api_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ATTACK: GET /api/jobs/{id} of an archiving job hands back its result, which named the
    package's absolute paths on both archive disks.
    BOUNDARY: workers.archive_tasks returns PackageSummary.public_dict(). (The PDF checker
    is replaced by one finding every test PDF sound, as tests/storage/archive_support does.)"""
    db = open_database(api_settings)
    built = build_dossier(db, api_settings, unit="xa-a", seed=4)
    plan = plan_of(db, api_settings, built.code)
    monkeypatch.setattr(archive_tasks, "check_pdfs", lambda *_args: sound(plan))
    done = archive_tasks.archive_dossier(built.code)
    assert done["outcome"] == "done" and done["package"]["version"] == 1, done
    assert not _leaks(json.dumps(done), _roots(api_settings)), done
