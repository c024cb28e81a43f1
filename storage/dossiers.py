"""Dossiers and their components: reception, lookup, and what the procedure still misses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from config import onestop
from config.calendar import get_calendar
from config.catalogue import Procedure, get_catalogue
from config.errors import InvalidRequest, NotFound
from config.settings import Settings
from config.text import collapse_whitespace, nfc
from config.units import competent_for, competent_unit, holder_at_reception, receiving_unit
from storage.deadlines import CLOSED, deadline_for
from storage.dossier_codes import allocate_dossier_code
from storage.enums import Channel, ComponentState, DossierStatus, EventKind, PaymentStatus
from storage.events import append_event
from storage.models import Component, Document, Dossier
from storage.outcomes import END_STATES, national_sources
from storage.types import iso_or_none


def _check_id_number(id_number: str | None) -> str | None:
    if id_number is None:
        return None
    id_number = id_number.strip()
    if len(id_number) != 12 or not id_number.isdigit():
        raise InvalidRequest(f"personal ID number {id_number!r} must be 12 digits")
    return id_number


@dataclass(frozen=True)
class Intake:
    """How a dossier came in, what it owes and what it took from national databases: the
    facts the national portal's figures count (channel, online payment, data reuse)."""

    channel: Channel = Channel.DIRECT
    fee_amount: int | None = None
    """Fees due in đồng; None: the procedure's catalogue fee."""
    payment: PaymentStatus | None = None
    """None: unpaid when a fee is due, else none."""
    national_data: tuple[str, ...] = field(default_factory=tuple)
    """DataSource values (population, civil_status, vneid) used instead of papers."""

    def payment_for(self, fee: int) -> PaymentStatus:
        """The payment status to record for a dossier owing `fee`."""
        if self.payment is not None:
            if fee <= 0 and self.payment is not PaymentStatus.NONE:
                raise InvalidRequest("a payment is recorded but no fee is due")
            return self.payment
        return PaymentStatus.UNPAID if fee > 0 else PaymentStatus.NONE


def rules_in_force(day: date) -> str:
    """The code of the one-stop rules in force on that day (config.onestop)."""
    return onestop.rules_in_force(day).code


def receive_dossier(
    session: Session,
    settings: Settings,
    *,
    procedure: Procedure,
    applicant_name: str,
    applicant_id_number: str | None,
    unit_code: str,
    received_at: datetime,
    actor: str,
    competent_unit_code: str | None = None,
    intake: Intake | None = None,
) -> Dossier:
    """Open a dossier with a fresh national code, one component per catalogue entry.

    `unit_code` is the receiving unit: the register must let it receive, and its agency code
    (with its own daily serials) makes the dossier code. The competent unit defaults to it,
    or for a centre that only receives to its parent when the parent resolves the procedure's
    level (config.units.holder_at_reception; else the clerk must name one: UnknownUnit), and
    holds the dossier until it is routed; one named must resolve procedures of the
    procedure's level, in the receiving unit's province (NotCompetent otherwise)."""
    name = collapse_whitespace(nfc(applicant_name))
    if not name:
        raise InvalidRequest("the applicant's name is empty")
    units = get_catalogue().units
    receiver = receiving_unit(units, unit_code)
    if competent_unit_code:  # named: it must be of the procedure's level, in the province
        competent = competent_for(units, competent_unit_code, procedure.level, receiver.code)
    else:  # the receiving unit (a centre's parent) holds it until routed (any level)
        competent = holder_at_reception(units, receiver, procedure.level)
    assert receiver.agency_code is not None  # the register requires it of a receiver
    intake = intake or Intake()
    fee = procedure.fee if intake.fee_amount is None else intake.fee_amount
    if fee < 0:
        raise InvalidRequest("a fee cannot be negative")
    local_day = received_at.astimezone(settings.zone).date()
    rules = rules_in_force(local_day)
    appointment = deadline_for(received_at, procedure, settings.zone, get_calendar(),
                               remote=receiver.remote or competent.remote)  # fmt: skip
    dossier = Dossier(
        code=allocate_dossier_code(session, receiver.agency_code, local_day),
        procedure_code=procedure.code,
        applicant_name=name,
        applicant_id_number=_check_id_number(applicant_id_number),
        unit_code=receiver.code,
        competent_unit_code=competent.code,
        status=DossierStatus.RECEIVED,
        received_at=received_at,
        rules=rules,
        appointment_at=appointment,
        first_appointment_at=appointment,
        channel=intake.channel,
        fee_amount=fee,
        payment_status=intake.payment_for(fee),
        national_data=national_sources(intake.national_data),
        created_by=actor,
    )
    dossier.components = [
        Component(
            position=i,
            expected_type=spec.type,
            label=spec.label,
            required=spec.required,
            state=ComponentState.MISSING,
        )
        for i, spec in enumerate(procedure.components)
    ]
    session.add(dossier)
    session.flush()
    append_event(
        session,
        EventKind.DOSSIER_RECEIVED,
        actor=actor,
        dossier_id=dossier.id,
        data={
            "code": dossier.code,
            "procedure": procedure.code,
            "unit": receiver.code,
            "competent_unit": competent.code,
            "received_at": received_at.isoformat(),
            "rules": rules,
            "appointment_at": iso_or_none(dossier.appointment_at),
            "channel": dossier.channel.value,
            "fee": fee,
            "payment": dossier.payment_status.value,
            "national_data": dossier.national_data,
            "components": [
                {"id": c.id, "type": c.expected_type, "required": c.required}
                for c in dossier.components
            ],
        },
    )
    return dossier


