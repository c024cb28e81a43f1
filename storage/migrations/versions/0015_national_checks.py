"""A component satisfied by a national-database lookup instead of a paper: which database,
the record's reference, who looked it up and when.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

Four nullable columns on components: no backfill (no component was checked before).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS: dict[str, Any] = {
    "national_source": sa.String(length=32),
    "national_reference": sa.String(length=100),
    "national_checked_by": sa.String(length=100),
    "national_checked_at": UtcDateTime(),
}


def upgrade() -> None:
    for name, kind in COLUMNS.items():
        op.add_column("components", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.drop_column("components", name)
