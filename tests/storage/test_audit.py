"""The event log's hash chain on SQLite and PostgreSQL: it holds after real work, it holds
under concurrent writers, and `sohoa audit verify` names the first entry an attacker with
database access deleted, edited or moved (the append-only triggers bypassed, as they can)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from api.cli import main
from config.settings import Settings
from storage.audit import CHAIN_START, verify_chain
from storage.db import Database, open_database
from storage.documents import add_document
from storage.dossiers import get_dossier
from storage.enums import EventKind
from storage.events import append_event
from storage.models import Event
from tests.storage.test_database import _receive as receive


def _receive(db: Database, settings: Settings, name: str = "Nguyễn Văn An") -> str:
    """A dossier received and a file added to it: two events."""
    code = receive(db, settings, name)
    with db.session() as session:
        add_document(
            session,
            get_dossier(session, code),
            filename=f"{name}.pdf",
            sha256=f"{abs(hash(name)):064d}"[-64:],
            size=10,
            media_type="application/pdf",
            actor="clerk",
        )
    return code


def _as_attacker(db: Database, statements: list[str]) -> None:
    """Run SQL with the append-only triggers out of the way, as anyone who can connect as
    the database owner can."""
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for action in ("update", "delete"):
                conn.execute(text(f"DROP TRIGGER events_no_{action}"))
        for statement in statements:
            conn.execute(text(statement))


def _ids(db: Database) -> list[int]:
    with db.session(readonly=True) as session:
        return list(session.scalars(select(Event.id).order_by(Event.id)))


def _verify(db: Database) -> tuple[int | None, str | None, int]:
    with db.session(readonly=True) as session:
        report = verify_chain(session)
    return report.broken_id, report.reason, report.entries


def test_real_work_leaves_a_chain_that_holds(database: Database, settings: Settings) -> None:
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường"):
        _receive(database, settings, name)
    with database.session(readonly=True) as session:
        events = list(session.scalars(select(Event).order_by(Event.id)))
        report = verify_chain(session)
    assert len(events) == 6
    assert events[0].prev_hash == CHAIN_START
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(events))
    assert report.ok and report.entries == 6 and report.head == events[-1].entry_hash


def _delete(ids: list[int]) -> list[str]:
    return [f"DELETE FROM events WHERE id = {ids[2]}"]


def _edit(ids: list[int]) -> list[str]:
    return [f"UPDATE events SET actor = 'forger' WHERE id = {ids[2]}"]


def _edit_payload(ids: list[int]) -> list[str]:
    return [f"UPDATE events SET data = '{{\"forged\": true}}' WHERE id = {ids[2]}"]


def _reorder(ids: list[int]) -> list[str]:
    a, b = ids[2], ids[3]  # swap two entries' places: every column but the id moves
    return [
        f"UPDATE events SET id = -1 WHERE id = {a}",
        f"UPDATE events SET id = {a} WHERE id = {b}",
        f"UPDATE events SET id = {b} WHERE id = -1",
    ]


@pytest.mark.parametrize(
    ("attack", "reason"),
    [
        (_delete, "link broken"),
        (_edit, "content edited"),
        (_edit_payload, "content edited"),
        (_reorder, "link broken"),
    ],
)
def test_a_deleted_edited_or_moved_entry_is_found(
    database: Database,
    settings: Settings,
    attack: Callable[[list[int]], list[str]],
    reason: str,
) -> None:
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường"):
        _receive(database, settings, name)
    ids = _ids(database)
    assert _verify(database) == (None, None, 6)
    _as_attacker(database, attack(ids))
    broken, why, held = _verify(database)
    first_broken = ids[3] if attack is _delete else ids[2]
    assert broken == first_broken
    assert why is not None and why.startswith(reason)
    assert held == 2


def test_an_entry_inserted_around_sohoa_is_found(database: Database, settings: Settings) -> None:
    _receive(database, settings)
    _as_attacker(
        database,
        [
            "INSERT INTO events (at, kind, actor, data) "
            "VALUES ('2026-03-14 03:00:00', 'dossier.received', 'forger', '{}')"
        ],
    )
    broken, why, held = _verify(database)
    assert broken == _ids(database)[-1] and why is not None and why.startswith("no digest")
    assert held == 2


def test_concurrent_writers_make_one_chain(database_url: str, settings: Settings) -> None:
    databases = [Database(database_url) for _ in range(4)]
    databases[0].upgrade()
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda i: _receive(databases[i % 4], settings, f"Người {i}"), range(24)))
        broken, _, held = _verify(databases[0])
    finally:
        for db in databases:
            db.dispose()
    assert broken is None and held == 48


def test_a_rolled_back_transaction_leaves_no_event(database: Database, settings: Settings) -> None:
    code = _receive(database, settings)
    with pytest.raises(RuntimeError), database.session() as session:
        append_event(session, EventKind.RECORD_ACCESSED, actor="x", dossier_id=1)
        raise RuntimeError("abandoned")
    with database.session() as session:
        assert get_dossier(session, code) is not None
    assert _verify(database) == (None, None, 2)


def test_existing_entries_are_chained_by_the_migration(
    database: Database, settings: Settings
) -> None:
    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        _receive(database, settings, name)
    database.downgrade("0006")
    database.upgrade()
    assert _verify(database) == (None, None, 4)
    with pytest.raises(Exception, match="append-only"), database.session() as session:
        session.execute(text("UPDATE events SET actor = 'forger'"))


def test_audit_verify_command_reports_the_first_broken_entry(
    settings: Settings, tmp_path: Path
) -> None:
    db = open_database(settings)
    _receive(db, settings)
    _receive(db, settings, "Trần Thị Bình")
    ok = CliRunner().invoke(main, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "intact: 4 entries" in ok.output
    ids = _ids(db)
    _as_attacker(db, [f"UPDATE events SET actor = 'forger' WHERE id = {ids[1]}"])
    bad = CliRunner().invoke(main, ["audit", "verify"])
    assert bad.exit_code == 1
    assert f"BROKEN at event {ids[1]}: content edited" in bad.output
