"""The 766 figures as the national portal computes them from synced data, beside sohoa's
stricter ones (storage.stats), each with its numerator and denominator.

Source of every rule: "Mô tả công thức tính chỉ số 766.docx" (SHA-256 41A27E55E251C616...
087AF), the description of the Decision 766/QĐ-TTg index's formulas, read as transcribed in
a public `formula-document.js`; each figure below names its record there.

- **on_time** (record 2.1, "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn") = dossiers processed
  on time or still in time / dossiers received and processed in the period. The end is the
  time processing *finished* ("Đã xử lý xong" before "Đã trả kết quả" before "Dừng xử lý/Từ
  chối"; a withdrawal too), not the return. A dossier waiting for a supplement ends when it
  was asked for; asked more than once, it is late. Supplement time (request to supplement)
  is subtracted from the end. A dossier with no end yet is judged at the period's end (or
  now): late once its appointment has passed. On time: adjusted end <= the appointment on
  the receipt (`first_appointment_at`; the portal subtracts the wait instead of moving it).
- **electronic_result** (4.1) = dossiers with a result file attached / dossiers of
  procedures whose result is a paper document (`paper_result`), received in the period.
- **digitization** (4.2) = dossiers with (1) files attached to their components (any, or
  all: config.defaults.PORTAL_COMPONENT_FILES) and (2) for a paper-result procedure, an
  electronic result / dossiers received in the period.
- **reuse** (4.3) = dossiers with a component reusing digitized data, or data taken from
  the population or civil-status databases or VNeID (at reception, or a component checked
  against one: storage.national_checks) / dossiers received in the period. A checked
  component counts as having its file in 4.2 too: the record stands in for the paper.
- **population_data** (4.5) = dossiers using the population database or VNeID / dossiers
  received in the period.
- **online**, **direct**, **postal** (3.3) = dossiers received by that channel / dossiers
  received; online counts only with an electronic result where the result is on paper.
- **online_payment** (3.6) = dossiers paid online / dossiers owing a fee, received.
- **dissatisfied** (5.4's second term) = dossiers rated dissatisfied / dossiers returned in
  the period; **satisfaction** (5.4) = 100% - (late share + dissatisfied share).

"In the period" is by reception ("thuộc thẩm quyền giải quyết = hồ sơ có Ngày tiếp nhận
trong kỳ", record 4.3) for all but on_time and dissatisfied. Rows are per unit — the
competent unit ("cơ quan thực hiện"), or the receiving centre — and month; the total is
computed over the whole period, not summed (an open dossier counts once per period).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from config import defaults
from config.catalogue import Catalogue, get_catalogue
from config.errors import NotFound
from storage.digitization import reused_dossier_ids
from storage.enums import Channel, DataSource, DossierStatus, PaymentStatus, Rating
from storage.models import Component, Dossier, DossierPause
from storage.stats import Rate
from storage.types import utcnow

PORTAL_RATE_NAMES = (
    "on_time", "electronic_result", "digitization", "reuse", "population_data",
    "online", "direct", "postal", "online_payment", "dissatisfied",
)  # fmt: skip
"""The portal's figures, in the order they are printed."""

Axis = Literal["competent", "receiving"]
ENDING = (DossierStatus.REFUSED, DossierStatus.STOPPED, DossierStatus.WITHDRAWN)


