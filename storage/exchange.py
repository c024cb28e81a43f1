"""Data exchange with provincial one-stop systems: an outbox filled from the event log.

Every state change of a dossier a provincial system cares about (received, a component
digitized or reused, the result signed, a supplement asked for or brought, returned,
archived) is already an event. A consumer reads the log after its cursor (`Event.id`) and
writes one message per such event into `exchange_messages`, keyed by the event id: no new
write path, nothing lost when a receiver is down, and a re-import recognises what it has.
The message carries the dossier as it stands when the message is made: its code, its
procedure, each component with its digitized flag and file link, and the result's link;
under "sync", the same moment in the documented schema a provincial system or the national
portal imports (storage.sync_message).

The JSON feed pages through the outbox by event id; webhook deliveries (workers.webhooks)
are rows per endpoint and message, tried in event order with backoff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import defaults
from config.catalogue import get_catalogue
from config.errors import InvalidRequest, NotFound
from storage.enums import DeliveryState, EventKind
from storage.models import (
    Dossier,
    Event,
    ExchangeCursor,
    ExchangeMessage,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from storage.sync_message import sync_message
from storage.types import iso_or_none

OUTBOX_CURSOR = "outbox"

PUBLISHED = {
    EventKind.DOSSIER_RECEIVED.value: "received",
    EventKind.DOCUMENT_CERTIFIED.value: "component_digitized",
    EventKind.COMPONENT_REUSED.value: "component_digitized",
    EventKind.COMPONENT_NATIONAL_CHECKED.value: "component_checked",
    EventKind.DOCUMENT_SIGNED.value: "result_signed",
    EventKind.SUPPLEMENT_REQUESTED.value: "supplement_requested",
    EventKind.SUPPLEMENT_RECEIVED.value: "supplement_received",
    EventKind.DOSSIER_RETURNED.value: "returned",
    EventKind.RECORD_ARCHIVED.value: "archived",
    EventKind.DOSSIER_ROUTED.value: "routed",
    EventKind.DOSSIER_PROCESSED.value: "processed",
    EventKind.DOSSIER_ENDED.value: "ended",
}
"""Event kinds published, with the name the message carries."""

RESULT_NUMBER_KEY = "so_van_ban"
"""Where a number_issued event keeps the result's number (signing.pades.NUMBER_FIELD)."""


def _published(event: Event) -> str | None:
    name = PUBLISHED.get(event.kind)
    if name is None or event.dossier_id is None:
        return None
    if event.kind == EventKind.DOCUMENT_SIGNED.value and not event.data.get("final"):
        return None  # the leader's signature alone: the result is signed with the seal's
    return name


def file_link(public_url: str, sha256: str | None) -> str | None:
    """Where a receiver downloads a stored file (content-addressed, so a link never goes
    stale); the HTTP API serves it to an authorised system."""
    return f"{public_url.rstrip('/')}/api/files/{sha256}" if sha256 else None


_STATUS_AFTER = {
    EventKind.DOSSIER_RECEIVED.value: "received",
    EventKind.SUPPLEMENT_REQUESTED.value: "supplement_requested",
    EventKind.SUPPLEMENT_RECEIVED.value: "processing",
    EventKind.SIGNATURE_REQUESTED.value: "awaiting_signature",
    EventKind.DOSSIER_RETURNED.value: "returned",
    EventKind.RECORD_ARCHIVED.value: "archived",
}
"""The dossier's status after each kind of event that changes it (a final signature: signed)."""


_DIGITIZED = (EventKind.DOCUMENT_CERTIFIED.value, EventKind.COMPONENT_REUSED.value)


