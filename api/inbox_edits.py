"""A clerk's edits to a scanner file waiting in the inbox, before it is filed: a stack cut
into several files at chosen pages, a page turned a quarter turn. One function each, called
by `sohoa inbox split|rotate`, the clerk's inbox page and the API alike.

Each new file is stored in the blob store under its SHA-256 before the database names it;
the original's bytes stay stored too, named by the `inbox.split` or `inbox.turned` event.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePath

from api.inbox import InboxOutcome
from config.errors import PageOutOfRange
from config.settings import Settings
from digitize.originals import split_original, suffix_of, turn_page
from digitize.sniff import MediaType
from storage.blobs import blob_store
from storage.db import open_database
from storage.enums import InboxStatus
from storage.inbox import record_split, record_turn, waiting_item

log = logging.getLogger(__name__)

STEM_CHARS = 180
"""A part's name keeps this much of the original's name, so it stays under 255 characters."""


def _original(settings: Settings, item_id: int, unit: str | None) -> tuple[Path, MediaType, str]:
    """The waiting item's stored original: its path, type and file name."""
    with open_database(settings).session(readonly=True) as session:
        item = waiting_item(session, item_id, unit)
        assert item.sha256 is not None  # waiting_item: a waiting item is stored
        sha, media, name = item.sha256, MediaType(item.media_type or MediaType.PDF), item.filename
    return blob_store(settings).verified_path(sha), media, name


def _scratch(settings: Settings) -> tempfile.TemporaryDirectory[str]:
    work = settings.data_path / "tmp"
    work.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(dir=work, prefix="inbox-")


def _part_name(name: str, first: int, last: int, media: MediaType) -> str:
    stem = PurePath(name).stem[:STEM_CHARS]
    pages = f"p{first}" if first == last else f"p{first}-{last}"
    return f"{stem}-{pages}{suffix_of(media)}"


def page_numbers(text: str) -> list[int]:
    """Page numbers as a clerk types them ("3, 5" or "3 5"); PageOutOfRange otherwise."""
    words = text.replace(",", " ").replace(";", " ").split()
    if not words or not all(w.isascii() and w.isdigit() and len(w) <= 6 for w in words):
        raise PageOutOfRange(
            f"page numbers separated by commas expected, not {text!r}",
            "Hãy nhập số trang, cách nhau bởi dấu phẩy (ví dụ 3, 5).",
        )
    return [int(w) for w in words]


def split_item(
    settings: Settings,
    item_id: int,
    starts: Sequence[int],
    *,
    actor: str,
    unit: str | None = None,
) -> list[InboxOutcome]:
    """Cut a waiting file into parts starting at the pages of `starts` (ascending; page 1
    starts the first part, named or not):
    each part becomes a waiting file of the unit, the original is `split`. With `unit` (a
    clerk of that unit, on the web), a file of another unit is NotFound, as if absent."""
    path, media, name = _original(settings, item_id, unit)
    store = blob_store(settings)
    limit = settings.max_upload_bytes
    with _scratch(settings) as scratch:
        written = split_original(
            path, media, starts, Path(scratch), name=name,
            max_pixels=settings.max_image_pixels, max_pages=settings.max_pages,
        )  # fmt: skip
        parts = []
        for part in written:
            blob = store.put_file(part.path, max_bytes=limit)
            parts.append(
                (_part_name(name, part.first, part.last, media), blob.sha256, blob.size,
                 (part.first, part.last))
            )  # fmt: skip
    with open_database(settings).session() as session:
        item = waiting_item(session, item_id, unit, lock=True)
        made = record_split(session, item, parts, actor=actor)
        outcomes = [
            InboxOutcome(new.unit_code, new.filename, InboxStatus.WAITING.value, new.id)
            for new in made
        ]
    log.info("inbox item %d cut into %d parts by %s", item_id, len(outcomes), actor)
    return outcomes


def rotate_page(
    settings: Settings,
    item_id: int,
    page: int,
    degrees: int,
    *,
    actor: str,
    unit: str | None = None,
) -> InboxOutcome:
    """Turn page `page` of a waiting file `degrees` clockwise (90, 180 or 270): the item
    holds the turned file from now on. With `unit`, another unit's file is NotFound."""
    path, media, name = _original(settings, item_id, unit)
    with _scratch(settings) as scratch:
        turned = turn_page(
            path, media, page, degrees, Path(scratch), name=name,
            max_pixels=settings.max_image_pixels, max_pages=settings.max_pages,
        )  # fmt: skip
        blob = blob_store(settings).put_file(turned, max_bytes=settings.max_upload_bytes)
    with open_database(settings).session() as session:
        item = waiting_item(session, item_id, unit, lock=True)
        record_turn(
            session, item, page=page, degrees=degrees, sha256=blob.sha256, size=blob.size,
            actor=actor,
        )  # fmt: skip
        outcome = InboxOutcome(item.unit_code, item.filename, InboxStatus.WAITING.value, item.id)
    log.info("inbox item %d: page %d turned %d degrees by %s", item_id, page, degrees, actor)
    return outcome
