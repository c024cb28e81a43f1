"""The backlog: open dossiers due within a working day or already overdue, by unit and by
the leader who signs them, with the apology letter an overdue dossier owes its citizen and
the dossiers at risk (inside the apology window, not processed yet)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.calendar import WorkingCalendar
from config.onestop import rules_named
from storage.deadlines import CLOSED, apology_window_open
from storage.enums import DossierStatus, EventKind
from storage.models import Dossier, Event, SignatureRequest

ENDED = (DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED)
DUE_SOON = "due_soon"
OVERDUE = "overdue"
WAITING = "waiting_supplement"


@dataclass(frozen=True)
class BacklogItem:
    """One open dossier the office must act on."""

    code: str
    unit: str
    procedure: str
    applicant: str
    status: str
    appointment_at: datetime
    state: str
    """due_soon (appointment by the end of the next working day), overdue, or
    waiting_supplement (the clock is stopped; listed so it is not forgotten)."""
    overdue_working_days: int
    leader: str | None
    """Name of the leader asked to sign its result; None until one is asked."""
    apology_due: bool
    """Overdue and no apology letter recorded yet."""
    at_risk: bool = False
    """Not overdue yet but inside the apology window (the working days before the
    appointment its own one-stop rules give, config.onestop), not processed and
    no letter recorded: the letter may be sent now, before the deadline is missed."""

    def to_dict(self, zone: ZoneInfo) -> dict[str, Any]:
        """JSON-ready, the appointment in the office's time zone."""
        data = asdict(self)
        data["appointment_at"] = self.appointment_at.astimezone(zone).isoformat()
        return data


def backlog(
    session: Session,
    *,
    now: datetime,
    zone: ZoneInfo,
    calendar: WorkingCalendar,
    unit: str | None = None,
    leader: str | None = None,
) -> list[BacklogItem]:
    """Open dossiers overdue, due by the end of the next working day, or waiting for a
    supplement, most urgent first; of one unit and/or one leader's (by name) if given."""
    today = now.astimezone(zone).date()
    horizon = calendar.next_working_day(today)
    stmt = select(Dossier).where(
        Dossier.status.not_in((*CLOSED, *ENDED)),
        Dossier.finished_at.is_(None),
        Dossier.appointment_at.is_not(None),
    )
    if unit is not None:
        stmt = stmt.where(Dossier.unit_code == unit)
    dossiers = list(session.scalars(stmt))
    ids = [d.id for d in dossiers]
    leaders = _leaders(session, ids)
    apologised = _apologised(session, ids)
    items = []
    for d in dossiers:
        assert d.appointment_at is not None
        due_day = d.appointment_at.astimezone(zone).date()
        if d.status is DossierStatus.SUPPLEMENT_REQUESTED:
            state = WAITING
        elif d.appointment_at < now:
            state = OVERDUE
        elif due_day <= horizon:
            state = DUE_SOON
        else:
            continue
        name = leaders.get(d.id)
        if leader is not None and name != leader:
            continue
        late = calendar.working_days_between(due_day, today) if state == OVERDUE else 0
        items.append(
            BacklogItem(
                code=d.code,
                unit=d.unit_code,
                procedure=d.procedure_code,
                applicant=d.applicant_name,
                status=d.status.value,
                appointment_at=d.appointment_at,
                state=state,
                overdue_working_days=late,
                leader=name,
                apology_due=state == OVERDUE and d.id not in apologised,
                at_risk=state == DUE_SOON
                and d.processed_at is None
                and d.id not in apologised
                and apology_window_open(
                    d.appointment_at,
                    now,
                    calendar,
                    zone,
                    before=rules_named(d.rules).apology_working_days_before,
                ),
            )
        )
    order = {OVERDUE: 0, DUE_SOON: 1, WAITING: 2}
    return sorted(items, key=lambda i: (order[i.state], i.appointment_at, i.code))


def _leaders(session: Session, dossier_ids: Sequence[int]) -> dict[int, str]:
    """The leader asked to sign each dossier's result (the latest request's)."""
    found: dict[int, str] = {}
    if not dossier_ids:
        return found
    rows = session.execute(
        select(SignatureRequest.dossier_id, SignatureRequest.signer_name)
        .where(SignatureRequest.dossier_id.in_(dossier_ids), SignatureRequest.role == "leader")
        .order_by(SignatureRequest.id)
    )
    for dossier_id, name in rows:
        found[dossier_id] = name
    return found


def _apologised(session: Session, dossier_ids: Sequence[int]) -> set[int]:
    if not dossier_ids:
        return set()
    found = session.scalars(
        select(Event.dossier_id).where(
            Event.kind == EventKind.APOLOGY_SENT.value, Event.dossier_id.in_(dossier_ids)
        )
    )
    return {dossier_id for dossier_id in found if dossier_id is not None}
