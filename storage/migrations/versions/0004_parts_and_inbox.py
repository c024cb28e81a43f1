"""Documents split from scanned stacks, the type's source, and the scanners' inbox.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ROOT = sa.text("parent_id IS NULL")


def upgrade() -> None:
    op.create_table(
        "inbox_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=True),
        sa.Column("status", sa.Enum("waiting", "filed", "rejected", name="inboxstatus",
                                    native_enum=False, length=32), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_inbox_items_document_id_documents")),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name=op.f("fk_inbox_items_dossier_id_dossiers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_items")),
    )  # fmt: skip
    op.create_index(op.f("ix_inbox_items_status"), "inbox_items", ["status"])
    op.create_index(op.f("ix_inbox_items_unit_code"), "inbox_items", ["unit_code"])
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("first_page", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("last_page", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("type_source", sa.String(length=16), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_documents_dossier_id"), type_="unique")
        batch_op.create_index(batch_op.f("ix_documents_parent_id"), ["parent_id"])
        batch_op.create_index("uq_documents_root_original", ["dossier_id", "original_sha256"],
                              unique=True, sqlite_where=ROOT, postgresql_where=ROOT)
        batch_op.create_foreign_key(batch_op.f("fk_documents_parent_id_documents"),
                                    "documents", ["parent_id"], ["id"])  # fmt: skip
    op.execute("UPDATE documents SET type_source = 'model' WHERE document_type IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_documents_parent_id_documents"), type_="foreignkey")
        batch_op.drop_index("uq_documents_root_original", sqlite_where=ROOT, postgresql_where=ROOT)
        batch_op.drop_index(batch_op.f("ix_documents_parent_id"))
        batch_op.create_unique_constraint(batch_op.f("uq_documents_dossier_id"),
                                          ["dossier_id", "original_sha256"])  # fmt: skip
        for column in ("type_source", "last_page", "first_page", "parent_id"):
            batch_op.drop_column(column)
    op.drop_index(op.f("ix_inbox_items_unit_code"), table_name="inbox_items")
    op.drop_index(op.f("ix_inbox_items_status"), table_name="inbox_items")
    op.drop_table("inbox_items")
