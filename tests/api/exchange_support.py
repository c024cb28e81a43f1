"""Dossiers whose changes are in the exchange outbox, and a provincial system's token."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from api.exchange_views import exchange_token
from config.settings import Settings
from storage.db import open_database
from storage.exchange import fill_outbox
from storage.models import Dossier, ExchangeMessage
from storage.types import utcnow
from tests.storage.archive_support import build_dossier


def published_dossiers(settings: Settings, unit: str, count: int, *, seed: int) -> list[str]:
    """`count` dossiers of the unit, digitized and signed, their changes in the outbox (all
    of them: on PostgreSQL the outbox otherwise waits for events to settle)."""
    db = open_database(settings)
    codes = [build_dossier(db, settings, unit=unit, seed=seed + n).code for n in range(count)]
    publish(settings)
    return codes


def publish(settings: Settings) -> None:
    """Every event so far into the outbox."""
    with open_database(settings).session() as session:
        fill_outbox(
            session,
            public_url=settings.public_url,
            settled_before=utcnow() + timedelta(minutes=1),
            limit=100_000,
        )


def unit_message_ids(settings: Settings, unit: str) -> list[int]:
    """The event ids of the outbox's messages about the unit's dossiers, oldest first."""
    with open_database(settings).session(readonly=True) as session:
        return list(
            session.scalars(
                select(ExchangeMessage.event_id)
                .join(Dossier, Dossier.id == ExchangeMessage.dossier_id)
                .where(Dossier.unit_code == unit)
                .order_by(ExchangeMessage.event_id)
            )
        )


def exchange_bearer(settings: Settings, unit: str) -> dict[str, str]:
    """Authorization headers with a token of the unit's provincial system, issued as
    `sohoa exchange token UNIT` does."""
    issued = exchange_token(settings, unit=unit, username=f"lien-thong-{unit}", actor="test")
    return {"Authorization": f"Bearer {issued.token}"}
