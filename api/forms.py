"""The office's forms of a dossier (01 to 06) and a unit's tracking book (07), built from the
dossier rows and the event log and drawn by digitize.forms (the receipt, 01, by
api.receipts and digitize.receipt).

DOMAIN: numbering and content follow secondary sources on Circular 03/2025/TT-VPCP (see
digitize.forms).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from api.receipts import agency_name, dateline_place, dossier_receipt
from config import labels
from config.catalogue import get_catalogue
from config.errors import InvalidRequest, UnknownUnit
from config.settings import Settings
from config.units import find_unit
from digitize.forms import (
    Apology,
    BookRow,
    ControlSlip,
    FormHead,
    Notice,
    Step,
    TrackingBook,
    apology_pdf,
    control_slip_pdf,
    refusal_pdf,
    stopping_notice_pdf,
    supplement_request_pdf,
    tracking_book_pdf,
)
from storage.db import open_database
from storage.dossiers import get_dossier
from storage.enums import DossierStatus, EventKind
from storage.events import events_of_dossier
from storage.models import Dossier, Event

FORMS = ("01", "02", "03", "04", "05", "06")
"""The forms of one dossier `sohoa dossier form` prints: 01 receipt, 02 supplement request,
03 refusal, 04 apology with a new date, 05 notice of stopping, 06 control slip."""


_NOTICE_KINDS: dict[str, tuple[EventKind, str | None, Callable[..., bytes]]] = {
    "02": (EventKind.SUPPLEMENT_REQUESTED, None, supplement_request_pdf),
    "03": (EventKind.DOSSIER_ENDED, DossierStatus.REFUSED.value, refusal_pdf),
    "04": (EventKind.APOLOGY_SENT, None, apology_pdf),
    "05": (EventKind.DOSSIER_ENDED, DossierStatus.STOPPED.value, stopping_notice_pdf),
}
"""Per notice: the event it reports (and its end state), and the form drawing it."""


def _unit_name(code: str) -> str:
    try:
        return find_unit(get_catalogue().units, code).name
    except UnknownUnit:
        return code


def _head(settings: Settings, unit_code: str, day: date) -> FormHead:
    agency = agency_name(settings, unit_code)
    if agency == unit_code:  # no leader's profile names it: the unit register does
        agency = _unit_name(unit_code)
    return FormHead(agency=agency, place=dateline_place(agency), day=day)


def _at(value: Any, zone: ZoneInfo) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(zone) if value else None


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    return moment.astimezone(zone) if moment else None


def dossier_form(settings: Settings, code: str, form: str) -> bytes:
    """Form 01 to 06 of a dossier as an A4 PDF. InvalidRequest for another number, or when
    the dossier has no event the notice reports (no supplement asked, no apology recorded,
    not refused, not stopped)."""
    if form not in FORMS:
        raise InvalidRequest(f"form {form!r} is not one of {', '.join(FORMS)}")
    if form == "01":
        return dossier_receipt(settings, code)
    zone = settings.zone
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        events = events_of_dossier(session, dossier.id)
        procedure = get_catalogue().procedure(dossier.procedure_code).name
        if form == "06":
            slip = ControlSlip(
                head=_head(settings, dossier.unit_code, datetime.now(zone).date()),
                dossier_code=dossier.code,
                applicant=dossier.applicant_name,
                procedure=procedure,
                steps=tuple(control_steps(dossier, events, zone)),
            )
            return control_slip_pdf(slip)
        kind, state, draw = _NOTICE_KINDS[form]
        found = [e for e in events if e.kind == kind.value and e.data.get("state") == state]
        if not found:
            raise InvalidRequest(f"dossier {code} has no {kind.value} event for form {form}")
        event = found[-1]
        notice = Notice(
            head=_head(settings, dossier.unit_code, event.at.astimezone(zone).date()),
            dossier_code=dossier.code,
            applicant=dossier.applicant_name,
            procedure=procedure,
            received_at=dossier.received_at.astimezone(zone),
            reason=str(event.data["reason"]),
            signer=event.actor,
        )
        if form == "04":
            new_date = date.fromisoformat(event.data["new_date"])
            return apology_pdf(Apology(notice, _local(dossier.appointment_at, zone), new_date))
    return draw(notice)


@dataclass
class _Walk:
    """Where the dossier is while its events are read in order."""

    zone: ZoneInfo
    citizen: str
    receiver: str
    holder: str
    due: datetime | None = None


def _received(walk: _Walk, data: dict[str, Any], at: datetime) -> Step:
    walk.due = _at(data.get("appointment_at"), walk.zone)
    return Step(walk.citizen, walk.receiver, at, walk.due, labels.CONTROL_STEPS["received"])


def _routed(walk: _Walk, data: dict[str, Any], at: datetime) -> Step:
    before, walk.holder = walk.holder, _unit_name(data["to"])
    reason = f": {data['reason']}" if data.get("reason") else ""
    return Step(before, walk.holder, at, walk.due, labels.CONTROL_STEPS["routed"] + reason)


def _supplement_asked(walk: _Walk, data: dict[str, Any], at: datetime) -> Step:
    asked = labels.CONTROL_STEPS["supplement_asked"].format(reason=data["reason"])
    return Step(walk.holder, walk.citizen, at, walk.due, asked)


def _supplement_received(walk: _Walk, data: dict[str, Any], at: datetime) -> Step:
    walk.due = _at(data.get("appointment_at"), walk.zone)
    return Step(
        walk.citizen, walk.holder, at, walk.due, labels.CONTROL_STEPS["supplement_received"]
    )


def _apology(walk: _Walk, data: dict[str, Any], at: datetime) -> Step:
    new = date.fromisoformat(data["new_date"])
    result = labels.CONTROL_STEPS["apology"].format(
        new_date=f"{new:%d/%m/%Y}", reason=data["reason"]
    )
    return Step(walk.holder, walk.citizen, at, walk.due, result)


def _processed(walk: _Walk, data: dict[str, Any], at: datetime) -> Step:
    late = walk.due is not None and at > walk.due
    result = labels.CONTROL_STEPS["processed_late" if late else "processed_on_time"]
    return Step(walk.holder, walk.receiver, at, walk.due, result)


def _ended(walk: _Walk, data: dict[str, Any], at: datetime) -> Step:
    result = f"{labels.BOOK_STATES[data['state']]}: {data['reason']}"
    return Step(walk.holder, walk.citizen, at, walk.due, result)


def _returned(walk: _Walk, data: dict[str, Any], at: datetime) -> Step:
    result = labels.CONTROL_STEPS["returned_on_time" if data.get("on_time") else "returned_late"]
    return Step(walk.receiver, walk.citizen, at, walk.due, result)


_HAND_OVERS: dict[str, tuple[str, Callable[[_Walk, dict[str, Any], datetime], Step]]] = {
    EventKind.DOSSIER_RECEIVED.value: ("received_at", _received),
    EventKind.DOSSIER_ROUTED.value: ("at", _routed),
    EventKind.SUPPLEMENT_REQUESTED.value: ("paused_at", _supplement_asked),
    EventKind.SUPPLEMENT_RECEIVED.value: ("resumed_at", _supplement_received),
    EventKind.APOLOGY_SENT.value: ("at", _apology),
    EventKind.DOSSIER_PROCESSED.value: ("processed_at", _processed),
    EventKind.DOSSIER_ENDED.value: ("ended_at", _ended),
    EventKind.DOSSIER_RETURNED.value: ("finished_at", _returned),
}
"""The events that hand the dossier over: the field of their moment (the event's own time
when missing) and the control slip's row they make. Other events hand nothing over."""


