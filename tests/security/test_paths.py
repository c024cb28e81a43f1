"""Paths: the web service's answers never tell where its data lives on the server's disks
(blob references are SHA-256 digests and URLs), and nothing an office scanner leaves in the
inbox makes sohoa read or write outside the inbox root (symlinks, FIFOs, `--unit ../x`)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from click.testing import CliRunner
from fastapi.testclient import TestClient

import signing.flow.archive
from api.accounts import Principal, issue_token
from api.cli import main
from api.http.auth import SESSION_COOKIE
from api.http.policy import route_actions
from api.inbox import scan_inbox
from config.errors import InvalidRequest
from config.settings import Settings, get_settings
from storage.archive.layout import ArchiveRoots
from storage.blobs import blob_store
from storage.db import open_database
from storage.documents import get_document
from storage.enums import TokenKind
from storage.inbox import items_of
from tests.api.inbox_support import waiting_file
from tests.storage.archive_support import archive, build_dossier, plan_of, sound
from tests.support.samples import born_digital
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
    BOUNDARY: the views (api.dossier_views: `pdf` is the API's URL, results by SHA-256), the blob
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
    with db.session(readonly=True) as session:
        original = get_document(session, doc).original_sha256
    values = {
        "code": live.code, "document_id": str(doc), "which": "pdf", "job_id": job_id,
        "sha256": original, "number": "1",
        "item_id": str(waiting_file(api_settings, "xa-a", "quet-xa-a.pdf")),
    }  # fmt: skip
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
    blob = blob_store(api_settings).path(sha)
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
    monkeypatch.setattr(signing.flow.archive, "check_pdfs", lambda *_args: sound(plan))
    done = archive_tasks.archive_dossier(built.code)
    assert done["outcome"] == "done" and done["package"]["version"] == 1, done
    assert not _leaks(json.dumps(done), _roots(api_settings)), done


def _settled(path: Path) -> Path:
    os.utime(path, SETTLED, follow_symlinks=False)
    return path


def test_links_and_special_files_in_the_inbox_are_never_read(
    redis_conn: redis.Redis, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """ATTACK: whoever can write to the scanners' share leaves in a unit's folder a symbolic
    link to /etc/passwd (and one to a PDF outside the inbox), a FIFO that would block the
    scan forever, and a unit folder that is itself a link to a directory outside the inbox.
    BOUNDARY: api.inbox_files: folders must be real and named by a unit code, files are
    opened with O_NOFOLLOW and fstat'ed; what is not a regular file is set aside with the
    reason logged, and the real scan beside it is still taken."""
    settings = get_settings()
    folder = settings.inbox_path / "xa-a"
    folder.mkdir(parents=True)
    outside_pdf, _ = born_digital(tmp_path, "to_khai_khai_sinh", seed=3)
    (folder / "passwd.pdf").symlink_to("/etc/passwd")
    (folder / "elsewhere.pdf").symlink_to(outside_pdf)
    os.mkfifo(folder / "blocks.pdf")
    real, _ = born_digital(tmp_path, "giay_uy_quyen", seed=4)
    (folder / "scan0002.pdf").write_bytes(real.read_bytes())
    _settled(folder / "scan0002.pdf")
    secret_dir = tmp_path / "outside"
    secret_dir.mkdir()
    (secret_dir / "secret.pdf").write_bytes(outside_pdf.read_bytes())
    os.utime(secret_dir / "secret.pdf", SETTLED)
    (settings.inbox_path / "xa-link").symlink_to(secret_dir)

    with caplog.at_level(logging.WARNING):
        outcomes = {o.file: o for o in scan_inbox(settings, redis_conn)}
    assert outcomes["scan0002.pdf"].status == "waiting"
    for name in ("passwd.pdf", "elsewhere.pdf", "blocks.pdf"):
        assert outcomes[name].status == "skipped", name
        assert name in caplog.text
    assert "xa-link" in caplog.text
    with open_database(settings).session(readonly=True) as session:
        taken = {(i.unit_code, i.filename) for i in items_of(session)}
    assert taken == {("xa-a", "scan0002.pdf")}
    assert (secret_dir / "secret.pdf").exists()  # nothing outside the inbox was taken or moved
    assert Path("/etc/passwd").is_file()
    aside = list((folder / ".rejected").iterdir())
    assert len(aside) == 3 and sum(p.is_symlink() for p in aside) == 2  # moved as links
    assert scan_inbox(settings, redis_conn) == []  # set aside once, not again at every scan


@pytest.mark.parametrize("unit", ["../x", "..", "ABSOLUTE", "xa-a/../../x", ".hidden", "a/b"])
def test_a_unit_that_is_no_unit_code_is_refused_before_any_folder_is_made(
    redis_conn: redis.Redis, unit: str, tmp_path: Path
) -> None:
    """ATTACK: `sohoa inbox scan --unit ../x` (or watch) made and scanned a folder outside
    the inbox root, taking files from wherever it pointed.
    BOUNDARY: config.identifiers.UNIT_CODE, checked before the folder is touched; the CLI
    answers with the error and a non-zero exit."""
    settings = get_settings()
    settings.inbox_path.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"  # never /etc: the code this replays moved what it found
    elsewhere.mkdir()
    bystander = elsewhere / "notes.txt"
    bystander.write_text("not a scan")
    os.utime(bystander, SETTLED)
    unit = str(elsewhere) if unit == "ABSOLUTE" else unit
    before = sorted(p.name for p in settings.inbox_path.parent.iterdir())
    with pytest.raises(InvalidRequest):
        scan_inbox(settings, redis_conn, unit=unit)
    assert sorted(p.name for p in settings.inbox_path.parent.iterdir()) == before
    done = CliRunner().invoke(main, ["inbox", "scan", "--unit", unit])
    assert done.exit_code != 0 and "unit code" in done.output
    made = {p.name for p in settings.inbox_path.parent.iterdir()} - set(before)
    assert made <= {"redis"}  # the CLI's embedded Redis, nothing of the inbox's
    assert not (settings.inbox_path.parent / "x").exists()
    assert bystander.read_text() == "not a scan"
