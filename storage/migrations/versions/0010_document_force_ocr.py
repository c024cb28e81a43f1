"""A document remembers that the clerk asked for OCR: documents.force_ocr.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

A scanner's PDF may carry its own poor text layer that still passes sohoa's judgement; the
clerk who sees it uploads the file again asking for OCR. The choice is kept on the document
(not only on the queued job) so a job requeued by a worker at start (workers.reconcile)
honours it too. Existing documents did not ask: false.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("force_ocr", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("documents", "force_ocr")
