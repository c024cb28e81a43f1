"""Signature requests on SQLite and PostgreSQL: asked once, made in order, recorded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from config.catalogue import get_catalogue
from config.errors import InvalidRequest
from config.settings import Settings
from storage.db import Database
from storage.documents import DigitizedOutcome, add_document, get_document, record_digitized
from storage.dossiers import get_dossier, receive_dossier
from storage.enums import DossierStatus, SignatureState
from storage.models import Dossier
from storage.signatures import (
    OFFICE_REGISTER,
    PlannedSignature,
    allocate_issue_number,
    input_of,
    issue_register,
    record_signed,
    request_signatures,
    requests_of,
    signed_pdf_of,
)

PLAN = [
    PlannedSignature("leader", "chu-tich", "Nguyễn Văn An"),
    PlannedSignature("organisation", "van-thu", "Ủy ban nhân dân xã Hòa Bình"),
]
NOW = datetime(2026, 3, 14, 2, 30, tzinfo=UTC)


def _result_document(db: Database, settings: Settings) -> int:
    with db.session() as session:
        dossier = receive_dossier(
            session,
            settings,
            procedure=get_catalogue().procedure("1.001193"),
            applicant_name="Hồ Thùy Oanh",
            applicant_id_number=None,
            unit_code="demo",
            received_at=NOW,
            actor="test",
        )
        document, _ = add_document(
            session,
            dossier,
            filename="gks.pdf",
            sha256="a" * 64,
            size=1,
            media_type="application/pdf",
            actor="test",
        )
        outcome = DigitizedOutcome(
            pdf_sha256="b" * 64,
            pdf_size=1,
            pdfa=True,
            text="GIẤY KHAI SINH",
            page_count=1,
            document_type="giay_khai_sinh",
            type_confidence=0.9,
            component_label="Giấy khai sinh",
        )
        record_digitized(session, document.id, outcome, actor="test")
        return document.id


def test_signatures_are_requested_once_and_made_in_order(
    database: Database, settings: Settings
) -> None:
    document_id = _result_document(database, settings)
    with database.session() as session:
        assert requests_of(session, document_id) == []
        made, created = request_signatures(
            session, get_document(session, document_id), PLAN, level="B-LTA", actor="test"
        )
        assert created and [r.position for r in made] == [0, 1]
        again, created = request_signatures(
            session, get_document(session, document_id), PLAN, level="B-LTA", actor="test"
        )
        assert not created and [r.id for r in again] == [r.id for r in made]
        leader, seal = made
        assert input_of(session, leader) == "b" * 64  # the digitized PDF
        with pytest.raises(InvalidRequest, match="waits for signature 1"):
            input_of(session, seal)
        record_signed(
            session,
            leader.id,
            input_sha256="b" * 64,
            output_sha256="c" * 64,
            signed_at=NOW,
            actor="t",
        )
        assert input_of(session, seal) == "c" * 64  # the seal signs the leader's output
        record_signed(
            session,
            seal.id,
            input_sha256="c" * 64,
            output_sha256="d" * 64,
            signed_at=NOW,
            actor="t",
        )
        assert {r.status for r in requests_of(session, document_id)} == {SignatureState.SIGNED}
        assert signed_pdf_of(session, document_id) == "d" * 64
        dossier_id = get_document(session, document_id).dossier_id
    with database.session() as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None and dossier.status is DossierStatus.SIGNED
        assert get_dossier(session, dossier.code).code == dossier.code


def test_issue_numbers_count_up_per_unit_and_year(database: Database) -> None:
    with database.session() as session:
        numbers = [allocate_issue_number(session, "demo", 2026) for _ in range(3)]
        other = allocate_issue_number(session, "xa-khac", 2026)
        next_year = allocate_issue_number(session, "demo", 2027)
    assert (numbers, other, next_year) == ([1, 2, 3], 1, 1)


def test_civil_status_results_are_numbered_in_their_own_book(database: Database) -> None:
    """A birth certificate takes its number from the birth register book, a decision from
    the văn thư's register: each counts from 1 in the same unit and year."""
    assert issue_register("giay_khai_sinh") == "so-ho-tich-khai-sinh"
    assert issue_register("quyet_dinh") == OFFICE_REGISTER
    with database.session() as session:
        decisions = [allocate_issue_number(session, "demo", 2026) for _ in range(2)]
        births = [allocate_issue_number(session, "demo", 2026, register="so-ho-tich-khai-sinh")
                  for _ in range(2)]  # fmt: skip
    assert (decisions, births) == ([1, 2], [1, 2])
