"""A component checked against the population database, the civil-status database or VNeID
(shown, not scanned) is satisfied instead of missing: the checklist says so, the portal's
figures count it as data reuse, the event log keeps which database, the reference, who and
when; the sync message carries it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from api.cli import main
from api.dossier_views import dossier_view
from api.services import open_dossier
from config.catalogue import get_catalogue
from config.errors import InvalidRequest
from config.settings import Settings
from storage.completeness import Verdict, check_completeness
from storage.db import Database
from storage.digitization import record_certified, request_certification
from storage.documents import add_document
from storage.dossiers import Intake, get_dossier, receive_dossier
from storage.enums import DocumentStatus, DossierStatus, EventKind
from storage.events import events_of_dossier
from storage.exchange import dossier_snapshot
from storage.models import Component, Dossier
from storage.national_checks import record_national_check
from storage.outcomes import end_dossier
from storage.portal import portal_rates
from storage.stats import components_digitized, unit_month_rates
from storage.sync_message import sync_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
BIRTH = "1.001193"
NOW = datetime(2026, 4, 10, 9, 0, tzinfo=HANOI)


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=HANOI)


def _birth(session: Session, settings: Settings, day: int, intake: Intake | None = None) -> Dossier:
    return receive_dossier(
        session, settings, procedure=get_catalogue().procedure(BIRTH),
        applicant_name="Phạm Thị Mai", applicant_id_number="036185000123",
        unit_code="xa-hoa-binh", received_at=_at(day), actor="clerk", intake=intake,
    )  # fmt: skip


def _component(dossier: Dossier, expected_type: str) -> Component:
    return next(c for c in dossier.components if c.expected_type == expected_type)


def test_a_card_checked_in_the_population_database_is_present_and_logged(
    database: Database, settings: Settings
) -> None:
    """GIVEN a birth registration whose parent's ID card was not brought WHEN the clerk
    records it was checked in the population database THEN the checklist shows it present
    with the database and reference, the dossier uses population data, the component keeps
    who and when, and one event says it; the component's file state is untouched."""
    with database.session() as session:
        dossier = _birth(session, settings, 2)
        card = _component(dossier, "cccd")
        before = check_completeness(dossier)
        assert "Giấy tờ tùy thân của người đi đăng ký khai sinh" in before.labels(Verdict.MISSING)
        record_national_check(session, dossier, card.id, source="population",
                              reference=" TRA-2026-000123 ", at=_at(2, 10),
                              actor="can-bo-a")  # fmt: skip
        code, card_id = dossier.code, card.id
    with database.session() as session:
        dossier = get_dossier(session, code)
        card = _component(dossier, "cccd")
        assert (card.national_source, card.national_reference) == ("population", "TRA-2026-000123")
        assert card.national_checked_by == "can-bo-a"
        assert card.national_checked_at == _at(2, 10)
        assert card.state.value == "missing" and card.result_id is None
        assert dossier.national_data == ["population"]
        check = next(
            c for c in check_completeness(dossier, HANOI).checks if c.component_id == card_id
        )
        assert check.verdict is Verdict.PRESENT
        assert check.reason.startswith("Đã đối chiếu với Cơ sở dữ liệu quốc gia về dân cư")
        assert "TRA-2026-000123" in check.reason and "can-bo-a" in check.reason
        assert "2026-03-02 10:00" in check.reason  # office time
        events = [e for e in events_of_dossier(session, dossier.id)
                  if e.kind == EventKind.COMPONENT_NATIONAL_CHECKED.value]  # fmt: skip
        assert len(events) == 1 and events[0].actor == "can-bo-a"
        assert events[0].data["component_id"] == card_id
        assert (events[0].data["source"], events[0].data["reference"]) == (
            "population", "TRA-2026-000123",
        )  # fmt: skip
        assert events[0].data["replaces"] is None


