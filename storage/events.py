"""Appending to the event log: every state change of a dossier leaves a chained record.

Events are chained at commit, not when appended: `append_event` keeps them on the session
and a `before_commit` hook takes the chain's lock, reads the last digest and inserts them
one by one with their digests (storage.audit). Taking the lock last keeps the time other
writers wait for it to the commit itself, and means a transaction holding it never waits
for a row lock of another: on PostgreSQL concurrent writers still make one chain (a
transaction-scoped advisory lock); on SQLite every writer already holds the database's
write lock (BEGIN IMMEDIATE, storage.db).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, SessionTransaction

from storage.audit import CHAIN_START, entry_digest, normalized_payload
from storage.enums import EventKind
from storage.models import Event
from storage.types import utcnow

_PENDING = "sohoa_pending_events"
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
    describes (and is chained then)."""
    entry = Event(
        kind=kind.value,
        at=utcnow(),
        actor=actor,
        dossier_id=dossier_id,
        document_id=document_id,
        data=normalized_payload(data or {}),
    )
    session.info.setdefault(_PENDING, []).append(entry)
    return entry


def events_of_dossier(session: Session, dossier_id: int) -> list[Event]:
    """A dossier's events in the order they happened, this transaction's own included."""
    stored = session.scalars(select(Event).where(Event.dossier_id == dossier_id).order_by(Event.id))
    pending = [e for e in session.info.get(_PENDING, []) if e.dossier_id == dossier_id]
    return [*stored, *pending]


@event.listens_for(Session, "before_commit")
def _chain_pending(session: Session) -> None:
    """Insert the transaction's events at the end of the chain, under the chain's lock."""
    pending: list[Event] = session.info.pop(_PENDING, [])
    if not pending:
        return
    session.flush()  # every other change first: no row lock is awaited under the chain's
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _CHAIN_LOCK_ID})
    head = connection.execute(
        select(Event.entry_hash).order_by(Event.id.desc()).limit(1)
    ).scalar_one_or_none()
    prev = head or CHAIN_START
    for entry in pending:  # one INSERT each, so ids ascend in chain order
        entry.prev_hash = prev
        entry.entry_hash = prev = entry_digest(entry, prev)
        session.add(entry)
        session.flush()


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: SessionTransaction) -> None:
    """A rolled-back transaction's events are dropped with it."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
