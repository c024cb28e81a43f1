"""Signing: requested signatures on result documents, and the issued-number register.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('issue_serials',
    sa.Column('unit_code', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('unit_code', 'year', name=op.f('pk_issue_serials'))
    )
    op.create_table('signature_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('profile', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('status', sa.Enum('queued', 'awaiting_token', 'signed', 'failed', 'cancelled', name='signaturestate', native_enum=False, length=32), nullable=False),
    sa.Column('input_sha256', sa.String(length=64), nullable=True),
    sa.Column('output_sha256', sa.String(length=64), nullable=True),
    sa.Column('prepared_sha256', sa.String(length=64), nullable=True),
    sa.Column('prepared', JSON, nullable=False),
    sa.Column('fill', JSON, nullable=False),
    sa.Column('error_code', sa.String(length=64), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=100), nullable=True),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_signature_requests_document_id_documents')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_signature_requests_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature_requests')),
    sa.UniqueConstraint('document_id', 'position', name=op.f('uq_signature_requests_document_id'))
    )
    with op.batch_alter_table('signature_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_requests_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signature_requests_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signature_requests_profile'), ['profile'], unique=False)
        batch_op.create_index(batch_op.f('ix_signature_requests_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signature_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signature_requests_status'))
        batch_op.drop_index(batch_op.f('ix_signature_requests_profile'))
        batch_op.drop_index(batch_op.f('ix_signature_requests_dossier_id'))
        batch_op.drop_index(batch_op.f('ix_signature_requests_document_id'))

    op.drop_table('signature_requests')
    op.drop_table('issue_serials')
