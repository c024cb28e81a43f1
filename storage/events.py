"""Appending to the event log: every state change of a dossier leaves a chained record.

Each event is chained as it is appended: the caller's other changes are flushed, the
chain's lock taken, the last digest read and the event inserted with its own digest
(storage.audit). The lock is held until the transaction ends, so concurrent writers make
one chain and event ids ascend in commit order: on PostgreSQL a transaction-scoped
advisory lock; on SQLite every writer already holds the database's write lock (BEGIN
IMMEDIATE, storage.db). The event is a row at once, so the rest of the transaction reads
it like any other. On PostgreSQL two transactions that take the chain's lock and a row
lock in opposite orders deadlock; PostgreSQL then cancels one, which surfaces as a
TransientError and is retried like any other lost transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage.audit import CHAIN_START, entry_digest, normalized_payload
from storage.enums import EventKind
from storage.models import Event
from storage.types import utcnow

_CHAIN_LOCK_ID = 0x53_4F_45_56  # "SOEV": PostgreSQL advisory lock serializing appends


def append_event(
    session: Session,
    kind: EventKind,
    *,
    actor: str,
    dossier_id: int | None = None,
    document_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Record an event in the caller's transaction, so it commits with the change it
    describes, chained to the last one."""
    entry = Event(
        kind=kind.value,
        at=utcnow(),
        actor=actor,
        dossier_id=dossier_id,
        document_id=document_id,
        data=normalized_payload(data or {}),
    )
    session.flush()  # the caller's own changes first, before the chain's lock
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _CHAIN_LOCK_ID})
    head = connection.execute(
        select(Event.entry_hash).order_by(Event.id.desc()).limit(1)
    ).scalar_one_or_none()
    entry.prev_hash = head or CHAIN_START
    entry.entry_hash = entry_digest(entry, entry.prev_hash)
    session.add(entry)
    session.flush()
    return entry


def events_of_dossier(session: Session, dossier_id: int) -> list[Event]:
    """A dossier's events in the order they happened."""
    return list(
        session.scalars(select(Event).where(Event.dossier_id == dossier_id).order_by(Event.id))
    )
