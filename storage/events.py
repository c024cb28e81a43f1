"""Appending to the event log: every state change of a dossier leaves a record."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.enums import EventKind
from storage.models import Event


def append_event(
    session: Session,
    kind: EventKind,
    *,
    actor: str,
    dossier_id: int | None = None,
    document_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Record an event in the caller's transaction, so it commits with the change it describes."""
    event = Event(
        kind=kind.value,
        actor=actor,
        dossier_id=dossier_id,
        document_id=document_id,
        data=data or {},
    )
    session.add(event)
    return event


def events_of_dossier(session: Session, dossier_id: int) -> list[Event]:
    """A dossier's events in the order they happened."""
    return list(
        session.scalars(select(Event).where(Event.dossier_id == dossier_id).order_by(Event.id))
    )
