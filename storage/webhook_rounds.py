"""A webhook delivery round's database side, each step in its own transaction: the outbox
filled and deliveries planned, the next due delivery of an endpoint, an attempt logged, and
when the earliest waiting retry is due. workers.webhooks does the POSTs between them (a
receiver's slow answer holds no transaction open)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from config.settings import Settings
from storage.db import open_database
from storage.enums import DeliveryState
from storage.exchange import (
    next_delivery,
    plan_deliveries,
    record_attempt,
)
from storage.models import ExchangeMessage, WebhookDelivery, WebhookEndpoint
from storage.outbox import catch_up_outbox


@dataclass(frozen=True)
class Receiver:
    """An active endpoint, as a round needs it."""

    id: int
    url: str
    secret: str


def open_round(settings: Settings, moment: datetime) -> list[Receiver]:
    """Fill the outbox from the event log, plan a delivery per endpoint and message, and
    return the active endpoints."""
    catch_up_outbox(settings, moment)
    with open_database(settings).session() as session:
        plan_deliveries(session, now=moment)
        active = select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))
        return [Receiver(e.id, e.url, e.secret) for e in session.scalars(active)]


def due_delivery(
    settings: Settings, endpoint_id: int, moment: datetime
) -> tuple[int, dict[str, Any]] | None:
    """The endpoint's next delivery in event order, (its id, the message's payload), if it
    is due at `moment`; None if none is, or the next one waits its backoff."""
    with open_database(settings).session() as session:
        delivery = next_delivery(session, endpoint_id)
        if delivery is None or delivery.next_attempt_at > moment:
            return None
        message = session.get(ExchangeMessage, delivery.event_id)
        assert message is not None
        return delivery.id, message.payload


def log_attempt(
    settings: Settings,
    delivery_id: int,
    *,
    at: datetime,
    status: int | None,
    error: str | None,
    duration_ms: int,
) -> None:
    """Record one try of a delivery (storage.exchange.record_attempt: its backoff)."""
    with open_database(settings).session() as session:
        record_attempt(
            session, delivery_id, at=at, status=status, error=error, duration_ms=duration_ms
        )


def next_due(settings: Settings) -> datetime | None:
    """When the earliest waiting delivery is due; None when nothing waits."""
    with open_database(settings).session(readonly=True) as session:
        return session.scalar(
            select(WebhookDelivery.next_attempt_at)
            .where(WebhookDelivery.status == DeliveryState.PENDING)
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(1)
        )
