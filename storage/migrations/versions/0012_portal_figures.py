"""What the national portal's figures need on a dossier: its channel, fees and payment,
national data used, the citizen's rating, when processing finished, its end state, and the
appointment on its receipt.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

Existing dossiers were received directly, owed no recorded fee and used no national
database. Their receipt's appointment is read back from their `dossier.received` event
(the appointment may have moved since). NOT NULL columns are added with a default for the
backfill; PostgreSQL then drops the defaults, SQLite keeps them (no table rebuild).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from storage.types import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
DEFAULTS: dict[str, tuple[Any, str]] = {
    "channel": (sa.String(length=32), "direct"),
    "fee_amount": (sa.Integer(), "0"),
    "payment_status": (sa.String(length=32), "none"),
    "national_data": (JSON, "[]"),
}
NULLABLE: dict[str, Any] = {
    "first_appointment_at": UtcDateTime(),
    "processed_at": UtcDateTime(),
    "ended_at": UtcDateTime(),
    "end_reason": sa.Text(),
    "rating": sa.String(length=32),
    "rated_at": UtcDateTime(),
}


def upgrade() -> None:
    for name, (kind, default) in DEFAULTS.items():
        op.add_column(
            "dossiers", sa.Column(name, kind, nullable=False, server_default=sa.text(f"'{default}'"))
        )
    for name, kind in NULLABLE.items():
        op.add_column("dossiers", sa.Column(name, kind, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for name in DEFAULTS:
            op.alter_column("dossiers", name, server_default=None)
    _backfill_first_appointments()


def _backfill_first_appointments() -> None:
    bind = op.get_bind()
    events = sa.table(
        "events", sa.column("dossier_id", sa.Integer()), sa.column("kind", sa.String()),
        sa.column("data", JSON),
    )  # fmt: skip
    dossiers = sa.table(
        "dossiers", sa.column("id", sa.Integer()), sa.column("first_appointment_at", UtcDateTime())
    )
    rows = bind.execute(
        sa.select(events.c.dossier_id, events.c.data).where(events.c.kind == "dossier.received")
    )
    for dossier_id, data in rows:
        when = (data or {}).get("appointment_at")
        if dossier_id is None or not when:
            continue
        bind.execute(
            dossiers.update()
            .where(dossiers.c.id == dossier_id)
            .values(first_appointment_at=datetime.fromisoformat(when))
        )


def downgrade() -> None:
    for name in [*NULLABLE, *DEFAULTS]:
        op.drop_column("dossiers", name)
