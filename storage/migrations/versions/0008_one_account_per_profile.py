"""A signer profile belongs to one account: a unique index on users.signer_profile.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23

The rule was checked in code only (storage.accounts.add_user); two admins adding accounts at
the same moment could both pass the check. Accounts without a profile (NULL) are not
constrained. A database where two accounts already share a profile is refused by name: which
account keeps the key is a decision for an administrator, not for a migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    shared = op.get_bind().execute(
        sa.text(
            "SELECT signer_profile FROM users WHERE signer_profile IS NOT NULL"
            " GROUP BY signer_profile HAVING COUNT(*) > 1"
        )
    ).scalars().all()
    if shared:
        raise RuntimeError(
            f"signer profiles held by more than one account: {', '.join(sorted(shared))};"
            " leave each profile on one account only, then migrate again"
        )
    op.create_index(op.f("ix_users_signer_profile"), "users", ["signer_profile"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_users_signer_profile"), table_name="users")