@dataclass
class _Replay:
    """A dossier as its events up to one of them tell it."""

    status: str = "received"
    appointment_at: str | None = None
    finished_at: str | None = None
    components: dict[int, dict[str, Any]] = field(default_factory=dict)
    result_sha256: str | None = None
    competent_unit: str | None = None
    processed_at: str | None = None
    end: dict[str, Any] = field(default_factory=dict)
    result_number: str | None = None
    national_data: list[str] = field(default_factory=list)

    def apply(self, event: Event) -> None:
        data = event.data
        self.status = _STATUS_AFTER.get(event.kind, self.status)
        if event.kind == EventKind.DOSSIER_RECEIVED.value:
            self.appointment_at = data.get("appointment_at")
            self.competent_unit = data.get("competent_unit")
            self.national_data = list(data.get("national_data") or [])
            for c in data.get("components", []):
                self.components[c["id"]] = {"type": c["type"], "required": c["required"]}
        else:
            self._apply_later(event)

    def _apply_later(self, event: Event) -> None:
        """The changes after reception."""
        data = event.data
        if event.kind == EventKind.DOSSIER_ROUTED.value:
            self.competent_unit = data.get("to")
        elif event.kind == EventKind.DOSSIER_PROCESSED.value:
            self.processed_at = data.get("processed_at")
        elif event.kind == EventKind.DOSSIER_ENDED.value:
            self.status, self.end = data.get("state", self.status), data
        elif event.kind == EventKind.COMPONENT_NATIONAL_CHECKED.value:
            entry = self.components.setdefault(data["component_id"], {})
            entry["national_source"] = data.get("source")
            if data.get("source") not in self.national_data:
                self.national_data.append(data["source"])
        elif event.kind == EventKind.NUMBER_ISSUED.value:
            self.result_number = data.get(RESULT_NUMBER_KEY)
        elif event.kind == EventKind.SUPPLEMENT_RECEIVED.value:
            self.appointment_at = data.get("appointment_at")
        elif event.kind == EventKind.DOSSIER_RETURNED.value:
            self.finished_at = data.get("finished_at")
            self.processed_at = data.get("processed_at") or self.processed_at
        elif event.kind == EventKind.DOCUMENT_SIGNED.value and data.get("final"):
            self.status, self.result_sha256 = "signed", data.get("pdf_sha256")
        elif event.kind in _DIGITIZED and data.get("component_id") is not None:
            entry = self.components.setdefault(data["component_id"], {})
            entry.update(result_code=data.get("code"), sha256=data.get("pdf_sha256"),
                         reused=event.kind == EventKind.COMPONENT_REUSED.value,
                         valid_until=data.get("valid_until"), scope=data.get("scope"),
                         result_type=data.get("document_type"))  # fmt: skip


def _national_code(document_type: str | None) -> str | None:
    """The paper type's code in the national catalogue, where the office's catalogue has it."""
    try:
        return get_catalogue().document_type(document_type).national_code if document_type else None
    except NotFound:
        return None


def dossier_snapshot(
    session: Session, dossier: Dossier, public_url: str, *, as_of: int
) -> dict[str, Any]:
    """The dossier as it stood right after event `as_of`, replayed from its events (so a
    message made late still tells that moment, not today's): codes, status, dates, each
    component with its digitized flag and file link, and the signed result's link."""
    replay = _Replay(appointment_at=iso_or_none(dossier.appointment_at))
    for event in session.scalars(
        select(Event).where(Event.dossier_id == dossier.id, Event.id <= as_of).order_by(Event.id)
    ):
        replay.apply(event)
    labels = {c.id: c for c in dossier.components}
    components = []
    for component_id, facts in sorted(replay.components.items()):
        row = labels.get(component_id)
        digitized = facts.get("result_code") is not None
        components.append(
            {
                "id": component_id,
                "label": row.label if row else None,
                "document_type": facts.get("type") or (row.expected_type if row else None),
                "required": facts.get("required", row.required if row else False),
                "digitized": digitized,
                "reused": bool(facts.get("reused")),
                "national_source": facts.get("national_source"),
                "result_code": facts.get("result_code"),
                "paper_type": _national_code(facts.get("result_type")) if digitized else None,
                "valid_until": facts.get("valid_until"),
                "scope": facts.get("scope"),
                "file": file_link(public_url, facts.get("sha256")) if digitized else None,
            }
        )
    return {
        "code": dossier.code,
        "procedure_code": dossier.procedure_code,
        "unit": dossier.unit_code,
        "competent_unit": replay.competent_unit or dossier.competent_unit_code,
        "channel": dossier.channel.value,
        "national_data": replay.national_data,
        "status": replay.status,
        "received_at": dossier.received_at.isoformat(),
        "rules": dossier.rules,
        "appointment_at": replay.appointment_at,
        "processed_at": replay.processed_at,
        "finished_at": replay.finished_at,
        "end_state": replay.end.get("state"),
        "end_reason": replay.end.get("reason"),
        "components": components,
        "result": (
            {
                "signed": True,
                "number": replay.result_number,
                "file": file_link(public_url, replay.result_sha256),
            }
            if replay.result_sha256
            else None
        ),
    }


