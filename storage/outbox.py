"""Bringing the exchange outbox up to date with the event log, in a transaction of its own:
what the provincial system's feed (over HTTP and on the command line) and each webhook round
do first, so a system that only pulls never waits for the webhooks worker."""

from __future__ import annotations

from datetime import datetime

from config.settings import Settings
from storage.db import open_database
from storage.exchange import fill_outbox, settled_before
from storage.types import utcnow


def catch_up_outbox(settings: Settings, moment: datetime | None = None) -> None:
    """Turn the settled events (as of `moment`, default now) into outbox messages."""
    db = open_database(settings)
    with db.session() as session:
        fill_outbox(
            session,
            public_url=settings.public_url,
            settled_before=settled_before(db.dialect, moment or utcnow()),
        )
