"""The scanner inbox as the clerk's pages and the API show it: the unit's files waiting for
a clerk, newest first and a page at a time, each with its page count, the stored original
behind each file's page images, and a dossier's components to file one into."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from api.paging import Page, cut
from config import defaults
from config.settings import Settings
from digitize.previews import file_pages
from storage.blobs import blob_store
from storage.db import open_database
from storage.enums import InboxStatus
from storage.inbox import items_of, unit_dossier, waiting_item
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
    sha256: str | None = Field(
        description="The stored file's SHA-256 (a new one when a clerk turns a page)."
    )
    reason: str | None = Field(description="Why it was not filed by itself (English, logs).")


@dataclass(frozen=True)
class Original:
    """The stored bytes behind a waiting file, for its page images."""

    sha256: str
    media_type: str | None
    pages: int | None
    path: Path
    """Where the blob store keeps it, to render its pages."""


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
        sha256=item.sha256,
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
        item = waiting_item(session, item_id, unit)
        assert item.sha256 is not None  # waiting_item: a waiting item is stored
        sha, media = item.sha256, item.media_type
    path = blob_store(settings).path(sha)
    return Original(sha, media, file_pages(path, media), path)


def waiting_file(settings: Settings, unit: str | None, item_id: int) -> InboxFile:
    """One waiting file of the unit (None: any unit), as the list shows it; NotFound, as if
    absent, for another unit's or one no longer waiting."""
    with open_database(settings).session(readonly=True) as session:
        return _row(settings, waiting_item(session, item_id, unit))


@dataclass(frozen=True)
class Choice:
    """A component of a dossier a waiting file may be filed into, by its label."""

    id: int
    label: str
    state: str


def component_choices(settings: Settings, unit: str | None, code: str) -> list[Choice]:
    """The components of the unit's dossier `code` (None: any unit's), in the procedure's
    order, for the clerk to choose one by its label; UnknownDossier for a code of no
    dossier of the unit."""
    with open_database(settings).session(readonly=True) as session:
        dossier = unit_dossier(session, code, unit)
        return [
            Choice(c.id, c.label, c.state.value)
            for c in sorted(dossier.components, key=lambda c: c.position)
        ]


def listed_items(
    settings: Settings, unit: str | None, *, everything: bool
) -> list[dict[str, object]]:
    """`sohoa inbox list`: a unit's (or every unit's) items waiting for a clerk, or of any
    status, newest first, each as a row of plain values."""
    status = None if everything else InboxStatus.WAITING
    with open_database(settings).session(readonly=True) as session:
        return [
            {
                "id": item.id,
                "unit": item.unit_code,
                "file": item.filename,
                "status": item.status.value,
                "reason": item.error_message,
                "received_at": item.received_at.isoformat(timespec="seconds"),
                "document_id": item.document_id,
            }
            for item in items_of(session, unit, status)
        ]
