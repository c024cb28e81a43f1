"""Appointment dates and the clock of a dossier: a procedure's processing time counted in
working days, stopped while the office waits for the citizen's supplement."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.calendar import WorkingCalendar
from config.errors import InvalidRequest
from storage.enums import DossierStatus, EventKind
from storage.events import append_event
from storage.models import Dossier, DossierPause
from storage.types import iso_or_none

RETURN_TIME = time(17, 0)
"""Results are promised by the end of the office's working day."""

CLOSED = (DossierStatus.RETURNED, DossierStatus.ARCHIVED, DossierStatus.CANCELLED)
"""States in which the clock no longer runs: the result was given (or the dossier dropped)."""


def appointment_for(
    received_at: datetime, working_days: int, zone: ZoneInfo, calendar: WorkingCalendar
) -> datetime:
    """The end of the working day `working_days` after reception, skipping weekends, public
    holidays (Tết included) and announced days off; zero days means the same working day."""
    day = calendar.add_working_days(received_at.astimezone(zone).date(), working_days)
    return datetime.combine(day, RETURN_TIME, tzinfo=zone)


def open_pause(session: Session, dossier_id: int) -> DossierPause | None:
    """The dossier's wait for a supplement that has not ended, if any."""
    return session.scalars(
        select(DossierPause).where(
            DossierPause.dossier_id == dossier_id, DossierPause.resumed_at.is_(None)
        )
    ).one_or_none()


def request_supplement(
    session: Session, dossier: Dossier, *, reason: str, at: datetime, actor: str
) -> DossierPause:
    """The office asks the citizen to supplement the dossier: its clock stops at `at`."""
    if dossier.status in CLOSED or dossier.finished_at is not None:
        raise InvalidRequest(f"dossier {dossier.code} is finished ({dossier.status})")
    if open_pause(session, dossier.id) is not None:
        raise InvalidRequest(f"dossier {dossier.code} already waits for a supplement")
    if not reason.strip():
        raise InvalidRequest("say what the citizen must supplement")
    pause = DossierPause(
        dossier_id=dossier.id, reason=reason.strip(), paused_at=at, paused_by=actor
    )
    session.add(pause)
    dossier.status = DossierStatus.SUPPLEMENT_REQUESTED
    append_event(
        session,
        EventKind.SUPPLEMENT_REQUESTED,
        actor=actor,
        dossier_id=dossier.id,
        data={"reason": pause.reason, "paused_at": at.isoformat()},
    )
    return pause


def receive_supplement(
    session: Session,
    dossier: Dossier,
    *,
    at: datetime,
    actor: str,
    zone: ZoneInfo,
    calendar: WorkingCalendar,
) -> DossierPause:
    """The citizen brought what was missing: the clock runs again, and the appointment moves
    by the working days waited, in (day paused, day resumed] (a same-day supplement moves it
    by none)."""
    pause = open_pause(session, dossier.id)
    if pause is None:
        raise InvalidRequest(f"dossier {dossier.code} is not waiting for a supplement")
    if at < pause.paused_at:
        raise InvalidRequest("a supplement cannot arrive before it was asked for")
    days = calendar.working_days_between(
        pause.paused_at.astimezone(zone).date(), at.astimezone(zone).date()
    )
    pause.resumed_at, pause.resumed_by, pause.working_days = at, actor, days
    previous = dossier.appointment_at
    if previous is not None:
        day = calendar.add_working_days(previous.astimezone(zone).date(), days)
        dossier.appointment_at = datetime.combine(day, RETURN_TIME, tzinfo=zone)
    dossier.status = DossierStatus.PROCESSING
    append_event(
        session,
        EventKind.SUPPLEMENT_RECEIVED,
        actor=actor,
        dossier_id=dossier.id,
        data={
            "resumed_at": at.isoformat(),
            "paused_working_days": days,
            "previous_appointment_at": iso_or_none(previous),
            "appointment_at": iso_or_none(dossier.appointment_at),
        },
    )
    return pause


def record_apology(
    session: Session,
    dossier: Dossier,
    *,
    reason: str,
    new_date: date,
    at: datetime,
    actor: str,
) -> None:
    """An overdue dossier's apology letter was given (Circular 01/2018/TT-VPCP, form 05:
    "Phiếu xin lỗi và hẹn lại ngày trả kết quả"): the reason and the new date are logged.
    The on-time rate still judges the dossier by its appointment; only the letter is owed."""
    if dossier.appointment_at is None or at <= dossier.appointment_at:
        raise InvalidRequest(f"dossier {dossier.code} is not overdue")
    if not reason.strip():
        raise InvalidRequest("the letter must say why the result is late")
    append_event(
        session,
        EventKind.APOLOGY_SENT,
        actor=actor,
        dossier_id=dossier.id,
        data={"reason": reason.strip(), "new_date": new_date.isoformat(), "at": at.isoformat()},
    )
