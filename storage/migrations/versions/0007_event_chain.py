"""The event log becomes a hash chain: each entry stores the previous entry's digest and its own.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23

Existing entries are chained in the order they were written (by id). The triggers that
refuse UPDATE on events are lifted for the backfill only (disabled on PostgreSQL, dropped
and recreated on SQLite). Plain ADD/DROP COLUMN keeps SQLite from rebuilding the table,
which would lose its triggers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from storage.audit import CHAIN_START, canonical
from storage.types import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

APPEND_ONLY_MESSAGE = "events are append-only"
EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer()),
    sa.column("at", UtcDateTime()),
    sa.column("kind", sa.String()),
    sa.column("dossier_id", sa.Integer()),
    sa.column("document_id", sa.Integer()),
    sa.column("actor", sa.String()),
    sa.column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
    sa.column("prev_hash", sa.String()),
    sa.column("entry_hash", sa.String()),
)


def upgrade() -> None:
    op.add_column("events", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("events", sa.Column("entry_hash", sa.String(length=64), nullable=True))
    _without_update_trigger(_backfill)


def _backfill() -> None:
    bind = op.get_bind()
    prev = CHAIN_START
    rows = bind.execute(sa.select(EVENTS).order_by(EVENTS.c.id)).mappings().all()
    for row in rows:
        body = canonical(kind=row["kind"], at=row["at"], dossier_id=row["dossier_id"],
                         document_id=row["document_id"], actor=row["actor"],
                         payload=row["data"], prev=prev)  # fmt: skip
        digest = hashlib.sha256(body).hexdigest()
        bind.execute(EVENTS.update().where(EVENTS.c.id == row["id"])
                     .values(prev_hash=prev, entry_hash=digest))  # fmt: skip
        prev = digest


def _without_update_trigger(step: Callable[[], None]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE events DISABLE TRIGGER events_no_update")
        step()
        op.execute("ALTER TABLE events ENABLE TRIGGER events_no_update")
        return
    op.execute("DROP TRIGGER events_no_update")
    step()
    op.execute(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
    )


def downgrade() -> None:
    op.drop_column("events", "entry_hash")
    op.drop_column("events", "prev_hash")
