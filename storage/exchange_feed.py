"""One unit's view of the exchange outbox: the messages about its dossiers, a consumer's
acknowledged position in them, and whether a file is one they link.

A provincial system's account reads the feed of its unit (the dossiers it received) after a
cursor, or after the last message it acknowledged; acknowledging moves that position forward
only, and only to a message of the unit's own feed.
"""

from __future__ import annotations

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from config.errors import NotFound
from storage.exchange import file_link
from storage.models import Dossier, ExchangeCursor, ExchangeMessage


def ack_cursor_name(user_id: int) -> str:
    """The exchange cursor holding what an account has acknowledged."""
    return f"ack:user:{user_id}"


def unit_messages(session: Session, unit: str, *, after: int, limit: int) -> list[ExchangeMessage]:
    """At most `limit` messages about the unit's dossiers after the event id `after`,
    oldest first."""
    return list(
        session.scalars(
            select(ExchangeMessage)
            .join(Dossier, Dossier.id == ExchangeMessage.dossier_id)
            .where(Dossier.unit_code == unit, ExchangeMessage.event_id > after)
            .order_by(ExchangeMessage.event_id)
            .limit(limit)
        )
    )


def acknowledged(session: Session, user_id: int) -> int:
    """The event id of the last message the account acknowledged (0: none yet)."""
    row = session.get(ExchangeCursor, ack_cursor_name(user_id))
    return row.last_event_id if row is not None else 0


def acknowledge(session: Session, user_id: int, unit: str, through: int) -> int:
    """Acknowledge every message up to the event id `through`, which must be a message of
    the unit's feed (NotFound otherwise, as if absent: another unit's message tells nothing).
    The position only moves forward; returns it."""
    held = session.scalar(
        select(ExchangeMessage.event_id)
        .join(Dossier, Dossier.id == ExchangeMessage.dossier_id)
        .where(ExchangeMessage.event_id == through, Dossier.unit_code == unit)
    )
    if held is None:
        raise NotFound(f"no exchange message {through} in the feed of unit {unit!r}")
    name = ack_cursor_name(user_id)
    row = session.get(ExchangeCursor, name, with_for_update=True)
    if row is None:
        row = ExchangeCursor(name=name, last_event_id=0)
        session.add(row)
    row.last_event_id = max(row.last_event_id, through)
    session.flush()
    return row.last_event_id


def links_file(session: Session, unit: str, sha256: str) -> bool:
    """Whether a message of the unit's feed links the stored file with this SHA-256 (a
    component's digitization result, or the signed result)."""
    link = file_link("", sha256.lower())
    assert link is not None
    found = session.scalar(
        select(ExchangeMessage.event_id)
        .join(Dossier, Dossier.id == ExchangeMessage.dossier_id)
        .where(Dossier.unit_code == unit, cast(ExchangeMessage.payload, String).contains(link))
        .limit(1)
    )
    return found is not None
