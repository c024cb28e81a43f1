"""Archive: packages and fixity alerts, the search index and its full-text structures.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

The full-text structures are the database's own and kept in step by it, in the writer's
transaction: on SQLite an FTS5 table over search_entries (external content) fed by
triggers, on PostgreSQL a generated tsvector column with a GIN index. Both index text that
sohoa already folded (config.text.fold: no diacritics, đ as d, casefolded), so the two
engines match the same words; PostgreSQL needs no unaccent extension for it. They are not
SQLAlchemy models, so autogenerate leaves them out (storage.search.schema.include_object).

Archived packages are immutable in the database too: triggers refuse to change what a
package holds or to delete it, as the event log's refuse edits.
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

IMMUTABLE_MESSAGE = "archive packages are immutable"
IMMUTABLE_COLUMNS = (
    "dossier_id", "version", "previous_id", "record_code", "title", "path", "retention",
    "retain_until", "access_regime", "start_date", "end_date", "document_count",
    "page_count", "file_count", "total_bytes", "files", "record", "correction_reason",
    "created_by", "created_at",
)
"""What a package holds and says about itself; status, fixity and disposal may change."""


def upgrade() -> None:
    _archive_tables()
    _search_tables()
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_full_text()
        _postgresql_immutable_packages()
    else:
        _sqlite_full_text()
        _sqlite_immutable_packages()


def _archive_tables() -> None:
    op.create_table('archive_packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('record_code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('active', 'superseded', 'disposed', name='packagestatus', native_enum=False, length=32), nullable=False),
    sa.Column('retention', sa.String(length=16), nullable=False),
    sa.Column('retain_until', sa.Date(), nullable=True),
    sa.Column('access_regime', sa.String(length=32), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('document_count', sa.Integer(), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('file_count', sa.Integer(), nullable=False),
    sa.Column('total_bytes', sa.BigInteger(), nullable=False),
    sa.Column('files', JSON, nullable=False),
    sa.Column('record', JSON, nullable=False),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_fixity_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_fixity_ok', sa.Boolean(), nullable=True),
    sa.Column('disposed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('disposal_reference', sa.String(length=200), nullable=True),
    sa.Column('disposal_decided_by', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_archive_packages_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['previous_id'], ['archive_packages.id'], name=op.f('fk_archive_packages_previous_id_archive_packages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_packages')),
    sa.UniqueConstraint('dossier_id', 'version', name=op.f('uq_archive_packages_dossier_id'))
    )
    op.create_index(op.f('ix_archive_packages_dossier_id'), 'archive_packages', ['dossier_id'], unique=False)
    op.create_index(op.f('ix_archive_packages_last_fixity_at'), 'archive_packages', ['last_fixity_at'], unique=False)
    op.create_index(op.f('ix_archive_packages_record_code'), 'archive_packages', ['record_code'], unique=False)
    op.create_index(op.f('ix_archive_packages_retain_until'), 'archive_packages', ['retain_until'], unique=False)
    op.create_index(op.f('ix_archive_packages_status'), 'archive_packages', ['status'], unique=False)
    op.create_table('fixity_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('copy', sa.Enum('primary', 'replica', name='archivecopy', native_enum=False, length=32), nullable=False),
    sa.Column('kind', sa.Enum('changed', 'missing', 'unexpected', name='alertkind', native_enum=False, length=32), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('expected_sha256', sa.String(length=64), nullable=True),
    sa.Column('found_sha256', sa.String(length=64), nullable=True),
    sa.Column('repaired', sa.Boolean(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['package_id'], ['archive_packages.id'], name=op.f('fk_fixity_alerts_package_id_archive_packages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fixity_alerts'))
    )
    op.create_index(op.f('ix_fixity_alerts_acknowledged_at'), 'fixity_alerts', ['acknowledged_at'], unique=False)
    op.create_index(op.f('ix_fixity_alerts_package_id'), 'fixity_alerts', ['package_id'], unique=False)


def _search_tables() -> None:
    op.create_table('search_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('dossier_code', sa.String(length=40), nullable=False),
    sa.Column('procedure_code', sa.String(length=32), nullable=False),
    sa.Column('unit_code', sa.String(length=64), nullable=False),
    sa.Column('document_type', sa.String(length=64), nullable=True),
    sa.Column('doc_date', sa.Date(), nullable=True),
    sa.Column('record_code', sa.String(length=64), nullable=True),
    sa.Column('state', sa.Enum('digitized', 'archived', 'disposed', name='indexstate', native_enum=False, length=32), nullable=False),
    sa.Column('display_title', sa.String(length=300), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('meta', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_search_entries_document_id_documents')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_search_entries_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries')),
    sa.UniqueConstraint('document_id', name=op.f('uq_search_entries_document_id'))
    )
    op.create_index(op.f('ix_search_entries_doc_date'), 'search_entries', ['doc_date'], unique=False)
    op.create_index(op.f('ix_search_entries_document_type'), 'search_entries', ['document_type'], unique=False)
    op.create_index(op.f('ix_search_entries_dossier_code'), 'search_entries', ['dossier_code'], unique=False)
    op.create_index(op.f('ix_search_entries_dossier_id'), 'search_entries', ['dossier_id'], unique=False)
    op.create_index(op.f('ix_search_entries_procedure_code'), 'search_entries', ['procedure_code'], unique=False)
    op.create_index(op.f('ix_search_entries_unit_code'), 'search_entries', ['unit_code'], unique=False)
    op.create_table('search_id_numbers',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['search_entries.id'], name=op.f('fk_search_id_numbers_entry_id_search_entries')),
    sa.PrimaryKeyConstraint('entry_id', 'id_number', name=op.f('pk_search_id_numbers'))
    )
    op.create_index(op.f('ix_search_id_numbers_id_number'), 'search_id_numbers', ['id_number'], unique=False)


def _sqlite_full_text() -> None:
    """FTS5 over search_entries' folded columns (external content: the text is stored once),
    fed by triggers. remove_diacritics 0: the text is folded already, đ included, which
    FTS5's own folding would miss."""
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, meta, body, "
        "content='search_entries', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    new = "new.id, new.title, new.meta, new.body"
    old = "'delete', old.id, old.title, old.meta, old.body"
    op.execute(
        "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
        f"INSERT INTO search_fts(rowid, title, meta, body) VALUES ({new}); END"
    )
    op.execute(
        "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, title, meta, body) VALUES ({old}); END"
    )
    op.execute(
        "CREATE TRIGGER search_entries_au AFTER UPDATE OF title, meta, body ON search_entries "
        f"BEGIN INSERT INTO search_fts(search_fts, rowid, title, meta, body) VALUES ({old}); "
        f"INSERT INTO search_fts(rowid, title, meta, body) VALUES ({new}); END"
    )


