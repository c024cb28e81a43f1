"""The office's figures: waits for supplements, certified digitization results (reused by
later dossiers through components.result_id), and the data-exchange outbox with its
webhook endpoints, deliveries and delivery log.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exchange_cursors',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_exchange_cursors'))
    )
    op.create_table('webhook_endpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_endpoints')),
    sa.UniqueConstraint('name', name=op.f('uq_webhook_endpoints_name'))
    )
    op.create_table('dossier_pauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('paused_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paused_by', sa.String(length=100), nullable=False),
    sa.Column('resumed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resumed_by', sa.String(length=100), nullable=True),
    sa.Column('working_days', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_pauses_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_pauses'))
    )
    with op.batch_alter_table('dossier_pauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_pauses_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('digitization_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sa.String(length=64), nullable=False),
    sa.Column('document_type', sa.String(length=64), nullable=False),
    sa.Column('owner_id_number', sa.String(length=12), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('data', JSON, nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'signed', 'failed', name='certificationstate', native_enum=False, length=32), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('signer_profile', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error_code', sa.String(length=64), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_digitization_results_document_id_documents')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_digitization_results_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digitization_results')),
    sa.UniqueConstraint('code', name=op.f('uq_digitization_results_code')),
    sa.UniqueConstraint('document_id', name=op.f('uq_digitization_results_document_id'))
    )
    with op.batch_alter_table('digitization_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_digitization_results_document_type'), ['document_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_digitization_results_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_digitization_results_owner_id_number'), ['owner_id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_digitization_results_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_digitization_results_unit_code'), ['unit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_digitization_results_valid_until'), ['valid_until'], unique=False)

    op.create_table('exchange_messages',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('payload', JSON, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_exchange_messages_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_exchange_messages_event_id_events')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_exchange_messages'))
    )
    with op.batch_alter_table('exchange_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_messages_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('webhook_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('endpoint_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'delivered', name='deliverystate', native_enum=False, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['endpoint_id'], ['webhook_endpoints.id'], name=op.f('fk_webhook_deliveries_endpoint_id_webhook_endpoints')),
    sa.ForeignKeyConstraint(['event_id'], ['exchange_messages.event_id'], name=op.f('fk_webhook_deliveries_event_id_exchange_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
    sa.UniqueConstraint('endpoint_id', 'event_id', name=op.f('uq_webhook_deliveries_endpoint_id'))
    )
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_deliveries_due', ['endpoint_id', 'status', 'event_id'], unique=False)

    op.create_table('webhook_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['webhook_deliveries.id'], name=op.f('fk_webhook_attempts_delivery_id_webhook_deliveries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_attempts'))
    )
    with op.batch_alter_table('webhook_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_attempts_delivery_id'), ['delivery_id'], unique=False)

    with op.batch_alter_table('components', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_components_result_id'), ['result_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_components_result_id_digitization_results'), 'digitization_results', ['result_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('components', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_components_result_id_digitization_results'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_components_result_id'))
        batch_op.drop_column('result_id')

    with op.batch_alter_table('webhook_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_attempts_delivery_id'))

    op.drop_table('webhook_attempts')
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_deliveries_due')

    op.drop_table('webhook_deliveries')
    with op.batch_alter_table('exchange_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_messages_dossier_id'))

    op.drop_table('exchange_messages')
    with op.batch_alter_table('digitization_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digitization_results_valid_until'))
        batch_op.drop_index(batch_op.f('ix_digitization_results_unit_code'))
        batch_op.drop_index(batch_op.f('ix_digitization_results_status'))
        batch_op.drop_index(batch_op.f('ix_digitization_results_owner_id_number'))
        batch_op.drop_index(batch_op.f('ix_digitization_results_dossier_id'))
        batch_op.drop_index(batch_op.f('ix_digitization_results_document_type'))

    op.drop_table('digitization_results')
    with op.batch_alter_table('dossier_pauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_pauses_dossier_id'))

    op.drop_table('dossier_pauses')
    op.drop_table('webhook_endpoints')
    op.drop_table('exchange_cursors')
