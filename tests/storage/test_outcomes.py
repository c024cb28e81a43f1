"""Decree 118/2025 rules on a dossier's course: one supplement request within 3 working days
(later or repeated: warned and logged), end states with a reason, and the apology letter
sent before the deadline is missed, with dossiers at risk in the backlog."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from api.cli import main
from api.services import open_dossier
from config import onestop
from config.calendar import get_calendar
from config.catalogue import get_catalogue
from config.errors import InvalidRequest
from config.settings import Settings
from storage.backlog import DUE_SOON, backlog
from storage.db import Database, open_database
from storage.deadlines import receive_supplement, record_apology, request_supplement
from storage.dossiers import finish_dossier, get_dossier, receive_dossier
from storage.enums import DossierStatus, EventKind
from storage.events import events_of_dossier
from storage.models import Dossier
from storage.outcomes import end_dossier

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _dossier(session: Session, settings: Settings, received: datetime) -> Dossier:
    return receive_dossier(
        session, settings, procedure=get_catalogue().procedure("1.004227"),
        applicant_name="Vũ Thị Thu", applicant_id_number=None, unit_code="xa-thuy-an",
        received_at=received, actor="clerk",
    )  # fmt: skip


def _warnings(session: Session, dossier: Dossier) -> list[dict[str, object]]:
    return [e.data for e in events_of_dossier(session, dossier.id)
            if e.kind == EventKind.SUPPLEMENT_LATE.value]  # fmt: skip


def test_a_late_or_second_supplement_request_is_recorded_warned_and_logged(
    database: Database, settings: Settings
) -> None:
    """GIVEN a dossier received Monday 2 March WHEN the supplement is asked Thursday 5 (3
    working days: in time), then again after it came back THEN only the second is logged,
    as repeated; a dossier asked on Friday 6 (4 working days) is logged as late."""
    with database.session() as session:
        first = _dossier(session, settings, datetime(2026, 3, 2, 9, tzinfo=HANOI))
        request_supplement(session, first, reason="Thiếu hợp đồng",
                           at=datetime(2026, 3, 5, 9, tzinfo=HANOI), actor="clerk")  # fmt: skip
        assert _warnings(session, first) == []
        receive_supplement(session, first, at=datetime(2026, 3, 6, 9, tzinfo=HANOI),
                           actor="clerk", zone=HANOI, calendar=get_calendar())  # fmt: skip
        request_supplement(session, first, reason="Thiếu bản đồ",
                           at=datetime(2026, 3, 9, 9, tzinfo=HANOI), actor="clerk")  # fmt: skip
        (repeated,) = _warnings(session, first)
        assert repeated["repeated"] is True and repeated["request"] == 2
        late = _dossier(session, settings, datetime(2026, 3, 2, 9, tzinfo=HANOI))
        request_supplement(session, late, reason="Thiếu hợp đồng",
                           at=datetime(2026, 3, 6, 9, tzinfo=HANOI), actor="clerk")  # fmt: skip
        (warned,) = _warnings(session, late)
        assert warned["late"] is True and warned["working_days_after_receipt"] == 4


def test_end_states_need_a_reason_and_end_the_dossier_once(
    database: Database, settings: Settings
) -> None:
    at = datetime(2026, 3, 3, 9, tzinfo=HANOI)
    with database.session() as session:
        dossier = _dossier(session, settings, datetime(2026, 3, 2, 9, tzinfo=HANOI))
        with pytest.raises(InvalidRequest, match="say why"):
            end_dossier(session, dossier, state=DossierStatus.REFUSED, reason=" ", at=at,
                        actor="clerk")  # fmt: skip
        with pytest.raises(InvalidRequest, match="not an end state"):
            end_dossier(session, dossier, state=DossierStatus.RETURNED, reason="x", at=at,
                        actor="clerk")  # fmt: skip
        end_dossier(session, dossier, state=DossierStatus.STOPPED, reason="Có tranh chấp đất",
                    at=at, actor="clerk")  # fmt: skip
        assert (dossier.status, dossier.ended_at, dossier.end_reason) == (
            DossierStatus.STOPPED,
            at,
            "Có tranh chấp đất",
        )
        with pytest.raises(InvalidRequest, match="already ended"):
            end_dossier(session, dossier, state=DossierStatus.WITHDRAWN, reason="x", at=at,
                        actor="clerk")  # fmt: skip
        with pytest.raises(InvalidRequest, match="already finished"):
            finish_dossier(session, dossier, at=at, actor="clerk")
        with pytest.raises(InvalidRequest, match="is finished"):
            request_supplement(session, dossier, reason="x", at=at, actor="clerk")


def test_the_apology_may_be_sent_a_working_day_before_and_the_backlog_flags_the_risk(
    database: Database, settings: Settings
) -> None:
    """GIVEN a land dossier due Monday 16 March (received 2 March, 10 working days) WHEN it
    is Wednesday 11 THEN an apology is too early; on Friday 13 (one working day before) the
    backlog shows it at risk and the letter may be recorded, which clears the flag."""
    with database.session() as session:
        dossier = _dossier(session, settings, datetime(2026, 3, 2, 9, tzinfo=HANOI))
        assert dossier.appointment_at == datetime(2026, 3, 16, 17, tzinfo=HANOI)
        with pytest.raises(InvalidRequest, match="too early"):
            record_apology(session, dossier, reason="Chờ đo đạc", new_date=date(2026, 3, 20),
                           at=datetime(2026, 3, 11, 9, tzinfo=HANOI), actor="clerk")  # fmt: skip
        friday = datetime(2026, 3, 13, 9, tzinfo=HANOI)
        (item,) = backlog(session, now=friday, zone=HANOI, calendar=get_calendar())
        assert (item.state, item.at_risk, item.apology_due) == (DUE_SOON, True, False)
        record_apology(session, dossier, reason="Chờ đo đạc", new_date=date(2026, 3, 20),
                       at=friday, actor="clerk")  # fmt: skip
        session.flush()
        (after,) = backlog(session, now=friday, zone=HANOI, calendar=get_calendar())
        assert not after.at_risk


def test_a_dossier_is_judged_by_the_one_stop_rules_in_force_the_day_it_was_received(
    database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN Decree 61/2018's rules read otherwise than Decree 118/2025's (5 working days to
    ask a supplement, an apology only from the appointment day) WHEN dossiers received on
    30 June 2025 and on 1 July 2025 go the same way THEN each is judged by its own version,
    also after 1 July: the first's supplement asked after 4 working days is in time, the
    second's late; the first's apology a working day before is too early, the second's
    allowed."""
    old, new = onestop.RULE_SETS
    changed = dataclasses.replace(old, supplement_working_days=5, apology_working_days_before=0)
    monkeypatch.setattr(onestop, "RULE_SETS", (changed, new))
    with database.session() as session:
        before = _dossier(session, settings, datetime(2025, 6, 30, 9, tzinfo=HANOI))
        after = _dossier(session, settings, datetime(2025, 7, 1, 9, tzinfo=HANOI))
        assert (before.rules, after.rules) == ("ND61-2018", "ND118-2025")
        for dossier, day in ((before, 4), (after, 7)):  # 4 working days after each
            request_supplement(session, dossier, reason="Thiếu hợp đồng", actor="clerk",
                               at=datetime(2025, 7, day, 9, tzinfo=HANOI))  # fmt: skip
            receive_supplement(session, dossier, at=datetime(2025, 7, day, 10, tzinfo=HANOI),
                               actor="clerk", zone=HANOI, calendar=get_calendar())  # fmt: skip
        assert _warnings(session, before) == []
        (late,) = _warnings(session, after)
        assert (late["late"], late["allowed_working_days"]) == (True, 3)
        for dossier in (before, after):  # a working day before each appointment
            assert dossier.appointment_at is not None
            due = dossier.appointment_at.astimezone(HANOI)
            at = due.replace(hour=9) - timedelta(days=1)
            while not get_calendar().is_working_day(at.date()):
                at -= timedelta(days=1)
            if dossier is before:
                with pytest.raises(InvalidRequest, match="too early"):
                    record_apology(session, dossier, reason="Chờ đo đạc", at=at, actor="c",
                                   new_date=date(2025, 7, 30))  # fmt: skip
            else:
                record_apology(session, dossier, reason="Chờ đo đạc", at=at, actor="c",
                               new_date=date(2025, 7, 30))  # fmt: skip


