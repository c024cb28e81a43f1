"""The scanner inbox as the clerk's pages and the API show it: the unit's files waiting for
a clerk, newest first and a page at a time, each with its page count, and the stored
original behind each file's thumbnail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field

from api.paging import Page, cut
from config import defaults
from config.errors import NotFound
from config.settings import Settings
from digitize.previews import file_pages
from storage.blobs import blob_store
from storage.db import open_database
from storage.enums import InboxStatus
from storage.inbox import get_item, items_of
from storage.models import InboxItem


class InboxFile(BaseModel):
    """A file a scanner left that no receipt's QR code filed: waiting for a clerk."""

    id: int
    unit: str
    file: str = Field(description="The file's name as the scanner saved it.")
    received_at: datetime
    pages: int | None = Field(description="Its pages (None: it could not be read).")
    size: int = Field(description="Bytes.")
    media_type: str | None
    reason: str | None = Field(description="Why it was not filed by itself (English, logs).")


@dataclass(frozen=True)
class Original:
    """The stored bytes behind a waiting file, for its page images."""

    sha256: str
    media_type: str | None
    pages: int | None


def _row(settings: Settings, item: InboxItem) -> InboxFile:
    sha = item.sha256
    pages = file_pages(blob_store(settings).path(sha), item.media_type) if sha else None
    return InboxFile(
        id=item.id,
        unit=item.unit_code,
        file=item.filename,
        received_at=item.received_at,
        pages=pages,
        size=item.size,
        media_type=item.media_type,
        reason=item.error_message,
    )


def waiting_files(
    settings: Settings,
    unit: str | None,
    *,
    cursor: int | None = None,
    limit: int = defaults.LIST_PAGE_SIZE,
) -> Page[InboxFile]:
    """The unit's (None: every unit's) waiting files, newest first, after `cursor`."""
    with open_database(settings).session(readonly=True) as session:
        found = items_of(session, unit, InboxStatus.WAITING, before=cursor, limit=limit + 1)
        shown, next_cursor = cut(found, limit, lambda i: i.id)
        return Page([_row(settings, i) for i in shown], next_cursor)


def waiting_original(settings: Settings, unit: str | None, item_id: int) -> Original:
    """The stored original of a waiting file of the unit (None: any unit); NotFound, as if
    absent, for a file of another unit, one already filed, or one refused unstored."""
    with open_database(settings).session(readonly=True) as session:
        item = get_item(session, item_id)
        mine = unit is None or item.unit_code == unit
        if not mine or item.status is not InboxStatus.WAITING or item.sha256 is None:
            raise NotFound(f"no waiting inbox item with id {item_id}")
        sha, media = item.sha256, item.media_type
    return Original(sha, media, file_pages(blob_store(settings).path(sha), media))
