"""The scanners' inbox: files a unit's scanner left, stored, then filed or waiting.

A file is recorded once per unit and content: scanning the same stack twice finds the
item already there. An item is filed into a dossier (by its cover sheet, or by a clerk)
as a document of that dossier; one no cover sheet named waits for a clerk to assign it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.errors import InvalidRequest, NotFound, UnknownDossier
from storage.documents import add_document
from storage.dossiers import get_dossier
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


def waiting_item(
    session: Session, item_id: int, unit_code: str | None, *, lock: bool = False
) -> InboxItem:
    """A stored item waiting for a clerk, of the unit (None: any unit); NotFound, as if
    absent, for one of another unit, one filed, split or refused. With `lock`, the row is
    held until the transaction ends (two clerks' edits of one file go one after the other)."""
    item = session.get(InboxItem, item_id, with_for_update=lock)
    if item is None:
        raise NotFound(f"no inbox item with id {item_id}")
    mine = unit_code is None or item.unit_code == unit_code
    if not mine or item.status is not InboxStatus.WAITING or item.sha256 is None:
        raise NotFound(f"no waiting inbox item with id {item_id}")
    return item


def record_split(
    session: Session,
    item: InboxItem,
    parts: Sequence[tuple[str, str, int, tuple[int, int]]],
    *,
    actor: str,
) -> list[InboxItem]:
    """A waiting item cut into `parts` (file name, SHA-256, size, first and last page): each
    a new waiting item of the unit, the original `split` (its bytes kept), one event."""
    made = [
        record_item(
            session,
            unit_code=item.unit_code,
            filename=filename,
            sha256=sha256,
            size=size,
            media_type=item.media_type,
        )
        for filename, sha256, size, _pages in parts
    ]
    item.status = InboxStatus.SPLIT
    append_event(
        session,
        EventKind.INBOX_SPLIT,
        actor=actor,
        data={
            "inbox_item": item.id,
            "filename": item.filename,
            "sha256": item.sha256,
            "parts": [
                {"inbox_item": new.id, "pages": list(pages), "sha256": new.sha256}
                for new, (_f, _s, _n, pages) in zip(made, parts, strict=True)
            ],
        },
    )
    return made


def record_turn(
    session: Session, item: InboxItem, *, page: int, degrees: int, sha256: str, size: int,
    actor: str,
) -> None:  # fmt: skip
    """A waiting item's page turned: the item now holds the new bytes; the event keeps the
    earlier SHA-256 (whose bytes stay stored)."""
    append_event(
        session,
        EventKind.INBOX_TURNED,
        actor=actor,
        data={"inbox_item": item.id, "page": page, "degrees": degrees,
              "before": item.sha256, "after": sha256},
    )  # fmt: skip
    item.sha256, item.size = sha256, size


def unit_dossier(session: Session, code: str, unit_code: str | None) -> Dossier:
    """The dossier a clerk named to file a scanner file into: of the unit (None: any
    unit); UnknownDossier for a code of no dossier, or of another unit's, alike."""
    try:
        dossier = get_dossier(session, code)
    except NotFound as e:
        raise UnknownDossier(code) from e
    if unit_code is not None and dossier.unit_code != unit_code:
        raise UnknownDossier(code)
    return dossier