def test_refuse_withdraw_and_stop_commands_end_a_dossier(settings: Settings) -> None:
    runner = CliRunner()
    codes = [
        open_dossier(
            settings,
            procedure_code="1.001193",
            applicant_name="Hà Văn Long",
            applicant_id_number=None,
            unit_code="xa-a",
            actor="test",
        )
        for _ in range(3)
    ]
    for code, verb in zip(codes, ("refuse", "withdraw", "stop"), strict=True):
        done = runner.invoke(main, ["dossier", verb, code, "--reason", "Hồ sơ không hợp lệ"])
        assert done.exit_code == 0, done.output
    again = runner.invoke(main, ["dossier", "refuse", codes[0], "--reason", "x"])
    assert again.exit_code == 2 and "already ended" in again.output
    second = open_dossier(settings, procedure_code="1.001193", applicant_name="Hà Văn Long",
                          applicant_id_number=None, unit_code="xa-a", actor="test")  # fmt: skip
    assert runner.invoke(main, ["dossier", "supplement", second, "--reason", "a"]).exit_code == 0
    assert runner.invoke(main, ["dossier", "resume", second]).exit_code == 0
    warned = runner.invoke(main, ["dossier", "supplement", second, "--reason", "b"])
    assert warned.exit_code == 0 and "lần 2" in warned.output
    with open_database(settings).session() as session:
        states = [get_dossier(session, c).status for c in codes]
    assert states == [DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED]