def get_dossier(
    session: Session, code: str, *, for_update: bool = False, detail: bool = False
) -> Dossier:
    """The dossier with this code, its components and documents loaded; NotFound otherwise.

    `detail` (for views): each component's result and each document's parts too, one query
    each rather than one per row as they are read."""
    options = [
        selectinload(Dossier.components).selectinload(Component.documents),
        selectinload(Dossier.documents),
    ]
    if detail:
        options += [
            selectinload(Dossier.components).selectinload(Component.result),
            selectinload(Dossier.documents).selectinload(Document.parts),
        ]
    stmt = select(Dossier).where(Dossier.code == code.strip()).options(*options)
    if for_update:
        stmt = stmt.with_for_update()
    dossier = session.scalars(stmt).one_or_none()
    if dossier is None:
        raise NotFound(f"no dossier with code {code!r}")
    return dossier


def dossier_row(session: Session, code: str) -> Dossier:
    """The dossier's row alone (components and documents load if touched); NotFound
    otherwise. For a write that only adds to a dossier: its transaction, which holds
    SQLite's write lock, does not read every document first."""
    dossier = session.scalars(select(Dossier).where(Dossier.code == code.strip())).one_or_none()
    if dossier is None:
        raise NotFound(f"no dossier with code {code!r}")
    return dossier


def add_component(
    session: Session, dossier: Dossier, *, expected_type: str, label: str
) -> Component:
    """A component the procedure did not list, for a document found among the scans."""
    component = Component(
        dossier_id=dossier.id,
        position=len(dossier.components),
        expected_type=expected_type,
        label=label,
        required=False,
        state=ComponentState.MISSING,
    )
    session.add(component)
    dossier.components.append(component)
    session.flush()
    return component


def finish_dossier(session: Session, dossier: Dossier, *, at: datetime, actor: str) -> Dossier:
    """The result is returned to the citizen: the dossier is finished at `at` (the moment
    the on-time rate compares with the appointment). Refused when it already finished."""
    if dossier.finished_at is not None or dossier.status in (*CLOSED, *END_STATES):
        raise InvalidRequest(f"dossier {dossier.code} is already finished ({dossier.status})")
    if dossier.processed_at is None:  # returned implies processed; no separate event
        dossier.processed_at = at
    dossier.status = DossierStatus.RETURNED
    dossier.finished_at = at
    on_time = dossier.appointment_at is None or at <= dossier.appointment_at
    append_event(
        session,
        EventKind.DOSSIER_RETURNED,
        actor=actor,
        dossier_id=dossier.id,
        data={
            "finished_at": at.isoformat(),
            "processed_at": iso_or_none(dossier.processed_at),
            "appointment_at": iso_or_none(dossier.appointment_at),
            "on_time": on_time,
        },
    )
    return dossier


def route_dossier(
    session: Session, dossier: Dossier, *, to: str, reason: str | None, at: datetime, actor: str
) -> Dossier:
    """Send the dossier to another competent unit (Decree 118/2025/NĐ-CP: received anywhere
    in the province, resolved by the competent body). The receiving unit and the dossier
    code stay; the event keeps where it came from. Refused for an unknown unit, one that
    does not resolve, one whose level does not resolve the procedure's (a commune-level
    procedure sent to a provincial department) or of another province (NotCompetent), the
    unit it is already at, or a finished dossier."""
    catalogue = get_catalogue()
    try:
        level: str | None = catalogue.procedure(dossier.procedure_code).level
    except NotFound:  # a procedure since removed from the catalogue: its level is unknown
        level = None
    target = (
        competent_unit(catalogue.units, to.strip())
        if level is None
        else competent_for(catalogue.units, to.strip(), level, dossier.unit_code)
    )
    if dossier.finished_at is not None or dossier.status in (*CLOSED, *END_STATES):
        raise InvalidRequest(f"dossier {dossier.code} is already finished ({dossier.status})")
    if target.code == dossier.competent_unit_code:
        raise InvalidRequest(f"dossier {dossier.code} is already at unit {target.code}")
    previous = dossier.competent_unit_code
    dossier.competent_unit_code = target.code
    append_event(
        session,
        EventKind.DOSSIER_ROUTED,
        actor=actor,
        dossier_id=dossier.id,
        data={
            "from": previous,
            "to": target.code,
            "reason": (reason or "").strip() or None,
            "at": at.isoformat(),
        },
    )
    return dossier