def settled_before(dialect: str, now: datetime) -> datetime:
    """The newest event time the outbox may read. SQLite has one writer at a time, so ids
    are given in commit order and every committed event may be read; PostgreSQL takes ids
    before commit, so a younger event may still have a smaller-id neighbour about to commit
    (config.defaults.EXCHANGE_SETTLE_SECONDS)."""
    if dialect == "sqlite":
        return now
    return now - timedelta(seconds=defaults.EXCHANGE_SETTLE_SECONDS)


def fill_outbox(
    session: Session, *, public_url: str, settled_before: datetime, limit: int = 0
) -> int:
    """Turn the events after the outbox's cursor (at least as old as `settled_before`) into
    messages; returns how many messages were written. Runs in the caller's transaction:
    the cursor moves with the messages, so a crash repeats nothing and skips nothing."""
    cursor = session.get(ExchangeCursor, OUTBOX_CURSOR, with_for_update=True)
    if cursor is None:
        cursor = ExchangeCursor(name=OUTBOX_CURSOR, last_event_id=0)
        session.add(cursor)
        session.flush()
    events = session.scalars(
        select(Event)
        .where(Event.id > cursor.last_event_id, Event.at <= settled_before)
        .order_by(Event.id)
        .limit(limit or defaults.EXCHANGE_BATCH)
    ).all()
    written = 0
    for event in events:
        name = _published(event)
        if name is not None:
            assert event.dossier_id is not None
            dossier = session.get(Dossier, event.dossier_id)
            assert dossier is not None
            snapshot = dossier_snapshot(session, dossier, public_url, as_of=event.id)
            session.add(
                ExchangeMessage(
                    event_id=event.id,
                    dossier_id=event.dossier_id,
                    kind=name,
                    payload={
                        "id": event.id,
                        "type": name,
                        "event": event.kind,
                        "at": event.at.isoformat(),
                        "dossier": snapshot,
                        "sync": sync_message(event.id, name, event.at, snapshot),
                    },
                )
            )
            written += 1
        cursor.last_event_id = event.id
    session.flush()
    return written


def feed(session: Session, *, after: int = 0, limit: int = 100) -> tuple[list[dict[str, Any]], int]:
    """Messages after the cursor `after` (an event id), oldest first, and the cursor to ask
    with next (the last id given, or `after` when there is nothing new)."""
    limit = max(1, min(limit, defaults.EXCHANGE_BATCH))
    messages = session.scalars(
        select(ExchangeMessage)
        .where(ExchangeMessage.event_id > after)
        .order_by(ExchangeMessage.event_id)
        .limit(limit)
    ).all()
    return [m.payload for m in messages], (messages[-1].event_id if messages else after)


def add_endpoint(session: Session, *, name: str, url: str, secret: str) -> WebhookEndpoint:
    """Register a receiver; it gets every message from now on (not the past: pull those
    from the feed). Refused when the name is taken or the URL is not http(s)."""
    if not url.startswith(("http://", "https://")):
        raise InvalidRequest(f"webhook URL {url!r} must be http:// or https://")
    if len(secret) < 16:
        raise InvalidRequest("the webhook secret must have at least 16 characters")
    if session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.name == name)).first():
        raise InvalidRequest(f"a webhook endpoint named {name!r} exists already")
    latest = session.scalar(
        select(ExchangeMessage.event_id).order_by(ExchangeMessage.event_id.desc())
    )
    endpoint = WebhookEndpoint(name=name, url=url, secret=secret, active=True,
                               last_event_id=latest or 0)  # fmt: skip
    session.add(endpoint)
    session.flush()
    return endpoint


