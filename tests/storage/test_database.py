"""Storage on SQLite and PostgreSQL: schema, dossier codes, document life cycle, event log."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from config.catalogue import get_catalogue
from config.errors import InvalidRequest, NotFound
from config.settings import Settings
from storage.db import Database
from storage.documents import (
    DigitizedOutcome,
    add_document,
    begin_digitizing,
    record_digitized,
    record_failure,
)
from storage.dossiers import get_dossier, receive_dossier
from storage.enums import ComponentState, DocumentStatus, EventKind
from storage.events import events_of_dossier
from storage.models import Base, Document, Event
from storage.search.schema import include_object

RECEIVED = datetime(2026, 3, 14, 2, 30, tzinfo=UTC)  # 09:30 in Hà Nội, a Saturday


def _receive(db: Database, settings: Settings, name: str = "Nguyễn Văn An") -> str:
    with db.session() as session:
        return receive_dossier(
            session,
            settings,
            procedure=get_catalogue().procedure("1.001193"),
            applicant_name=name,
            applicant_id_number="036185000123",
            unit_code="xa-hoa-binh",
            received_at=RECEIVED,
            actor="test",
        ).code


def _outcome(doc_type: str = "to_khai_khai_sinh") -> DigitizedOutcome:
    return DigitizedOutcome(
        pdf_sha256="b" * 64,
        pdf_size=10,
        pdfa=True,
        text="TỜ KHAI",
        page_count=1,
        document_type=doc_type,
        type_confidence=0.9,
        component_label="Khác",
    )


def test_migrations_build_exactly_the_models(database: Database) -> None:
    # the search index's full-text tables and column are the database's own machinery, left
    # out of the models on purpose (storage.search.schema); everything else must match
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_twice_is_harmless(database: Database) -> None:
    database.upgrade()
    config = Config()
    config.set_main_option("script_location", "storage:migrations")
    head = ScriptDirectory.from_config(config).get_current_head()
    with database.session() as session:
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == head


def test_a_dossier_gets_a_national_code_components_and_an_appointment(
    database: Database, settings: Settings
) -> None:
    code = _receive(database, settings, name="  Nguye\u0302\u0303n   Văn An ")
    assert code == "000.00.11.H01-260314-0001"  # xa-hoa-binh's agency code (units.yaml)
    with database.session() as session:
        dossier = get_dossier(session, code)
        assert dossier.applicant_name == "Nguyễn Văn An"
        assert [c.expected_type for c in dossier.components][:3] == [
            "to_khai_khai_sinh",
            "giay_chung_sinh",
            "cccd",
        ]
        assert all(c.state is ComponentState.MISSING for c in dossier.components)
        # birth registration is same-day; received on a Saturday: Monday 17:00 office time
        assert dossier.appointment_at is not None
        local = dossier.appointment_at.astimezone(settings.zone)
        assert (local.date().isoformat(), local.hour) == ("2026-03-16", 17)
        assert [e.kind for e in events_of_dossier(session, dossier.id)] == [
            EventKind.DOSSIER_RECEIVED.value
        ]


def test_daily_serials_count_up_and_restart_each_day(
    database: Database, settings: Settings
) -> None:
    codes = [_receive(database, settings) for _ in range(3)]
    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]
    with database.session() as session:
        other_day = receive_dossier(
            session,
            settings,
            procedure=get_catalogue().procedure("1.001193"),
            applicant_name="Lê Thị B",
            applicant_id_number=None,
            unit_code="demo",
            received_at=RECEIVED.replace(day=16),
            actor="t",
        )
        assert other_day.code.endswith("-260316-0001")


def test_concurrent_producers_never_share_a_dossier_code(
    database_url: str, settings: Settings
) -> None:
    databases = [Database(database_url) for _ in range(4)]
    databases[0].upgrade()
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            codes = list(pool.map(lambda i: _receive(databases[i % 4], settings), range(40)))
    finally:
        for db in databases:
            db.dispose()
    assert len(set(codes)) == 40
    assert sorted(int(c[-4:]) for c in codes) == list(range(1, 41))


def test_a_bad_id_number_is_refused(database: Database, settings: Settings) -> None:
    with pytest.raises(InvalidRequest, match="12 digits"), database.session() as session:
        receive_dossier(
            session,
            settings,
            procedure=get_catalogue().procedure("1.001193"),
            applicant_name="A B",
            applicant_id_number="12345",
            unit_code="demo",
            received_at=RECEIVED,
            actor="t",
        )


def test_the_same_file_added_twice_is_one_document(database: Database, settings: Settings) -> None:
    code = _receive(database, settings)
    with database.session() as session:
        dossier = get_dossier(session, code)
        first, created = add_document(
            session,
            dossier,
            filename="a.jpg",
            sha256="a" * 64,
            size=3,
            media_type="image/jpeg",
            actor="t",
        )
        again, created_again = add_document(
            session,
            dossier,
            filename="copy.jpg",
            sha256="a" * 64,
            size=3,
            media_type="image/jpeg",
            actor="t",
        )
        assert created and not created_again and first.id == again.id
        assert session.scalars(select(Document)).all() == [first]


def test_a_digitized_document_fills_the_component_expecting_its_type(
    database: Database, settings: Settings
) -> None:
    code = _receive(database, settings)
    with database.session() as session:
        doc, _ = add_document(
            session,
            get_dossier(session, code),
            filename="a.jpg",
            sha256="a" * 64,
            size=3,
            media_type="image/jpeg",
            actor="t",
        )
        begin_digitizing(session, doc.id, actor="w")
        record_digitized(session, doc.id, _outcome(), actor="w")
        record_digitized(session, doc.id, _outcome(), actor="w")  # a rerun replaces, never adds
    with database.session() as session:
        dossier = get_dossier(session, code)
        form = next(c for c in dossier.components if c.expected_type == "to_khai_khai_sinh")
        assert form.state is ComponentState.DIGITIZED
        assert [d.id for d in form.documents] == [doc.id]
        assert dossier.documents[0].status is DocumentStatus.DIGITIZED
        assert dossier.documents[0].attempts == 1


def test_a_document_of_an_unlisted_type_gets_a_component_of_its_own(
    database: Database, settings: Settings
) -> None:
    code = _receive(database, settings)
    with database.session() as session:
        doc, _ = add_document(
            session,
            get_dossier(session, code),
            filename="x.pdf",
            sha256="c" * 64,
            size=3,
            media_type="application/pdf",
            actor="t",
        )
        record_digitized(session, doc.id, _outcome("khac"), actor="w")
    with database.session() as session:
        extra = get_dossier(session, code).components[-1]
        assert (extra.expected_type, extra.label, extra.required) == ("khac", "Khác", False)


def test_failures_are_recorded_as_retry_reasons_then_for_good(
    database: Database, settings: Settings
) -> None:
    code = _receive(database, settings)
    with database.session() as session:
        dossier = get_dossier(session, code)
        component_id = dossier.components[1].id
        doc, _ = add_document(
            session,
            dossier,
            filename="x.pdf",
            sha256="d" * 64,
            size=3,
            media_type="application/pdf",
            actor="t",
            component_id=component_id,
        )
        states = [dossier.components[1].state]
        retried = record_failure(
            session, doc.id, code="transient", message="db down", final=False, actor="w"
        )
        assert retried.status is DocumentStatus.QUEUED
        failed = record_failure(
            session, doc.id, code="corrupt_file", message="x.pdf: broken", final=True, actor="w"
        )
        assert failed.status is DocumentStatus.FAILED
        states.append(dossier.components[1].state)
        assert states == [ComponentState.RECEIVED, ComponentState.FAILED]
        kinds = [e.kind for e in events_of_dossier(session, dossier.id)]
        assert kinds[-2:] == [EventKind.RETRY_SCHEDULED.value, EventKind.DOCUMENT_FAILED.value]


def test_the_event_log_refuses_edits_and_deletions(database: Database, settings: Settings) -> None:
    _receive(database, settings)
    for statement in ("UPDATE events SET actor = 'forger'", "DELETE FROM events"):
        with pytest.raises(DatabaseError, match="append-only"), database.session() as session:
            session.execute(text(statement))
    with database.session() as session:
        assert session.scalars(select(Event.actor)).all() == ["test"]


def test_an_unknown_dossier_code_is_not_found(database: Database) -> None:
    with pytest.raises(NotFound), database.session() as session:
        get_dossier(session, "000.00.00.H00-260314-9999")


def test_splitting_columns_migrate_down_and_up_with_rows_in_place(
    database: Database, settings: Settings
) -> None:
    code = _receive(database, settings)
    with database.session() as session:
        dossier = get_dossier(session, code)
        document, _ = add_document(
            session,
            dossier,
            filename="scan.pdf",
            sha256="a" * 64,
            size=10,
            media_type="application/pdf",
            actor="test",
        )
        document_id = document.id
    database.downgrade("0003")
    database.upgrade()
    with database.session() as session:
        again = session.get(Document, document_id)
        assert again is not None and again.original_filename == "scan.pdf"
        assert again.parent_id is None and again.type_source is None
        assert len(events_of_dossier(session, again.dossier_id)) >= 2
