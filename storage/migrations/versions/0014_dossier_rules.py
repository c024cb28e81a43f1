"""The one-stop rules a dossier was received under (Decree 61/2018/NĐ-CP until 30 June
2025, Decree 118/2025/NĐ-CP from 1 July 2025), kept on the dossier.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

Existing dossiers get the rules in force on their reception day, office time (1 July 2025
00:00 in Asia/Ho_Chi_Minh is 30 June 2025 17:00 UTC). The column is added NOT NULL with a
default for the backfill; PostgreSQL then drops the default, SQLite keeps it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DECREE_118_FROM = datetime(2025, 6, 30, 17, 0, tzinfo=UTC)


def upgrade() -> None:
    op.add_column(
        "dossiers",
        sa.Column("rules", sa.String(length=32), nullable=False, server_default="ND118-2025"),
    )
    dossiers = sa.table("dossiers", sa.column("received_at", UtcDateTime()), sa.column("rules"))
    op.execute(
        dossiers.update()
        .where(dossiers.c.received_at < DECREE_118_FROM)
        .values(rules="ND61-2018")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("dossiers", "rules", server_default=None)


def downgrade() -> None:
    op.drop_column("dossiers", "rules")