def set_endpoint_secret(session: Session, name: str, secret: str) -> WebhookEndpoint:
    """Give a receiver a new shared secret and make it active again (after a restore, whose
    backup held no secret, or to rotate a key); NotFound if no endpoint has this name."""
    if len(secret) < 16:
        raise InvalidRequest("the webhook secret must have at least 16 characters")
    endpoint = session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.name == name)).first()
    if endpoint is None:
        raise NotFound(f"no webhook endpoint named {name!r}")
    endpoint.secret, endpoint.active = secret, True
    return endpoint


def plan_deliveries(session: Session, *, now: datetime) -> int:
    """A pending delivery per active endpoint for each message it has not got yet."""
    made = 0
    for endpoint in session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True)).with_for_update()
    ):
        ids = session.scalars(
            select(ExchangeMessage.event_id)
            .where(ExchangeMessage.event_id > endpoint.last_event_id)
            .order_by(ExchangeMessage.event_id)
        ).all()
        for event_id in ids:
            session.add(
                WebhookDelivery(endpoint_id=endpoint.id, event_id=event_id,
                                status=DeliveryState.PENDING, attempts=0, next_attempt_at=now)
            )  # fmt: skip
        if ids:
            endpoint.last_event_id = ids[-1]
            made += len(ids)
    session.flush()
    return made


def next_delivery(session: Session, endpoint_id: int) -> WebhookDelivery | None:
    """The endpoint's oldest undelivered message: deliveries go strictly in event order,
    so a receiver sees each dossier's changes in the order they happened."""
    return session.scalars(
        select(WebhookDelivery)
        .where(
            WebhookDelivery.endpoint_id == endpoint_id,
            WebhookDelivery.status == DeliveryState.PENDING,
        )
        .order_by(WebhookDelivery.event_id)
        .limit(1)
    ).first()


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try (config.defaults.WEBHOOK_BACKOFF)."""
    steps = defaults.WEBHOOK_BACKOFF
    return timedelta(seconds=steps[min(attempts, len(steps)) - 1])


def record_attempt(
    session: Session,
    delivery_id: int,
    *,
    at: datetime,
    status: int | None,
    error: str | None,
    duration_ms: int,
) -> WebhookDelivery:
    """Log one try; a 2xx answer delivers the message, anything else schedules the next
    try after the backoff."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no webhook delivery with id {delivery_id}")
    delivery.attempts += 1
    delivery.last_status, delivery.last_error = status, error
    session.add(WebhookAttempt(delivery_id=delivery.id, at=at, status=status, error=error,
                               duration_ms=duration_ms))  # fmt: skip
    if status is not None and 200 <= status < 300:
        delivery.status = DeliveryState.DELIVERED
        delivery.delivered_at = at
    else:
        delivery.next_attempt_at = at + backoff(delivery.attempts)
    return delivery


def delivery_log(session: Session, *, limit: int = 50) -> list[dict[str, Any]]:
    """Per endpoint: how many messages are delivered and pending, and its latest tries."""
    out = []
    for endpoint in session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)):
        counts = dict(
            session.execute(
                select(WebhookDelivery.status, func.count())
                .where(WebhookDelivery.endpoint_id == endpoint.id)
                .group_by(WebhookDelivery.status)
            ).all()
        )
        tries = session.execute(
            select(WebhookAttempt, WebhookDelivery.event_id)
            .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
            .where(WebhookDelivery.endpoint_id == endpoint.id)
            .order_by(WebhookAttempt.id.desc())
            .limit(limit)
        ).all()
        out.append(
            {
                "name": endpoint.name,
                "url": endpoint.url,
                "active": endpoint.active,
                "delivered": counts.get(DeliveryState.DELIVERED, 0),
                "pending": counts.get(DeliveryState.PENDING, 0),
                "attempts": [
                    {
                        "event_id": event_id,
                        "at": attempt.at.isoformat(),
                        "status": attempt.status,
                        "error": attempt.error,
                        "ms": attempt.duration_ms,
                    }
                    for attempt, event_id in tries
                ],
            }
        )
    return out
