"""The sync message (storage.sync_message): a dossier's life, received at one commune and
resolved by another, gives the messages a provincial system or the national portal imports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from config.calendar import get_calendar
from config.catalogue import get_catalogue
from config.settings import Settings
from storage.db import Database
from storage.deadlines import receive_supplement, request_supplement
from storage.digitization import reuse_result
from storage.dossiers import (
    Intake,
    finish_dossier,
    receive_dossier,
    route_dossier,
    rules_in_force,
)
from storage.enums import Channel, DossierStatus
from storage.exchange import feed, fill_outbox
from storage.models import Dossier
from storage.outcomes import end_dossier, mark_processed
from storage.sync_message import SCHEMA, SyncMessage, sync_schema
from storage.types import utcnow
from tests.support.results import signed_result

PERSON = "036098001234"
DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 office time


def _dossier(session: Session, settings: Settings, procedure: str, **kw: Any) -> Dossier:
    return receive_dossier(
        session, settings, procedure=get_catalogue().procedure(procedure),
        applicant_name="Trần Thị Mai", applicant_id_number=PERSON, unit_code="demo",
        received_at=DAY, actor="clerk", **kw,
    )  # fmt: skip


def _card(session: Session, dossier: Dossier) -> int:
    read = {"valid_until": {"value": "2041-10-07"}}
    return signed_result(session, dossier, "cccd", at=DAY, sha256="c" * 64, fields=read).id


def test_a_dossiers_life_produces_the_sync_messages_the_portal_imports(
    database: Database, settings: Settings
) -> None:
    """GIVEN a business registration received at Xã Mẫu's centre, routed to Xã Hòa Bình,
    its ID card reused, a supplement asked and brought, processed and returned, and another
    dossier refused WHEN the outbox is filled THEN each change is one sync message, valid
    against the schema, telling both units, the dates, channel, reuse (the card's printed
    validity and its scope) and end state."""
    zone, calendar = settings.zone, get_calendar()
    with database.session() as session:
        first = _dossier(session, settings, "1.004227")
        card = _card(session, first)
        dossier = _dossier(session, settings, "1.001612", intake=Intake(channel=Channel.ONLINE))
        route_dossier(session, dossier, to="xa-hoa-binh", reason="Địa điểm kinh doanh",
                      at=DAY, actor="clerk")  # fmt: skip
        component = next(c for c in dossier.components if c.expected_type == "cccd")
        reuse_result(session, dossier, component.id, card, on=DAY.date(), units=None,
                     actor="clerk")  # fmt: skip
        request_supplement(session, dossier, reason="Thiếu giấy đề nghị",
                           at=DAY + timedelta(hours=1), actor="clerk")  # fmt: skip
        receive_supplement(session, dossier, at=DAY + timedelta(days=1), actor="clerk",
                           zone=zone, calendar=calendar)  # fmt: skip
        mark_processed(session, dossier, at=DAY + timedelta(days=2), actor="leader")
        finish_dossier(session, dossier, at=DAY + timedelta(days=2, hours=1), actor="clerk")
        refused = _dossier(session, settings, "1.001193")
        end_dossier(session, refused, state=DossierStatus.REFUSED, reason="Không thuộc thẩm quyền",
                    at=DAY + timedelta(hours=2), actor="clerk")  # fmt: skip
        code, refused_code = dossier.code, refused.code
        fill_outbox(session, public_url="https://sohoa.example",
                    settled_before=utcnow() + timedelta(minutes=5))  # fmt: skip
    with database.session(readonly=True) as session:
        messages, _ = feed(session, limit=100)
    synced = [SyncMessage.model_validate(m["sync"]) for m in messages]
    life = [m for m in synced if m.dossier_code == code]
    assert [m.type for m in life] == [
        "received", "routed", "component_digitized", "supplement_requested",
        "supplement_received", "processed", "returned",
    ]  # fmt: skip
    assert all(m.receiving_unit == "demo" and m.channel == "online" for m in life)
    assert [m.competent_unit for m in life[:2]] == ["demo", "xa-hoa-binh"]
    reused = life[2]
    assert reused.reused and [c.reused for c in reused.components if c.document_type == "cccd"] == [
        True
    ]
    (card_row,) = [c for c in reused.components if c.document_type == "cccd"]
    assert (card_row.valid_until, card_row.scope) == ("2041-10-07", "Toàn quốc")  # as printed
    assert card_row.paper_type is None  # the shipped catalogue names no national code
    assert life[3].status == "supplement_requested" and life[4].status == "processing"
    before, after = life[0].appointment_at, life[4].appointment_at
    assert before is not None and after is not None and after > before  # the clock restarted
    returned = life[-1]
    assert returned.processed_at == DAY + timedelta(days=2)
    assert returned.returned_at == DAY + timedelta(days=2, hours=1)
    assert returned.status == "returned" and returned.end_state is None
    ended = [m for m in synced if m.dossier_code == refused_code][-1]
    assert (ended.type, ended.status, ended.end_state) == ("ended", "refused", "refused")
    assert ended.end_reason == "Không thuộc thẩm quyền"
    assert messages[0]["sync"]["schema"] == SCHEMA
    assert set(sync_schema()["required"]) >= {"dossier_code", "receiving_unit", "competent_unit"}


def test_a_dossier_keeps_the_rules_in_force_the_day_it_was_received(
    database: Database, settings: Settings
) -> None:
    """GIVEN dossiers received on 30 June 2025 at 23:30 and on 1 July 2025 at 00:30 (office
    time) WHEN received THEN the first keeps Decree 61/2018's rules, the second Decree
    118/2025's, on the dossier, its reception event and its sync messages."""
    assert rules_in_force(date(2025, 6, 30)) == "ND61-2018"
    assert rules_in_force(date(2025, 7, 1)) == rules_in_force(date(2026, 3, 2)) == "ND118-2025"
    with database.session() as session:
        birth = get_catalogue().procedure("1.001193")
        before, after = (
            receive_dossier(
                session,
                settings,
                procedure=birth,
                applicant_name="Trần Thị Mai",
                applicant_id_number=None,
                unit_code="demo",
                received_at=at,
                actor="clerk",
            )
            for at in (
                datetime(2025, 6, 30, 16, 30, tzinfo=UTC),
                datetime(2025, 6, 30, 17, 30, tzinfo=UTC),
            )
        )
        assert (before.rules, after.rules) == ("ND61-2018", "ND118-2025")
        fill_outbox(session, public_url="https://sohoa.example",
                    settled_before=utcnow() + timedelta(minutes=5))  # fmt: skip
    with database.session(readonly=True) as session:
        messages, _ = feed(session, limit=100)
    assert [m["sync"]["rules"] for m in messages] == ["ND61-2018", "ND118-2025"]
