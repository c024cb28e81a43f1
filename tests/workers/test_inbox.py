"""The scanners' inbox: a stack under its receipt files itself; others wait for a clerk."""

from __future__ import annotations

import fcntl
import io
import os
import time
from pathlib import Path

import pikepdf
import redis

from api.inbox import assign_item, scan_inbox
from api.inbox_views import listed_items
from api.inbox_watch import LOCK_NAME, scan_once, start_watching
from api.receipts import dossier_receipt
from api.services import open_dossier
from config.settings import Settings, get_settings
from storage.db import open_database
from storage.documents import get_document
from storage.dossiers import get_dossier
from storage.enums import DocumentStatus, InboxStatus
from storage.inbox import items_of
from storage.parts import live_parts
from tests.support.samples import born_digital
from workers.worker import run_worker

UNIT = "xa-hoa-binh"


def _dossier(settings: Settings) -> str:
    return open_dossier(
        settings,
        procedure_code="1.001193",
        applicant_name="Phạm Thị Lan",
        applicant_id_number=None,
        unit_code=UNIT,
        actor="clerk",
    )


def _scanned(folder: Path, name: str, pages: list[bytes | Path]) -> Path:
    """A PDF as the scanner leaves it, finished writing a while ago."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / name
    with pikepdf.new() as stack:
        for source in pages:
            pdf = pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source)
            stack.pages.extend(pdf.pages)
        stack.save(out)
    os.utime(out, (1_700_000_000, 1_700_000_000))
    return out


def test_a_stack_under_its_receipt_is_filed_split_and_digitized(
    redis_conn: redis.Redis, tmp_path: Path
) -> None:
    settings = get_settings()
    code = _dossier(settings)
    form, _ = born_digital(tmp_path, "to_khai_khai_sinh", seed=5)
    card, _ = born_digital(tmp_path, "giay_uy_quyen", seed=6)
    folder = settings.inbox_path / UNIT
    stack = _scanned(folder, "scan0001.pdf", [dossier_receipt(settings, code), form, card])
    scanned = stack.read_bytes()

    outcomes = scan_inbox(settings, redis_conn)
    assert [(o.status, o.dossier_code) for o in outcomes] == [("filed", code)]
    assert not stack.exists()  # taken: stored and recorded first
    run_worker(redis_conn, settings, burst=True)
    with open_database(settings).session() as session:
        document = outcomes[0].document_id
        assert document is not None
        root = get_document(session, document)
        assert root.first_page == 2 and root.status is DocumentStatus.SPLIT
        parts = live_parts(root)
        assert [(p.first_page, p.document_type) for p in parts] == [
            (2, "to_khai_khai_sinh"),
            (parts[1].first_page, "giay_uy_quyen"),
        ]
        assert all(p.dossier.code == code for p in parts)
    # the scanner's software sends the same file again: nothing new is filed
    (folder / "scan0001 (1).pdf").write_bytes(scanned)
    os.utime(folder / "scan0001 (1).pdf", (1_700_000_000, 1_700_000_000))
    assert [o.status for o in scan_inbox(settings, redis_conn)] == ["seen"]


def test_files_without_a_receipt_wait_and_bad_files_are_set_aside(
    redis_conn: redis.Redis, tmp_path: Path
) -> None:
    settings = get_settings()
    code = _dossier(settings)
    form, _ = born_digital(tmp_path, "to_khai_khai_sinh", seed=7)
    folder = settings.inbox_path / UNIT
    _scanned(folder, "no-cover.pdf", [form])
    (folder / "empty.pdf").write_bytes(b"")
    os.utime(folder / "empty.pdf", (1_700_000_000, 1_700_000_000))
    fresh = _scanned(folder, "still-writing.pdf", [form])
    os.utime(fresh)  # modified just now: the scanner may not be done

    outcomes = {o.file: o for o in scan_inbox(settings, redis_conn)}
    assert outcomes["no-cover.pdf"].status == "waiting"
    assert outcomes["no-cover.pdf"].reason == "no cover sheet on its first page"
    assert outcomes["empty.pdf"].status == "rejected" and "empty" in (
        outcomes["empty.pdf"].reason or ""
    )
    assert "still-writing.pdf" not in outcomes and fresh.exists()
    assert [p.name for p in (folder / ".rejected").iterdir()] == [
        f"{outcomes['empty.pdf'].item_id}-empty.pdf"
    ]

    waiting = outcomes["no-cover.pdf"].item_id
    assert waiting is not None
    listed = listed_items(settings, UNIT, everything=False)  # `sohoa inbox list`
    assert [(r["id"], r["status"], r["file"]) for r in listed] == [
        (waiting, "waiting", "no-cover.pdf")
    ]
    every = {r["file"]: r["status"] for r in listed_items(settings, None, everything=True)}
    assert every == {"no-cover.pdf": "waiting", "empty.pdf": "rejected"}
    filed = assign_item(settings, redis_conn, waiting, code, cover_sheet=False, actor="clerk")
    run_worker(redis_conn, settings, burst=True)
    with open_database(settings).session() as session:
        assert [i.status for i in items_of(session, UNIT, InboxStatus.WAITING)] == []
        assert filed.document_id is not None
        document = get_document(session, filed.document_id)
        assert document.status is DocumentStatus.DIGITIZED
        assert document.document_type == "to_khai_khai_sinh"


def test_the_web_servers_watch_files_a_stack_by_itself_and_takes_turns(
    redis_conn: redis.Redis, tmp_path: Path
) -> None:
    """GIVEN the thread `sohoa serve` starts (api.inbox_watch.start_watching) WHEN a stack
    under its receipt lands in the unit's folder THEN it is filed with nobody asking; and
    while another process holds the inbox's lock, a look takes nothing (no file twice)."""
    settings = get_settings().model_copy(update={"inbox_scan_seconds": 0.2})
    code = _dossier(settings)
    form, _ = born_digital(tmp_path, "to_khai_khai_sinh", seed=9)
    folder = settings.inbox_path / UNIT
    settings.inbox_path.mkdir(parents=True, exist_ok=True)
    held = (settings.inbox_path / LOCK_NAME).open("a")
    fcntl.flock(held, fcntl.LOCK_EX)  # another web host is looking
    stack = _scanned(folder, "scan0002.pdf", [dossier_receipt(settings, code), form])
    assert scan_once(settings, redis_conn) == [] and stack.exists()
    stop = start_watching(settings, redis_conn)
    assert stop is not None
    try:
        time.sleep(1.0)
        assert stack.exists()
        held.close()  # the other host is done
        for _ in range(100):
            if not stack.exists():
                break
            time.sleep(0.1)
    finally:
        stop.set()
    assert not stack.exists()
    with open_database(settings).session() as session:
        dossier = get_dossier(session, code)
        assert [d.original_filename for d in dossier.documents] == ["scan0002.pdf"]
    assert start_watching(settings.model_copy(update={"inbox_scan_seconds": 0}), redis_conn) is None