def test_a_second_check_replaces_the_first_and_its_event_keeps_the_first(
    database: Database, settings: Settings
) -> None:
    """GIVEN a card checked in VNeID under a mistyped reference WHEN the clerk records the
    population-database lookup instead THEN the component holds the new one, the dossier
    has used both sources, and the new event names the lookup it replaced."""
    with database.session() as session:
        dossier = _birth(session, settings, 2)
        card = _component(dossier, "cccd")
        record_national_check(session, dossier, card.id, source="vneid", reference="SAI-1",
                              at=_at(2, 10), actor="a")  # fmt: skip
        record_national_check(session, dossier, card.id, source="population",
                              reference="TRA-2", at=_at(2, 11), actor="b")  # fmt: skip
        assert (card.national_source, card.national_reference) == ("population", "TRA-2")
        assert card.national_checked_by == "b"
        assert dossier.national_data == ["population", "vneid"]
        checks = [e for e in events_of_dossier(session, dossier.id)
                  if e.kind == EventKind.COMPONENT_NATIONAL_CHECKED.value]  # fmt: skip
        assert [e.data["reference"] for e in checks] == ["SAI-1", "TRA-2"]
        assert checks[1].data["replaces"]["reference"] == "SAI-1"
        assert checks[1].data["replaces"]["by"] == "a"


def test_what_a_database_cannot_stand_in_for_is_refused(
    database: Database, settings: Settings
) -> None:
    """GIVEN a birth registration WHEN the clerk records a lookup the catalogue does not
    allow (a hospital's birth certificate in the population database), an unknown source, an
    empty or control-laden reference, another dossier's component, or on an ended dossier
    THEN each is refused and nothing is recorded."""
    with database.session() as session:
        dossier = _birth(session, settings, 2)
        other = _birth(session, settings, 3)
        medical = _component(dossier, "giay_chung_sinh")
        card = _component(dossier, "cccd")
        refusals = [
            (medical.id, "population", "X-1", "cannot be checked against population"),
            (card.id, "civil_status", "X-1", "cannot be checked against civil_status"),
            (card.id, "cadastre", "X-1", "unknown national data source"),
            (card.id, "vneid", "   ", "give the looked-up record's reference"),
            (card.id, "vneid", "A\u202eB", "control or invisible characters"),
            (card.id, "vneid", "x" * 101, "at most 100 characters"),
            (_component(other, "cccd").id, "vneid", "X-1", "is not part of dossier"),
        ]
        for component_id, source, reference, why in refusals:
            with pytest.raises(InvalidRequest, match=why):
                record_national_check(session, dossier, component_id, source=source,
                                      reference=reference, at=_at(2), actor="c")  # fmt: skip
        end_dossier(session, other, state=DossierStatus.WITHDRAWN, reason="Công dân rút",
                    at=_at(3, 10), actor="c")  # fmt: skip
        with pytest.raises(InvalidRequest, match="has already ended"):
            record_national_check(session, other, _component(other, "cccd").id, source="vneid",
                                  reference="X-1", at=_at(3, 11), actor="c")  # fmt: skip
        assert all(c.national_source is None for c in [*dossier.components, *other.components])
        assert dossier.national_data == [] and other.national_data == []


def test_the_portal_counts_a_checked_component_as_reuse(
    database: Database, settings: Settings
) -> None:
    """GIVEN three birth registrations of March 2026 at xa-hoa-binh: D1 its card checked in
    the population database, D2 nothing, D3 the parents' marriage certificate checked in the
    civil-status database WHEN the portal's figures are computed THEN, by hand:
    reuse (4.3) = D1, D3 of D1-D3 = 2/3; population data (4.5) = D1 only = 1/3 (civil
    status is not the population database). sohoa's strict reuse counts only its own
    digitization results: 0/3."""
    with database.session() as session:
        d1, d2, d3 = (_birth(session, settings, day) for day in (2, 3, 4))
        record_national_check(session, d1, _component(d1, "cccd").id, source="population",
                              reference="P-1", at=_at(2, 10), actor="c")  # fmt: skip
        record_national_check(session, d3, _component(d3, "giay_chung_nhan_ket_hon").id,
                              source="civil_status", reference="HT-7", at=_at(4, 10),
                              actor="c")  # fmt: skip
        assert d2.national_data == []
    with database.session() as session:
        rows, total = portal_rates(session, HANOI, now=NOW, start=_at(1).date(),
                                   end=datetime(2026, 3, 31).date())  # fmt: skip
        assert [(r.unit, r.month) for r in rows] == [("xa-hoa-binh", "2026-03")]
        reuse, population = total.rates["reuse"], total.rates["population_data"]
        assert (reuse.numerator, reuse.denominator) == (2, 3)
        assert (population.numerator, population.denominator) == (1, 3)
        strict = unit_month_rates(session, HANOI)
        assert [(r.reuse.numerator, r.reuse.denominator) for r in strict] == [(0, 3)]


