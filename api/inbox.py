"""The scanners' inbox: files office scanners save under INBOX/<unit code>/ are stored,
read for a cover sheet, and filed into their dossier, or left waiting for a clerk.

Nothing a scanner saved is lost: a file is deleted from the inbox folder only after its
bytes are in the blob store and its item is committed; a refused file (empty, not a
document, too large) is moved to the folder's `.rejected/` with the reason recorded; a
file still being written (modified in the last seconds) is left for the next scan. What is
not a regular file of the unit's own folder is never read (api.inbox_files).
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import redis

from api.inbox_files import NotRegular, entries, open_regular, set_aside, skip, unit_folders
from api.services import queue_document
from config.errors import InputRejected, NotFound, ResultFrozen
from config.settings import Settings
from config.text import clean_filename
from digitize.coversheet import cover_sheet_of
from digitize.options import DigitizeOptions
from digitize.sniff import HEAD_BYTES, MediaType, check_head
from storage.blobs import BlobRef, blob_store
from storage.db import open_database
from storage.dossiers import get_dossier
from storage.inbox import file_item, find_item, get_item, record_item, unit_dossier

log = logging.getLogger(__name__)

SETTLE_SECONDS = 2.0
"""A file modified more recently than this may still be being written by the scanner."""


@dataclass(frozen=True)
class InboxOutcome:
    """What became of one file of the inbox."""

    unit: str
    file: str
    status: str
    """filed, waiting, rejected, seen (the same bytes were taken before), or skipped (a link
    or no regular file: set aside unread)."""
    item_id: int | None = None
    dossier_code: str | None = None
    document_id: int | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def scan_inbox(
    settings: Settings,
    conn: redis.Redis,
    *,
    unit: str | None = None,
    settle: float = SETTLE_SECONDS,
    actor: str = "inbox",
) -> list[InboxOutcome]:
    """Take every settled file from the unit's folder (every unit's when None). A unit that
    is no unit code, or whose folder is a link, is refused (InvalidRequest); a link or a
    file that is not regular is set aside, logged, and the batch goes on."""
    outcomes = []
    now = time.time()
    for unit_code, folder in unit_folders(settings.inbox_path, unit):
        for entry in entries(folder):
            if entry.problem is not None:
                skip(unit_code, entry.path, entry.problem)
                outcomes.append(_skipped(unit_code, entry.path, entry.problem))
            elif now - entry.mtime >= settle:
                outcomes.append(_take(settings, conn, unit_code, entry.path, actor))
    return outcomes


def _skipped(unit: str, path: Path, reason: str) -> InboxOutcome:
    return InboxOutcome(unit, clean_filename(path.name), "skipped", reason=reason)


def _reject(
    settings: Settings, unit: str, path: Path, *, name: str, size: int, e: InputRejected
) -> InboxOutcome:
    with open_database(settings).session() as session:
        item = record_item(
            session, unit_code=unit, filename=name, sha256=None, size=size,
            media_type=None, error=e.to_dict(),
        )  # fmt: skip
        item_id = item.id
    set_aside(path, str(item_id))
    log.warning("inbox %s: %s refused: %s", unit, name, e.message)
    return InboxOutcome(unit, name, "rejected", item_id, reason=e.message)


def _store(settings: Settings, path: Path, name: str) -> tuple[MediaType, BlobRef, int]:
    """The file's bytes into the blob store, read from one descriptor opened without
    following links (NotRegular if it is no regular file); its media type and size."""
    limit = settings.max_upload_bytes
    handle, size = open_regular(path)
    with handle:
        media = check_head(handle.read(HEAD_BYTES), size, max_bytes=limit, name=name)
        handle.seek(0)
        blob = blob_store(settings).put_stream(handle, name=name, max_bytes=limit)
    return media, blob, size


def _take(settings: Settings, conn: redis.Redis, unit: str, path: Path, actor: str) -> InboxOutcome:
    """Store one file, then file it by its cover sheet or leave it waiting."""
    name = clean_filename(path.name)
    options = DigitizeOptions.from_settings(settings)
    size = 0
    try:
        media, blob, size = _store(settings, path, name)
        with open_database(settings).session(readonly=True) as session:
            seen = find_item(session, unit, blob.sha256)
            if seen is not None:
                path.unlink()
                return InboxOutcome(unit, name, "seen", seen.id, reason="already in the inbox")
        store = blob_store(settings)
        cover = cover_sheet_of(store.path(blob.sha256), media, name=name, options=options)
    except NotRegular as e:
        skip(unit, path, str(e))
        return _skipped(unit, path, str(e))
    except InputRejected as e:
        return _reject(settings, unit, path, name=name, size=size, e=e)
    reason = None
    with open_database(settings).session() as session:
        item = record_item(
            session, unit_code=unit, filename=name, sha256=blob.sha256, size=blob.size,
            media_type=media.value,
        )  # fmt: skip
        item_id, code, document_id = item.id, None, None
        if cover is None:
            reason = "no cover sheet on its first page"
        else:
            try:
                dossier = get_dossier(session, cover.dossier_code)
            except NotFound:
                reason = f"its cover sheet names dossier {cover.dossier_code}, which is unknown"
            else:
                if dossier.unit_code != unit:
                    reason = f"its cover sheet names dossier {dossier.code} of another unit"
                else:
                    try:
                        document = file_item(session, item, dossier, cover_sheet=True, actor=actor)
                        code, document_id = dossier.code, document.id
                    except ResultFrozen:
                        reason = f"dossier {dossier.code}: its result is being signed or signed"
        if reason is not None:
            item.error_message = reason
    if document_id is not None:
        queue_document(settings, conn, document_id)
    path.unlink()
    status = "filed" if document_id is not None else "waiting"
    log.info("inbox %s: %s %s%s", unit, name, status, f" ({reason})" if reason else "")
    return InboxOutcome(unit, name, status, item_id, code, document_id, reason)


def assign_item(
    settings: Settings,
    conn: redis.Redis,
    item_id: int,
    code: str,
    *,
    cover_sheet: bool,
    actor: str,
    component_id: int | None = None,
    unit: str | None = None,
) -> InboxOutcome:
    """A clerk files a waiting item into a dossier of its unit (into one of its components
    when given). An unknown code is UnknownDossier, and nothing changes. With `unit` (a
    clerk of that unit, on the web), an item or a dossier of another unit is reported
    exactly as one that does not exist."""
    with open_database(settings).session() as session:
        item = get_item(session, item_id)
        if unit is not None and item.unit_code != unit:
            raise NotFound(f"no inbox item with id {item_id}")
        dossier = unit_dossier(session, code, unit)
        document = file_item(
            session, item, dossier, cover_sheet=cover_sheet, actor=actor, component_id=component_id
        )
        item.error_message = None
        outcome = InboxOutcome(item.unit_code, item.filename, "filed", item.id, code, document.id)
    queue_document(settings, conn, document.id)
    return outcome
