"""The processing clock: appointments pushed by waits for the citizen's supplement (counted
in working days, Tết included), and the backlog of overdue and due dossiers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from config.calendar import get_calendar
from config.catalogue import get_catalogue
from config.errors import InvalidRequest
from config.settings import Settings
from storage.backlog import DUE_SOON, OVERDUE, WAITING, backlog
from storage.db import Database
from storage.deadlines import receive_supplement, record_apology, request_supplement
from storage.documents import add_document
from storage.dossiers import finish_dossier, receive_dossier
from storage.enums import SignatureState
from storage.models import Dossier, Event, SignatureRequest

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _dossier(
    session: Session, settings: Settings, procedure: str, at: datetime, unit: str = "demo"
) -> Dossier:
    return receive_dossier(
        session,
        settings,
        procedure=get_catalogue().procedure(procedure),
        applicant_name="Vũ Văn Hải",
        applicant_id_number=None,
        unit_code=unit,
        received_at=at,
        actor="clerk",
    )


def test_a_wait_over_tet_pushes_the_appointment_by_the_working_days_waited(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        # land transfer, 10 working days, received Tuesday 10 February 2026 at 09:00
        dossier = _dossier(session, settings, "1.004227", datetime(2026, 2, 10, 9, tzinfo=HANOI))
        # 11, 12, 13 February, then Tết (16-20) and the weekends, then 23 Feb to 3 March
        assert dossier.appointment_at == datetime(2026, 3, 3, 17, tzinfo=HANOI)
        request_supplement(session, dossier, reason="Thiếu hợp đồng công chứng",
                           at=datetime(2026, 2, 12, 10, tzinfo=HANOI), actor="clerk")  # fmt: skip
        with pytest.raises(InvalidRequest, match="already waits"):
            request_supplement(session, dossier, reason="x", at=datetime(2026, 2, 12, 11,
                               tzinfo=HANOI), actor="clerk")  # fmt: skip
        pause = receive_supplement(
            session, dossier, at=datetime(2026, 2, 24, 8, tzinfo=HANOI), actor="clerk",
            zone=HANOI, calendar=get_calendar(),
        )  # fmt: skip
        # waited 13 February, 23 and 24 February: three working days
        assert pause.working_days == 3
        assert dossier.appointment_at == datetime(2026, 3, 6, 17, tzinfo=HANOI)
        with pytest.raises(InvalidRequest, match="not waiting"):
            receive_supplement(session, dossier, at=datetime(2026, 2, 25, tzinfo=HANOI),
                               actor="clerk", zone=HANOI, calendar=get_calendar())  # fmt: skip
        finish_dossier(session, dossier, at=datetime(2026, 3, 6, 16, tzinfo=HANOI), actor="c")
        kinds = [e.kind for e in session.query(Event).filter_by(dossier_id=dossier.id)]
    assert kinds == [
        "dossier.received", "dossier.supplement_requested", "dossier.supplement_received",
        "dossier.returned",
    ]  # fmt: skip


def test_the_backlog_lists_overdue_due_and_waiting_dossiers_per_unit_and_leader(
    database: Database, settings: Settings
) -> None:
    now = datetime(2026, 3, 10, 9, tzinfo=HANOI)  # Tuesday
    with database.session() as session:
        # birth registration, same day: received Friday 6 March 16:00 (after the 15:00
        # cut-off) -> due Monday 9
        late = _dossier(session, settings, "1.001193", datetime(2026, 3, 6, 16, tzinfo=HANOI))
        # received today, Tuesday 10 March 08:00 -> due today at 17:00
        due = _dossier(session, settings, "1.001193", datetime(2026, 3, 10, 8, tzinfo=HANOI),
                      "phuong-an-khanh")  # fmt: skip
        # business registration, 3 working days: due Friday 13 March, not yet listed
        far = _dossier(session, settings, "1.001612", datetime(2026, 3, 10, 8, tzinfo=HANOI))
        waiting = _dossier(session, settings, "1.001193", datetime(2026, 3, 2, 9, tzinfo=HANOI))
        request_supplement(session, waiting, reason="Thiếu giấy chứng sinh",
                           at=datetime(2026, 3, 2, 10, tzinfo=HANOI), actor="clerk")  # fmt: skip
        done = _dossier(session, settings, "1.001193", datetime(2026, 3, 2, 9, tzinfo=HANOI))
        finish_dossier(session, done, at=datetime(2026, 3, 5, tzinfo=HANOI), actor="clerk")
        session.add(SignatureRequest(
            document_id=_result_document(session, late), dossier_id=late.id, position=0,
            role="leader", profile="chu-tich", signer_name="Nguyễn Văn An", level="B-B",
            status=SignatureState.QUEUED, requested_by="clerk",
        ))  # fmt: skip
        session.flush()
        items = backlog(session, now=now, zone=HANOI, calendar=get_calendar())
        assert [(i.code, i.state) for i in items] == [
            (late.code, OVERDUE), (due.code, DUE_SOON), (waiting.code, WAITING),
        ]  # fmt: skip
        assert far.code not in {i.code for i in items}
        first = items[0]
        assert first.overdue_working_days == 1  # Tuesday 10 March
        assert first.leader == "Nguyễn Văn An" and first.apology_due
        by_leader = backlog(session, now=now, zone=HANOI, calendar=get_calendar(),
                            leader="Nguyễn Văn An")  # fmt: skip
        assert [i.code for i in by_leader] == [late.code]
        by_unit = backlog(session, now=now, zone=HANOI, calendar=get_calendar(),
                          unit="phuong-an-khanh")  # fmt: skip
        assert [i.code for i in by_unit] == [due.code]
        with pytest.raises(InvalidRequest, match="too early"):  # due Friday: 3 working days
            record_apology(session, far, reason="x", new_date=date(2026, 3, 16), at=now,
                           actor="clerk")  # fmt: skip
        record_apology(session, late, reason="Chờ xác minh", new_date=date(2026, 3, 12), at=now,
                       actor="clerk")  # fmt: skip
        session.flush()
        again = backlog(session, now=now, zone=HANOI, calendar=get_calendar())
        assert not again[0].apology_due and again[0].state == OVERDUE


def _result_document(session: Session, dossier: Dossier) -> int:
    document, _ = add_document(
        session,
        dossier, filename="kq.pdf", sha256="c" * 64, size=1, media_type="application/pdf",
        actor="clerk",
    )  # fmt: skip
    return document.id


def test_a_finished_dossier_cannot_be_paused(database: Database, settings: Settings) -> None:
    with database.session() as session:
        dossier = _dossier(session, settings, "1.001193", datetime(2026, 3, 2, 2, tzinfo=UTC))
        finish_dossier(session, dossier, at=datetime(2026, 3, 2, 8, tzinfo=UTC), actor="c")
        with pytest.raises(InvalidRequest, match="finished"):
            request_supplement(session, dossier, reason="x", at=datetime(2026, 3, 3, tzinfo=UTC),
                               actor="clerk")  # fmt: skip
