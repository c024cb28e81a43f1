"""The database as JSON lines, one file per table, read in one consistent snapshot.

A logical copy through SQLAlchemy rather than the engines' own tools (SQLite's backup API,
pg_dump): one format for both engines, readable without either, restorable into either,
and needing no PostgreSQL client programs of matching version on the machine. The
snapshot is one read transaction: SQLite's WAL keeps the first read's view for the whole
transaction, PostgreSQL gets REPEATABLE READ, so tables taken one after the other agree.

The database's own derived structures (SQLite's FTS5 table, PostgreSQL's tsvector
column) are left out: restoring the rows rebuilds them through the same triggers and
generated column that built them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, Table, func, insert, select, text
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Base
from storage.types import UtcDateTime

TABLES_DIR = "database"

LEFT_OUT = frozenset({"auth_tokens"})
"""Tables whose rows a backup never holds: sessions and API tokens (their SHA-256 and the
sessions' CSRF values) are live credentials' traces, not records; after a restore everyone
signs in again and API clients get new tokens."""

WITHHELD: dict[str, dict[str, Any]] = {"webhook_endpoints": {"secret": "", "active": False}}
"""Columns a backup holds in place of the secret they keep: a webhook endpoint's shared
HMAC key is not written (a backup travels to other disks and hands), so a restored endpoint
comes back inactive until `sohoa exchange set-secret` gives it a new key. Argon2id password
hashes stay: they are made to survive a copy of the database, and without them no account
could sign in after a restore."""


def tables() -> list[Table]:
    """Every table of the models, parents before the tables that refer to them."""
    return list(Base.metadata.sorted_tables)


@contextmanager
def snapshot(db: Database) -> Iterator[Connection]:
    """A read-only connection that sees one instant of the whole database."""
    if db.dialect == "postgresql":
        repeatable = db.engine.execution_options(isolation_level="REPEATABLE READ")
        with repeatable.connect() as conn, conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            yield conn
        return
    with db.engine.connect().execution_options(sohoa_readonly=True) as conn, conn.begin():
        yield conn


def schema_revision(conn: Connection) -> str:
    """The Alembic revision the database is at."""
    return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decoders(table: Table) -> dict[str, type[datetime] | type[date]]:
    found: dict[str, type[datetime] | type[date]] = {}
    for column in table.columns:
        if isinstance(column.type, UtcDateTime):
            found[column.name] = datetime
        elif isinstance(column.type, Date):
            found[column.name] = date
    return found


def dump_tables(conn: Connection, out: Path, *, batch: int = 1000) -> dict[str, int]:
    """Write every table to out/<table>.jsonl in primary-key order, secrets left out
    (LEFT_OUT, WITHHELD); rows per table."""
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in tables():
        rows = conn.execution_options(yield_per=batch).execute(
            select(table).order_by(*table.primary_key.columns)
        )
        count = 0
        withheld = WITHHELD.get(table.name, {})
        with (out / f"{table.name}.jsonl").open("w", encoding="utf-8") as handle:
            for row in rows.mappings():
                if table.name in LEFT_OUT:
                    break
                record = {k: _encode(v) for k, v in row.items()} | withheld
                handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
        counts[table.name] = count
    return counts


def _rows(path: Path, table: Table) -> Iterator[dict[str, Any]]:
    decoders = _decoders(table)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record: dict[str, Any] = json.loads(line)
            for name, kind in decoders.items():
                if record.get(name) is not None:
                    record[name] = kind.fromisoformat(record[name])
            yield record


def load_tables(session: Session, source: Path, *, batch: int = 500) -> dict[str, int]:
    """Insert every table's rows from source/<table>.jsonl, ids kept, parents first; then
    move PostgreSQL's id sequences past the ids restored. Rows per table."""
    conn = session.connection()
    counts: dict[str, int] = {}
    for table in tables():
        count = 0
        chunk: list[dict[str, Any]] = []
        for record in _rows(source / f"{table.name}.jsonl", table):
            chunk.append(record)
            if len(chunk) >= batch:
                count += _insert(conn, table, chunk)
        count += _insert(conn, table, chunk)
        counts[table.name] = count
        if conn.dialect.name == "postgresql":
            _advance_sequence(conn, table)
    return counts


def _insert(conn: Connection, table: Table, chunk: list[dict[str, Any]]) -> int:
    """Insert a batch of rows in id order. A row may refer to an earlier row of its own
    table (a part to its stack, a correction to the version it corrects): both engines
    check such keys at the end of the statement, and earlier batches are in already."""
    done = len(chunk)
    if chunk:
        conn.execute(insert(table), chunk)
    chunk.clear()
    return done


def _advance_sequence(conn: Connection, table: Table) -> None:
    key = list(table.primary_key.columns)
    if len(key) != 1 or key[0].name != "id" or not key[0].autoincrement:
        return
    top = conn.execute(select(func.max(key[0]))).scalar_one()
    if top is not None:
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
            {"t": table.name, "v": top},
        )


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows per table now."""
    count = func.count()
    return {t.name: int(conn.execute(select(count).select_from(t)).scalar_one()) for t in tables()}