@dataclass
class PortalRow:
    """The portal's figures for one unit in one period (month "YYYY-MM", or "*")."""

    unit: str
    month: str
    rates: dict[str, Rate] = field(default_factory=lambda: {n: Rate() for n in PORTAL_RATE_NAMES})

    @property
    def satisfaction(self) -> float | None:
        """Record 5.4: 100% minus the late share and the dissatisfied share (None when
        neither was counted)."""
        on_time, unhappy = self.rates["on_time"], self.rates["dissatisfied"]
        if not on_time.denominator and not unhappy.denominator:
            return None
        late = 1 - on_time.value if on_time.value is not None else 0.0
        return max(0.0, 1 - late - (unhappy.value or 0.0))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: unit, month, per figure {numerator, denominator, rate}, satisfaction."""
        value = self.satisfaction
        return {
            "unit": self.unit,
            "month": self.month,
            **{name: rate.to_dict() for name, rate in self.rates.items()},
            "satisfaction": None if value is None else round(value, 4),
        }


@dataclass(frozen=True)
class _Facts:
    """One dossier as the portal's synced data would show it."""

    competent: str
    receiving: str
    received_at: datetime
    appointment: datetime | None
    end: datetime | None
    """Processing finished, returned, or refused/stopped/withdrawn (that priority)."""
    pauses: tuple[tuple[datetime, datetime | None], ...]
    finished_at: datetime | None
    paper_result: bool
    result_file: bool
    component_files: bool
    reused: bool
    national_data: frozenset[str]
    channel: Channel
    fee: int
    paid_online: bool
    rating: Rating | None


