"""The search index's full-text structures, which live outside the SQLAlchemy models.

Migration 0003 creates them: on SQLite an FTS5 table (and the shadow tables FTS5 makes for
itself) fed by triggers, on PostgreSQL a generated tsvector column with a GIN index. They
are the database's own machinery, not tables sohoa reads or writes through the ORM, so the
models do not describe them; comparing the models with a migrated database (Alembic's
autogenerate, tests/storage/test_database.py) must leave them out, and only them.
"""

from __future__ import annotations

from typing import Any

FTS_TABLE = "search_fts"
"""SQLite: the FTS5 table over search_entries (title, meta, body)."""
FTS_WEIGHTS = (4.0, 2.0, 1.0)
"""SQLite: bm25 weights of the title, metadata and text columns."""
TSV_COLUMN = "tsv"
"""PostgreSQL: the generated tsvector column of search_entries (title A, meta B, body D)."""
TSV_INDEX = "ix_search_entries_tsv"
"""PostgreSQL: its GIN index."""
ENTRIES_TABLE = "search_entries"


def is_full_text_object(name: str | None, type_: str, table: str | None = None) -> bool:
    """Whether a database object is part of the full-text machinery above."""
    if name is None:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")
    if type_ == "column":
        return table == ENTRIES_TABLE and name == TSV_COLUMN
    if type_ == "index":
        return name == TSV_INDEX
    return False


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's include_object hook: every object but the full-text machinery found in the
    database (and absent from the models)."""
    if not reflected or compare_to is not None:
        return True
    table = getattr(getattr(obj, "table", None), "name", None)
    return not is_full_text_object(name, type_, table)
