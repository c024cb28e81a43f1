"""The event log's hash chain: each entry's digest covers its content and its predecessor's.

An attacker with write access to the database can bypass the triggers that refuse UPDATE
and DELETE on `events`; the chain makes what they did visible. Each entry stores the
previous entry's digest (`prev_hash`) and its own (`entry_hash`), a SHA-256 over a
canonical serialization of (kind, at, dossier, document, actor, payload, prev). Deleting,
editing or reordering an entry breaks the digest of that entry or the link of the next;
`verify_chain` walks the log in order and names the first entry that does not hold.

A chain alone cannot reveal entries cut from its end, nor a whole tail rewritten with fresh
digests: the head digest reported by `verify_chain` is what to keep elsewhere (backups
record it in their manifest) to anchor the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Event

CHAIN_START = "0" * 64
"""What the first entry links to: there is no entry before it."""


def canonical(
    *,
    kind: str,
    at: datetime,
    dossier_id: int | None,
    document_id: int | None,
    actor: str,
    payload: dict[str, Any],
    prev: str,
) -> bytes:
    """One entry as bytes that do not depend on the database that stored it: sorted keys,
    no spaces, UTF-8 kept as is, the time in UTC to the microsecond."""
    entry = {
        "kind": kind,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "dossier": dossier_id,
        "document": document_id,
        "actor": actor,
        "payload": payload,
        "prev": prev,
    }
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_digest(event: Event, prev: str) -> str:
    """The SHA-256 (hex) of `event`'s content linked to the digest before it."""
    body = canonical(
        kind=event.kind,
        at=event.at,
        dossier_id=event.dossier_id,
        document_id=event.document_id,
        actor=event.actor,
        payload=event.data,
        prev=prev,
    )
    return hashlib.sha256(body).hexdigest()


def normalized_payload(data: dict[str, Any]) -> dict[str, Any]:
    """The payload as the database will give it back (tuples become lists, keys strings),
    so the digest computed before storing is the one recomputed after reading."""
    result: dict[str, Any] = json.loads(json.dumps(data, ensure_ascii=False))
    return result


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found."""

    entries: int
    """Entries checked (all of them when the chain holds, else up to the first broken one)."""
    head: str
    """The digest of the last entry checked: record it elsewhere to anchor the chain."""
    broken_id: int | None = None
    """The first entry that does not hold; None when the whole chain holds."""
    reason: str | None = None
    """Why it does not: its content was edited, or the link before it is broken (an entry
    deleted, inserted or moved), or it carries no digest at all."""

    @property
    def ok(self) -> bool:
        """Whether every entry holds."""
        return self.broken_id is None

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready fields."""
        return {**asdict(self), "ok": self.ok}


def verify_chain(session: Session, *, batch: int = 1000) -> ChainReport:
    """Recompute every entry's digest in log order and check each link; stop at the first
    entry that does not hold."""
    prev = CHAIN_START
    count = 0
    rows = session.scalars(select(Event).order_by(Event.id).execution_options(yield_per=batch))
    for event in rows:
        reason = _fault(event, prev)
        if reason is not None:
            return ChainReport(entries=count, head=prev, broken_id=event.id, reason=reason)
        prev = event.entry_hash or ""
        count += 1
        session.expunge(event)
    return ChainReport(entries=count, head=prev)


def _fault(event: Event, prev: str) -> str | None:
    """Why `event` does not hold after an entry whose digest is `prev`; None if it does."""
    if event.entry_hash is None:
        return "no digest: written around sohoa, or before the chain existed"
    if event.prev_hash != prev:
        return (
            "link broken: the entry before it is not the one it was chained to "
            "(an entry deleted, inserted or moved)"
        )
    if entry_digest(event, prev) != event.entry_hash:
        return "content edited: its digest does not match what it says"
    return None