def portal_rates(
    session: Session,
    zone: ZoneInfo,
    *,
    by: Axis = "competent",
    unit: str | None = None,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> tuple[list[PortalRow], PortalRow]:
    """The portal's figures per unit (of the `by` axis) and month between `start` and `end`
    (office days, both included; None: from the first reception to today), and the whole
    period's figures for the selection (unit and month "*")."""
    moment = now or utcnow()
    facts = [f for f in _load(session) if unit is None or _unit(f, by) == unit]
    first = start or min((f.received_at.astimezone(zone).date() for f in facts), default=None)
    last = end or moment.astimezone(zone).date()
    rows: dict[tuple[str, str], PortalRow] = {}
    total = PortalRow("*", "*")
    if first is None or first > last:
        return [], total
    for month_start, month_end in _months(first, last):
        lower, upper = _bound(month_start, zone), _bound(month_end + timedelta(days=1), zone)
        label = f"{month_start:%Y-%m}"
        for f in facts:
            if _counted(f, lower, upper, moment):
                key = (_unit(f, by), label)
                _count(f, lower, upper, moment, rows.setdefault(key, PortalRow(*key)))
    lower, upper = _bound(first, zone), _bound(last + timedelta(days=1), zone)
    for f in facts:
        _count(f, lower, upper, moment, total)
    return [rows[k] for k in sorted(rows)], total


def _unit(facts: _Facts, by: Axis) -> str:
    return facts.competent if by == "competent" else facts.receiving


def _bound(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _months(first: date, last: date) -> Iterator[tuple[date, date]]:
    """(first day, last day) of each calendar month overlapping [first, last], clipped."""
    day = first
    while day <= last:
        following = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        yield day, min(last, following - timedelta(days=1))
        day = following


def _within(moment: datetime | None, lower: datetime, upper: datetime) -> bool:
    return moment is not None and lower <= moment < upper


def _counted(f: _Facts, lower: datetime, upper: datetime, now: datetime) -> bool:
    """Whether the dossier counts in any figure of the period [lower, upper)."""
    return (
        _on_time(f, lower, upper, now) is not None
        or _within(f.received_at, lower, upper)
        or _within(f.finished_at, lower, upper)
    )


def _count(f: _Facts, lower: datetime, upper: datetime, now: datetime, row: PortalRow) -> None:
    """Add the dossier to `row`'s figures for the period [lower, upper)."""
    on_time = _on_time(f, lower, upper, now)
    received = _within(f.received_at, lower, upper)
    returned = _within(f.finished_at, lower, upper)
    r = row.rates
    if on_time is not None:
        r["on_time"].add(on_time)
    if returned:
        r["dissatisfied"].add(f.rating is Rating.DISSATISFIED)
    if not received:
        return
    electronic = f.result_file or not f.paper_result
    if f.paper_result:
        r["electronic_result"].add(f.result_file)
    r["digitization"].add(f.component_files and electronic)
    r["reuse"].add(f.reused or bool(f.national_data))
    r["population_data"].add(bool(f.national_data & {DataSource.POPULATION, DataSource.VNEID}))
    r["online"].add(f.channel is Channel.ONLINE and electronic)
    r["direct"].add(f.channel is Channel.DIRECT)
    r["postal"].add(f.channel is Channel.POSTAL)
    if f.fee > 0:
        r["online_payment"].add(f.paid_online)


def _on_time(f: _Facts, lower: datetime, upper: datetime, now: datetime) -> bool | None:
    """Record 2.1 for one period: True (on time or in time), False (late), None (not
    counted: ended before the period, or received after it)."""
    if f.received_at >= upper:
        return None
    end = f.end
    waiting = [paused for paused, resumed in f.pauses if resumed is None]
    if end is None and waiting:
        end = waiting[0]  # waiting for the citizen: the request ends processing
    if end is not None and end < lower:
        return None
    if end is None or end >= upper:
        end = min(upper, now)  # still open at the period's end: judged then
    if len(f.pauses) > 1:
        return False  # a second supplement request counts as late
    waits = [resumed - paused for paused, resumed in f.pauses if resumed and resumed <= end]
    waited = sum(waits, timedelta(0))
    return f.appointment is None or end - waited <= f.appointment


def _load(session: Session) -> list[_Facts]:
    """Every dossier's facts, in one pass (components, documents and pauses preloaded)."""
    dossiers = list(
        session.scalars(
            select(Dossier)
            .options(selectinload(Dossier.components), selectinload(Dossier.documents))
            .order_by(Dossier.id)
        )
    )
    ids = [d.id for d in dossiers]
    reused = reused_dossier_ids(session, ids)
    pauses = _pauses(session, ids)
    catalogue = get_catalogue()
    return [_facts(d, catalogue, d.id in reused, pauses.get(d.id, [])) for d in dossiers]


Pauses = list[tuple[datetime, datetime | None]]


def _pauses(session: Session, ids: Sequence[int]) -> dict[int, Pauses]:
    """Each dossier's waits for a supplement: (asked, brought or None), oldest first."""
    found: dict[int, Pauses] = {}
    for start in range(0, len(ids), 500):
        for pause in session.scalars(
            select(DossierPause)
            .where(DossierPause.dossier_id.in_(ids[start : start + 500]))
            .order_by(DossierPause.id)
        ):
            found.setdefault(pause.dossier_id, []).append((pause.paused_at, pause.resumed_at))
    return found


def _facts(
    d: Dossier,
    catalogue: Catalogue,
    reused: bool,
    pauses: Pauses,
) -> _Facts:
    try:
        procedure = catalogue.procedure(d.procedure_code)
        result_type, paper = procedure.result_type, procedure.paper_result
    except NotFound:  # a procedure since removed from the catalogue: a paper result
        result_type, paper = None, True
    with_file = {doc.component_id for doc in d.documents if doc.pdf_sha256 is not None}
    counted = [  # the result's own optional component is judged as the result
        c
        for c in d.components
        if (c.expected_type != result_type or c.required)
        and (c.required or _has_file(c, with_file))
    ]
    filed = [_has_file(c, with_file) for c in counted]
    every = defaults.PORTAL_COMPONENT_FILES == "all"
    ended = d.ended_at if d.status in ENDING else None
    return _Facts(
        competent=d.competent_unit_code,
        receiving=d.unit_code,
        received_at=d.received_at,
        appointment=d.first_appointment_at or d.appointment_at,
        end=d.processed_at or d.finished_at or ended,
        pauses=tuple(pauses),
        finished_at=d.finished_at,
        paper_result=paper,
        result_file=any(
            doc.document_type == result_type and doc.pdf_sha256 is not None for doc in d.documents
        ),
        component_files=all(filed) if every else any(filed),
        reused=reused,
        national_data=frozenset(DataSource(v) for v in d.national_data),
        channel=d.channel,
        fee=d.fee_amount,
        paid_online=d.payment_status is PaymentStatus.PAID_ONLINE,
        rating=d.rating,
    )


def _has_file(component: Component, with_file: set[int | None]) -> bool:
    """A file attached to the component: its own scan, or reused digitized data, or the
    national-database record it was checked against (storage.national_checks: data the
    portal counts as reuse stands in for the paper's file)."""
    return (
        component.id in with_file
        or component.result_id is not None
        or component.national_source is not None
    )
