"""The database connection cut in the middle of a transaction, on SQLite and PostgreSQL:
nothing of the transaction stays, the error is transient (so jobs retry it), the event
chain holds, and doing the same again records it once.

PostgreSQL: the server ends the session (pg_terminate_backend) right after the document's
INSERT ran. SQLite has no server to cut the line: the process that holds the transaction
is killed by SIGKILL at the same point, which is what a cut means for a file database."""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest
from sqlalchemy import create_engine, event, func, select, text

from config.errors import TransientError
from config.settings import Settings
from storage.audit import verify_chain
from storage.db import Database
from storage.documents import add_document
from storage.dossiers import get_dossier
from storage.models import Document
from tests.conftest import PG_URL
from tests.storage.test_audit import _receive

SHA = "c" * 64


def _add(db: Database, code: str) -> None:
    with db.session() as session:
        add_document(
            session,
            get_dossier(session, code),
            filename="to-khai.pdf",
            sha256=SHA,
            size=10,
            media_type="application/pdf",
            actor="clerk",
        )


def _cut_after_document_insert(db: Database, cut: Any) -> None:
    @event.listens_for(db.engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DOCUMENTS"):
            cut(conn)


def _documents(db: Database) -> int:
    with db.session(readonly=True) as session:
        return int(session.scalar(select(func.count()).select_from(Document)) or 0)


def _terminate(conn: Any) -> None:
    pid = conn.connection.driver_connection.info.backend_pid
    assert PG_URL is not None
    admin = create_engine(PG_URL)
    with admin.begin() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def test_a_connection_cut_mid_transaction_leaves_nothing_half_written(
    database: Database, settings: Settings
) -> None:
    code = _receive(database, settings)
    before = _documents(database)
    if database.dialect == "postgresql":
        cut = Database(database.url)
        _cut_after_document_insert(cut, _terminate)
        with pytest.raises(TransientError, match="database unavailable"):
            _add(cut, code)
        cut.dispose()
    else:
        child = os.fork()
        if child == 0:  # pragma: no cover - the child dies inside its transaction
            cut = Database(database.url)
            _cut_after_document_insert(cut, lambda _: os.kill(os.getpid(), signal.SIGKILL))
            _add(cut, code)
            os._exit(0)
        _, status = os.waitpid(child, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert _documents(database) == before  # the cut transaction left nothing
    with database.session(readonly=True) as session:
        chain = verify_chain(session)
    assert chain.ok and chain.entries == 2  # the dossier and its first document
    _add(database, code)  # done again, it is recorded once
    _add(database, code)  # and again: the same content is the same document
    assert _documents(database) == before + 1
    with database.session(readonly=True) as session:
        assert verify_chain(session).ok
