"""The process's database across a fork: a work horse takes its parent's engine without its
connections, and does not check the schema again for every job."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from sqlalchemy import event, text

from config.settings import Settings, get_settings
from storage.db import close_databases, open_database


@pytest.fixture
def shared_settings(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings naming the test's database (SQLite file or PostgreSQL schema)."""
    monkeypatch.setenv("SOHOA_DATABASE_URL", database_url)
    get_settings.cache_clear()
    return get_settings()


def _backend(settings: Settings) -> int:
    """Which connection the process's database serves this process with (PostgreSQL: the
    server process; SQLite: the connection object)."""
    db = open_database(settings)
    with db.engine.connect() as conn:
        if db.dialect == "postgresql":
            return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
        return id(conn.connection.driver_connection)


def test_a_forked_process_reuses_the_engine_not_the_connections_nor_the_migration(
    shared_settings: Settings,
) -> None:
    db = open_database(shared_settings)
    parent_backend = _backend(shared_settings)  # a connection now pooled in the parent
    statements: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def _seen(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - reported through the pipe
        try:
            same = open_database(shared_settings) is db
            opened_with = list(statements)  # what opening it ran: no schema check
            backend = _backend(shared_settings)
            report = {"same": same, "opened_with": opened_with, "backend": backend}
            os.write(write, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read) as pipe:
        report = json.loads(pipe.read())
    assert report["same"] and report["opened_with"] == []
    if db.dialect == "postgresql":
        assert report["backend"] != parent_backend
    assert _backend(shared_settings) == parent_backend  # the parent's connection still works
    close_databases()