def _certified(session: Session, dossier: Dossier, component: Component, n: int) -> None:
    """A digitized scan on the component, certified by the clerk's signature."""
    document, _ = add_document(
        session, dossier, filename=f"scan-{n}.pdf", sha256=f"{n}".rjust(64, "a"), size=1,
        media_type="application/pdf", actor="clerk", component_id=component.id,
    )  # fmt: skip
    document.status, document.pdf_sha256 = DocumentStatus.DIGITIZED, f"{n}".rjust(64, "b")
    document.document_type, document.type_source = component.expected_type, "clerk"
    result, _ = request_certification(session, document.id, signer_profile="mot-cua",
                                      signer_name="Cán bộ A", today=_at(2).date(),
                                      actor="c")  # fmt: skip
    record_certified(session, result.id, pdf_sha256=f"{n}".rjust(64, "c"), signed_at=_at(2, 11),
                     actor="c")  # fmt: skip


def test_a_checked_component_needs_no_digitization_in_sohoas_figures(
    database: Database, settings: Settings
) -> None:
    """GIVEN a birth registration whose form and medical certificate are scanned and
    certified, and whose card was not brought WHEN the card is checked in VNeID THEN
    sohoa's "all components digitized" holds (no paper was taken, so no digitization is
    owed) and the checklist is complete; before the check neither held."""
    with database.session() as session:
        dossier = _birth(session, settings, 2)
        for n, kind in enumerate(("to_khai_khai_sinh", "giay_chung_sinh")):
            _certified(session, dossier, _component(dossier, kind), n)
        code = dossier.code
    with database.session() as session:
        dossier = get_dossier(session, code, detail=True)
        assert not components_digitized(dossier, "giay_khai_sinh")
        assert not check_completeness(dossier).complete
        record_national_check(session, dossier, _component(dossier, "cccd").id, source="vneid",
                              reference="VNeID-QR-1", at=_at(2, 10), actor="c")  # fmt: skip
    with database.session() as session:
        dossier = get_dossier(session, code, detail=True)
        assert components_digitized(dossier, "giay_khai_sinh")
        assert check_completeness(dossier).complete


def test_the_sync_message_tells_the_check(database: Database, settings: Settings) -> None:
    """GIVEN a dossier whose card was checked in VNeID WHEN the sync message of that event
    is made THEN it carries the component's national source and the dossier's national data
    as they stood then (the reception's message, replayed, carries neither)."""
    with database.session() as session:
        dossier = _birth(session, settings, 2)
        record_national_check(session, dossier, _component(dossier, "cccd").id, source="vneid",
                              reference="VNeID-QR-1", at=_at(2, 10), actor="c")  # fmt: skip
        events = events_of_dossier(session, dossier.id)
        received, checked = events[0], events[-1]
        assert checked.kind == EventKind.COMPONENT_NATIONAL_CHECKED.value
        before = dossier_snapshot(session, dossier, "https://sohoa.example", as_of=received.id)
        after = dossier_snapshot(session, dossier, "https://sohoa.example", as_of=checked.id)
    assert before["national_data"] == []
    message = sync_message(checked.id, "component_checked", _at(2, 10), after)
    assert message["national_data"] == ["vneid"] and message["reused"] is True
    card = next(c for c in message["components"] if c["document_type"] == "cccd")
    assert card["national_source"] == "vneid"


def test_the_command_records_a_check_and_show_prints_it(settings: Settings) -> None:
    code = open_dossier(settings, procedure_code=BIRTH, applicant_name="Lê Văn Hùng",
                        applicant_id_number=None, unit_code="xa-hoa-binh",
                        actor="test")  # fmt: skip
    card = next(
        c for c in dossier_view(settings, code)["components"] if c["expected_type"] == "cccd"
    )
    assert card["national_sources"] == ["population", "vneid"]
    runner = CliRunner()
    done = runner.invoke(main, ["dossier", "check-national", code, "--component", str(card["id"]),
                                "--source", "vneid", "--reference", "VNeID-QR-9"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "đã đối chiếu CSDL" in done.output and "Ứng dụng VNeID" in done.output
    shown = runner.invoke(main, ["dossier", "show", code])
    assert "VNeID-QR-9" in shown.output
    assert "Giấy tờ tùy thân của người đi đăng ký khai sinh" not in [
        line.split(": ", 1)[-1].split(" — ")[0] for line in shown.output.splitlines()
        if line.startswith("Thiếu")
    ]  # fmt: skip
    view = dossier_view(settings, code)
    assert view["national_data"] == ["vneid"]
    assert "Giấy tờ tùy thân của người đi đăng ký khai sinh" in view["completeness"]["present"]
