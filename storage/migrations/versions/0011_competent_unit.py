"""A dossier's competent unit beside its receiving unit (Decree 118/2025/NĐ-CP).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

Every existing dossier was resolved where it was received, so its competent unit is its
unit_code. The column is added NOT NULL with an empty default for the backfill; PostgreSQL
then drops the default, SQLite keeps it (removing it would rebuild the table, and the
models never rely on it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "dossiers",
        sa.Column(
            "competent_unit_code", sa.String(length=64), nullable=False, server_default=""
        ),
    )
    op.execute("UPDATE dossiers SET competent_unit_code = unit_code")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("dossiers", "competent_unit_code", server_default=None)
    op.create_index(
        op.f("ix_dossiers_competent_unit_code"), "dossiers", ["competent_unit_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_dossiers_competent_unit_code"), table_name="dossiers")
    op.drop_column("dossiers", "competent_unit_code")
