"""The scanners' inbox: files a unit's scanner left, stored, then filed or waiting.

A file is recorded once per unit and content: scanning the same stack twice finds the
item already there. An item is filed into a dossier (by its cover sheet, or by a clerk)
as a document of that dossier; one no cover sheet named waits for a clerk to assign it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.errors import InvalidRequest, NotFound
from storage.documents import add_document
from storage.enums import EventKind, InboxStatus
from storage.events import append_event
from storage.models import Document, Dossier, InboxItem


def find_item(session: Session, unit_code: str, sha256: str) -> InboxItem | None:
    """The unit's item with these bytes, if the file was seen before."""
    return session.scalars(
        select(InboxItem).where(InboxItem.unit_code == unit_code, InboxItem.sha256 == sha256)
    ).first()


def record_item(
    session: Session,
    *,
    unit_code: str,
    filename: str,
    sha256: str | None,
    size: int,
    media_type: str | None,
    error: dict[str, str] | None = None,
) -> InboxItem:
    """A new item: waiting, or rejected with the reason when `error` is given."""
    item = InboxItem(
        unit_code=unit_code,
        filename=filename,
        sha256=sha256,
        size=size,
        media_type=media_type,
        status=InboxStatus.REJECTED if error else InboxStatus.WAITING,
        error_code=error["code"] if error else None,
        error_message=error["message"] if error else None,
    )
    session.add(item)
    session.flush()
    return item


def get_item(session: Session, item_id: int) -> InboxItem:
    """The item with this id; NotFound otherwise."""
    item = session.get(InboxItem, item_id)
    if item is None:
        raise NotFound(f"no inbox item with id {item_id}")
    return item


def file_item(
    session: Session,
    item: InboxItem,
    dossier: Dossier,
    *,
    cover_sheet: bool,
    actor: str,
    component_id: int | None = None,
) -> Document:
    """File a waiting item into a dossier of its unit as a new document (of the dossier's
    component `component_id` when given); with `cover_sheet`, its first page is the
    dossier's receipt and belongs to no document."""
    if item.status is not InboxStatus.WAITING or item.sha256 is None:
        raise InvalidRequest(f"inbox item {item.id} is {item.status.value}, not waiting")
    if dossier.unit_code != item.unit_code:
        raise InvalidRequest(
            f"inbox item {item.id} came from unit {item.unit_code}; dossier {dossier.code} "
            f"belongs to unit {dossier.unit_code}"
        )
    document, _created = add_document(
        session,
        dossier,
        filename=item.filename,
        sha256=item.sha256,
        size=item.size,
        media_type=item.media_type or "application/octet-stream",
        actor=actor,
        component_id=component_id,
        first_page=2 if cover_sheet else None,
    )
    item.status = InboxStatus.FILED
    item.dossier_id = dossier.id
    item.document_id = document.id
    append_event(
        session,
        EventKind.INBOX_FILED,
        actor=actor,
        dossier_id=dossier.id,
        document_id=document.id,
        data={"inbox_item": item.id, "filename": item.filename, "cover_sheet": cover_sheet},
    )
    return document


def items_of(
    session: Session,
    unit_code: str | None = None,
    status: InboxStatus | None = None,
    *,
    before: int | None = None,
    limit: int | None = None,
) -> list[InboxItem]:
    """A unit's (or every unit's) items, newest first, optionally of one status; for a page
    of a list, only those older than the item `before` and at most `limit` of them."""
    query = select(InboxItem).order_by(InboxItem.id.desc()).limit(limit)
    if before is not None:
        query = query.where(InboxItem.id < before)
    if unit_code is not None:
        query = query.where(InboxItem.unit_code == unit_code)
    if status is not None:
        query = query.where(InboxItem.status == status)
    return list(session.scalars(query))