def control_steps(dossier: Dossier, events: list[Event], zone: ZoneInfo) -> list[Step]:
    """The control slip's rows: each hand-over the event log records, in order."""
    receiver = labels.CONTROL_STEPS["receiver"].format(unit=_unit_name(dossier.unit_code))
    citizen = labels.CONTROL_STEPS["citizen"].format(name=dossier.applicant_name)
    walk = _Walk(zone, citizen, receiver, receiver)
    steps = []
    for event in events:
        if event.kind not in _HAND_OVERS:
            continue
        field, make = _HAND_OVERS[event.kind]
        at = _at(event.data.get(field), zone) or event.at.astimezone(zone)
        steps.append(make(walk, event.data, at))
    return steps


def tracking_book(settings: Settings, unit: str, start: date, end: date) -> bytes:
    """Form 07: the dossiers a unit received or resolves, received from start to end
    (whole days, office time), oldest first, as an A4 PDF."""
    if end < start:
        raise InvalidRequest(f"the period ends ({end}) before it starts ({start})")
    zone = settings.zone
    find_unit(get_catalogue().units, unit)
    since = datetime.combine(start, time(), zone)
    until = datetime.combine(end + timedelta(days=1), time(), zone)
    query = (
        select(Dossier)
        .where(or_(Dossier.unit_code == unit, Dossier.competent_unit_code == unit))
        .where(Dossier.received_at >= since, Dossier.received_at < until)
        .order_by(Dossier.received_at, Dossier.id)
    )
    catalogue = get_catalogue()
    with open_database(settings).session(readonly=True) as session:
        rows = tuple(
            BookRow(
                dossier_code=d.code,
                applicant=d.applicant_name,
                procedure=catalogue.procedure(d.procedure_code).name,
                received_at=d.received_at.astimezone(zone),
                appointment=_local(d.appointment_at, zone),
                finished_at=_local(d.finished_at or d.ended_at, zone),
                status=labels.BOOK_STATES.get(d.status, str(d.status)),
            )
            for d in session.scalars(query)
        )
    return tracking_book_pdf(TrackingBook(_head(settings, unit, end), start, end, rows))
