"""Appointment dates and the clock of a dossier: a procedure's processing time counted in
working days, working hours, calendar days or the same day with a cut-off, stopped while the
office waits for the citizen's supplement."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import defaults
from config.calendar import WorkingCalendar, get_calendar
from config.catalogue import Procedure
from config.errors import InvalidRequest
from config.onestop import OneStopRules, rules_in_force, rules_named
from config.settings import get_settings
from storage.enums import DossierStatus, EventKind
from storage.events import append_event
from storage.models import Dossier, DossierPause
from storage.types import iso_or_none

log = logging.getLogger(__name__)

RETURN_TIME = time(17, 0)
"""Results are promised by the end of the office's working day."""

CLOSED = (DossierStatus.RETURNED, DossierStatus.ARCHIVED, DossierStatus.CANCELLED)
"""States in which the clock no longer runs: the result was given (or the dossier dropped)."""


def deadline_for(
    received_at: datetime,
    procedure: Procedure,
    zone: ZoneInfo,
    calendar: WorkingCalendar,
    *,
    remote: bool = False,
    rules: OneStopRules | None = None,
) -> datetime:
    """The appointment for a dossier of `procedure` received at `received_at`, counted as
    its catalogue entry says (config.catalogue.Deadline): working days, working hours,
    calendar days (a last day off moves to the next working day), or the same day with a
    cut-off (the procedure's, else that of the rules in force that day; received after it,
    or on a day off: the next working day); then the working days added for a remote unit
    and the periods the law leaves out."""
    deadline, local = procedure.deadline, received_at.astimezone(zone)
    if deadline.unit == "working_hours":
        assert deadline.hours is not None
        due = add_working_hours(local, deadline.hours, calendar)
    elif deadline.unit == "calendar_days":
        day = calendar.next_working_day(
            local.date() + timedelta(days=procedure.processing_days), include_today=True
        )
        due = datetime.combine(day, RETURN_TIME, tzinfo=zone)
    elif deadline.unit == "same_day":
        rules = rules or rules_in_force(local.date())
        cutoff = _clock(deadline.cutoff or rules.same_day_cutoff)
        late = local.time() > cutoff or not calendar.is_working_day(local.date())
        day = calendar.next_working_day(local.date()) if late else local.date()
        due = datetime.combine(calendar.next_working_day(day, include_today=True), RETURN_TIME,
                               tzinfo=zone)  # fmt: skip
    else:
        due = appointment_for(received_at, procedure.processing_days, zone, calendar)
    extra = deadline.remote_extra_days if remote else 0
    extra += sum(p.days for p in deadline.excluded if not p.calendar_days)
    calendar_extra = sum(p.days for p in deadline.excluded if p.calendar_days)
    if extra or calendar_extra:
        day = calendar.add_working_days(due.astimezone(zone).date(), extra)
        day = calendar.next_working_day(day + timedelta(days=calendar_extra), include_today=True)
        due = datetime.combine(day, max(due.astimezone(zone).time(), RETURN_TIME), tzinfo=zone)
    return due


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def add_working_hours(start: datetime, hours: int, calendar: WorkingCalendar) -> datetime:
    """The moment `hours` working hours after `start`, counting only the office's working
    hours (config.defaults.WORKING_HOURS) on working days."""
    spans = [(_clock(a), _clock(b)) for a, b in defaults.WORKING_HOURS]
    left, moment = timedelta(hours=hours), start
    while True:
        if calendar.is_working_day(moment.date()):
            for begin, end in spans:
                opens = moment.replace(hour=begin.hour, minute=begin.minute, second=0,
                                       microsecond=0)  # fmt: skip
                closes = moment.replace(hour=end.hour, minute=end.minute, second=0,
                                        microsecond=0)  # fmt: skip
                if moment >= closes:
                    continue
                moment = max(moment, opens)
                if moment + left <= closes:
                    return moment + left
                left -= closes - moment
                moment = closes
        following = calendar.next_working_day(moment.date())
        moment = datetime.combine(following, time(0), tzinfo=moment.tzinfo)


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
    session: Session,
    dossier: Dossier,
    *,
    reason: str,
    at: datetime,
    actor: str,
    calendar: WorkingCalendar | None = None,
    zone: ZoneInfo | None = None,
) -> DossierPause:
    """The office asks the citizen to supplement the dossier: its clock stops at `at`.

    The rule (procedure texts of 2025 under Decree 118/2025/NĐ-CP) is one request, within
    the working days of receipt the dossier's own rules say (config.onestop: the version in
    force when it was received; today 3). A later or a second request is still recorded
    (the citizen must be told), but warned and logged as `dossier.supplement_late`; the
    national portal counts a second request as late."""
    if dossier.status in CLOSED or dossier.finished_at or dossier.ended_at:
        raise InvalidRequest(f"dossier {dossier.code} is finished ({dossier.status})")
    if open_pause(session, dossier.id) is not None:
        raise InvalidRequest(f"dossier {dossier.code} already waits for a supplement")
    if not reason.strip():
        raise InvalidRequest("say what the citizen must supplement")
    pause = DossierPause(
        dossier_id=dossier.id, reason=reason.strip(), paused_at=at, paused_by=actor
    )
    earlier = session.scalar(
        select(func.count()).select_from(DossierPause).where(DossierPause.dossier_id == dossier.id)
    )
    zone = zone or get_settings().zone
    days = (calendar or get_calendar()).working_days_between(
        dossier.received_at.astimezone(zone).date(), at.astimezone(zone).date()
    )
    session.add(pause)
    dossier.status = DossierStatus.SUPPLEMENT_REQUESTED
    number = (earlier or 0) + 1
    append_event(
        session,
        EventKind.SUPPLEMENT_REQUESTED,
        actor=actor,
        dossier_id=dossier.id,
        data={"reason": pause.reason, "paused_at": at.isoformat(), "request": number},
    )
    allowed = rules_named(dossier.rules).supplement_working_days
    late = days > allowed
    if late or number > 1:
        log.warning("supplement request %d of %s, %d working days after receipt",
                    number, dossier.code, days)  # fmt: skip
        append_event(
            session, EventKind.SUPPLEMENT_LATE, actor=actor, dossier_id=dossier.id,
            data={"request": number, "working_days_after_receipt": days, "late": late,
                  "repeated": number > 1, "allowed_working_days": allowed,
                  "rules": dossier.rules},
        )  # fmt: skip
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
    calendar: WorkingCalendar | None = None,
    zone: ZoneInfo | None = None,
) -> None:
    """The apology letter with a new date was given ("Phiếu xin lỗi và hẹn lại ngày trả kết
    quả", form 04 of Circular 03/2025/TT-VPCP as reported): the reason and the new date are
    logged. Decree 118/2025/NĐ-CP has it sent before the deadline is missed, so it is
    allowed from the working days before the appointment the dossier's own rules say
    (config.onestop; today config.defaults.APOLOGY_WORKING_DAYS_BEFORE) on, and after it.
    The figures still judge the dossier by its appointment."""
    before = rules_named(dossier.rules).apology_working_days_before
    if dossier.appointment_at is None or not apology_window_open(
        dossier.appointment_at, at, calendar or get_calendar(), zone or get_settings().zone,
        before=before,
    ):  # fmt: skip
        raise InvalidRequest(
            f"dossier {dossier.code} is not due within {before} working day(s): "
            "too early for an apology"
        )
    if not reason.strip():
        raise InvalidRequest("the letter must say why the result is late")
    append_event(
        session,
        EventKind.APOLOGY_SENT,
        actor=actor,
        dossier_id=dossier.id,
        data={"reason": reason.strip(), "new_date": new_date.isoformat(), "at": at.isoformat()},
    )


def apology_window_open(
    appointment: datetime,
    now: datetime,
    calendar: WorkingCalendar,
    zone: ZoneInfo,
    *,
    before: int = defaults.APOLOGY_WORKING_DAYS_BEFORE,
) -> bool:
    """Whether an apology letter may be written now: the appointment has passed, or falls
    within `before` working days of today (the dossier's rules, config.onestop)."""
    if now > appointment:
        return True
    due, today = appointment.astimezone(zone).date(), now.astimezone(zone).date()
    return calendar.working_days_between(today, due) <= before