def _postgresql_full_text() -> None:
    """A stored generated tsvector (to_tsvector with a named configuration is IMMUTABLE, so
    PostgreSQL keeps it current on every write), title weighted A, metadata B, text D."""
    op.execute(
        "ALTER TABLE search_entries ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple'::regconfig, title), 'A') || "
        "setweight(to_tsvector('simple'::regconfig, meta), 'B') || "
        "setweight(to_tsvector('simple'::regconfig, body), 'D')) STORED"
    )
    op.execute("CREATE INDEX ix_search_entries_tsv ON search_entries USING gin (tsv)")


def _sqlite_immutable_packages() -> None:
    columns = ", ".join(IMMUTABLE_COLUMNS)
    op.execute(
        f"CREATE TRIGGER archive_packages_no_edit BEFORE UPDATE OF {columns} "
        f"ON archive_packages BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END"
    )
    op.execute(
        "CREATE TRIGGER archive_packages_no_delete BEFORE DELETE ON archive_packages "
        f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END"
    )


def _postgresql_immutable_packages() -> None:
    old = ", ".join(f"OLD.{c}" for c in IMMUTABLE_COLUMNS)
    new = ", ".join(f"NEW.{c}" for c in IMMUTABLE_COLUMNS)
    op.execute(
        "CREATE FUNCTION archive_packages_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF TG_OP = 'DELETE' OR ROW({old}) IS DISTINCT FROM ROW({new}) THEN "
        f"RAISE EXCEPTION '{IMMUTABLE_MESSAGE}'; END IF; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER archive_packages_immutable BEFORE UPDATE OR DELETE ON archive_packages "
        "FOR EACH ROW EXECUTE FUNCTION archive_packages_immutable()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION archive_packages_immutable() CASCADE")
    else:
        for name in ("archive_packages_no_edit", "archive_packages_no_delete", "search_entries_ai",
                     "search_entries_ad", "search_entries_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_index(op.f('ix_search_id_numbers_id_number'), table_name='search_id_numbers')
    op.drop_table('search_id_numbers')
    for column in ('unit_code', 'procedure_code', 'dossier_id', 'dossier_code', 'document_type', 'doc_date'):
        op.drop_index(op.f(f'ix_search_entries_{column}'), table_name='search_entries')
    op.drop_table('search_entries')
    op.drop_index(op.f('ix_fixity_alerts_package_id'), table_name='fixity_alerts')
    op.drop_index(op.f('ix_fixity_alerts_acknowledged_at'), table_name='fixity_alerts')
    op.drop_table('fixity_alerts')
    for column in ('status', 'retain_until', 'record_code', 'last_fixity_at', 'dossier_id'):
        op.drop_index(op.f(f'ix_archive_packages_{column}'), table_name='archive_packages')
    op.drop_table('archive_packages')
