"""Engines and transactions on SQLite (embedded default) or PostgreSQL, and migrations."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from config import defaults
from config.errors import ConfigurationError, TransientError
from config.settings import Settings

log = logging.getLogger(__name__)

_MIGRATION_LOCK_ID = 0x50_48_4F_41  # "SOHA": PostgreSQL advisory lock for migrations


def _configure_sqlite(engine: Engine) -> None:
    """WAL for concurrent readers, FULL sync so an acknowledged upload survives power loss,
    and BEGIN IMMEDIATE so a writer waits for the lock instead of failing on upgrade."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={defaults.SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "DEFERRED" if conn.get_execution_options().get("sohoa_readonly") else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """One database: its engine, transactions, and the schema kept at the latest migration."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(url, connect_args={"timeout": 30})
            _configure_sqlite(self.engine)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readonly = sessionmaker(
            self.engine.execution_options(sohoa_readonly=True), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back if it raises.

        A lost or refused connection becomes TransientError, so jobs retry it.
        """
        factory = self._readonly if readonly else self._sessions
        try:
            with factory() as session, session.begin():
                yield session
        except OperationalError as e:
            raise TransientError(f"database unavailable: {e.orig or e}") from e

    def upgrade(self) -> None:
        """Bring the schema to the latest migration; safe when many processes start at once."""
        self._migrate(command.upgrade, "head")

    def downgrade(self, revision: str) -> None:
        """Take the schema back to `revision` (to roll back a release, and to test migrations
        on a populated database)."""
        self._migrate(command.downgrade, revision)

    def _migrate(self, step: Callable[[Config, str], None], revision: str) -> None:
        """Run one Alembic command in one transaction.

        SQLite alters a table by rebuilding it, and its deferred foreign-key counter mistakes
        the rebuild for deleted rows; so its checks are off while migrating and the whole
        database is checked once before commit instead."""
        sqlite = self.dialect == "sqlite"
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            if sqlite:  # the pragma only takes effect outside a transaction
                raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            try:
                with conn.begin():
                    if not sqlite:
                        lock = text("SELECT pg_advisory_xact_lock(:id)")
                        conn.execute(lock, {"id": _MIGRATION_LOCK_ID})
                    cfg = Config()
                    cfg.set_main_option("script_location", "storage:migrations")
                    cfg.attributes["connection"] = conn
                    step(cfg, revision)
                    broken = sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise ConfigurationError(f"migration to {revision} broke foreign keys")
            finally:
                if sqlite:
                    raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]

    def dispose(self) -> None:
        """Close pooled connections (after fork, or at the end of a test)."""
        self.engine.dispose()


_open: dict[str, tuple[int, Database]] = {}
"""Each URL's database, with the id of the process that last took it."""
_open_lock = threading.Lock()


def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    """The process's database for these settings, migrated on first open.

    A process forked from one that had it open (an rq work horse) takes the same engine
    with its pool emptied, so it never uses its parent's connections (SQLAlchemy's advice
    for os.fork: `dispose(close=False)`), and does not check the schema again: the parent
    did. A horse per job would otherwise pay a new engine and Alembic's check, some 20 ms
    of CPU, on every job.
    """
    url, pid = settings.effective_database_url, os.getpid()
    with _open_lock:
        owner, db = _open.get(url, (pid, None))
        if db is None:
            db = Database(url)
            if migrate:
                db.upgrade()
        elif owner != pid:
            db.engine.dispose(close=False)
        _open[url] = (pid, db)
        return db


def close_databases() -> None:
    """Dispose and forget every database this process opened (the end of a test, whose
    database is gone, or a process about to stop): pooled connections are not left open."""
    with _open_lock:
        opened = [(owner, db) for owner, db in _open.values()]
        _open.clear()
    for owner, db in opened:
        db.engine.dispose(close=owner == os.getpid())
