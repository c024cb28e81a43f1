"""Issue numbers per register: the văn thư's, or a book of its own (civil-status results
take their number from the civil-status book, Decree 30/2020/NĐ-CP and the civil-status
rules), so the serials' key gains the register.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

Existing serials were the văn thư's register. SQLite rebuilds the small table (nothing
refers to it); PostgreSQL swaps the primary key in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("issue_serials", recreate="auto") as batch:
        batch.add_column(
            sa.Column("register", sa.String(length=64), nullable=False, server_default="van-thu")
        )
        batch.drop_constraint("pk_issue_serials", type_="primary")
        batch.create_primary_key("pk_issue_serials", ["unit_code", "year", "register"])
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("issue_serials", "register", server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM issue_serials WHERE register <> 'van-thu'")
    with op.batch_alter_table("issue_serials", recreate="auto") as batch:
        batch.drop_constraint("pk_issue_serials", type_="primary")
        batch.create_primary_key("pk_issue_serials", ["unit_code", "year"])
        batch.drop_column("register")
