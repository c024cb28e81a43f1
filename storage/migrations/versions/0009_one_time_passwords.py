"""A password someone else set is one-time: users.must_change_password.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

An admin who resets an account's password knows it; until the holder changes it the
account may do nothing but change it (api.http.policy). Existing accounts keep the
passwords they have.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
