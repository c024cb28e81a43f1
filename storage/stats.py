"""The national index's digitization figures per unit and month, each with its numerator
and denominator, so a unit can check the figure it reports (Decision 766/QĐ-TTg): sohoa's
stricter reading; storage.portal computes them as the national portal does.

The four rates, exactly as DOMAIN.md defines them:

- **digitization rate** = dossiers whose components are all digitized AND whose result has
  an electronic file where the procedure requires one / dossiers handled;
- **electronic result rate** = dossiers with an electronic (signed) result file / dossiers
  handled;
- **reuse rate** = dossiers that reused an already-digitized document / dossiers received;
- **on-time rate** = dossiers finished no later than their appointment / dossiers finished.

Where the definitions leave a choice, this module makes it once:

- A dossier is *finished* (and so *handled*: the office has given its result) when its
  result was returned to the citizen (`Dossier.finished_at`, set by
  `storage.dossiers.finish_dossier`, event `dossier.returned`). It is counted in the month
  it finished. Received is counted in the month of `received_at`. Months and the `--from`
  / `--to` days are the office's calendar (settings.zone), both days included.
- "All components digitized": every component that is required, or that a paper was
  handed in for, has a certified digitization result (`storage.digitization`), made for
  it or reused from another dossier. Optional components nobody brought do not count.
- "Electronic result": the procedure's result document (catalogue `result_type`) carries
  every signature requested on it (leader and seal). "Where required": a procedure whose
  catalogue entry says `electronic_result: false` passes that half of the digitization
  test without one; the electronic result rate still counts only signed results.
- "On time": `finished_at` no later than `appointment_at` — the appointment computed at
  reception and pushed back by the working days the dossier waited for the citizen's
  supplement (storage.deadlines).
- "Reused": at least one component of the dossier points at a digitization result of
  another dossier (`component.reused` events). Data checked in a national database is not
  sohoa's reuse here (the portal's figure counts it, storage.portal); a component checked
  that way needs no digitization, as no paper was taken (storage.national_checks).
- Units: the competent unit that resolves the dossier (the default), or the receiving
  centre (`by="receiving"`); they differ once a dossier is routed (Decree 118/2025/NĐ-CP).
- "Digitized" for a component: it has a certified digitization result signed by the clerk
  (`document.certified` events), made for it or reused; a PDF alone does not count.

API (for the dashboard and `sohoa stats`):

    unit_month_rates(session, zone, *, unit=None, start=None, end=None) -> list[RateRow]
        One row per (unit, month) that has anything received or finished, sorted.
    total_rates(rows) -> RateRow
        The rows summed (unit "*", month "*"): a period's figure for the whole selection.
    RateRow.to_dict() -> JSON-ready dict; Rate.value -> float | None (None: nothing counted).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from config.catalogue import Catalogue, get_catalogue
from config.errors import NotFound
from storage.digitization import reused_dossier_ids
from storage.enums import CertificationState, ComponentState, SignatureState
from storage.models import Component, Document, Dossier, SignatureRequest

RATE_NAMES = ("digitization", "electronic_result", "reuse", "on_time")
"""The four rates, in the order they are printed."""


@dataclass
class Rate:
    """One figure as offices report it: numerator / denominator."""

    numerator: int = 0
    denominator: int = 0

    @property
    def value(self) -> float | None:
        """The share, or None when nothing was counted (not 0%: there was nothing to do)."""
        return self.numerator / self.denominator if self.denominator else None

    def add(self, hit: bool) -> None:
        """Count one dossier in the denominator, and in the numerator when `hit`."""
        self.denominator += 1
        self.numerator += hit

    def __iadd__(self, other: Rate) -> Rate:
        self.numerator += other.numerator
        self.denominator += other.denominator
        return self

    def to_dict(self) -> dict[str, Any]:
        """{"numerator", "denominator", "rate"} with the rate rounded to 4 decimals."""
        value = self.value
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rate": None if value is None else round(value, 4),
        }


@dataclass
class RateRow:
    """The four rates of one unit in one month ("YYYY-MM")."""

    unit: str
    month: str
    digitization: Rate = field(default_factory=Rate)
    electronic_result: Rate = field(default_factory=Rate)
    reuse: Rate = field(default_factory=Rate)
    on_time: Rate = field(default_factory=Rate)

    def rates(self) -> dict[str, Rate]:
        """The rates by name, in RATE_NAMES order."""
        return {name: getattr(self, name) for name in RATE_NAMES}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: unit, month, and per rate its numerator, denominator and rate."""
        return {
            "unit": self.unit,
            "month": self.month,
            **{name: rate.to_dict() for name, rate in self.rates().items()},
        }


@dataclass(frozen=True)
class DossierFacts:
    """What the rates need to know about one dossier, decided once."""

    unit: str
    received_month: str | None
    """Month of reception when it falls in the period, else None."""
    finished_month: str | None
    """Month it finished when that falls in the period, else None (also when unfinished)."""
    components_digitized: bool
    electronic_result: bool
    electronic_result_required: bool
    reused: bool
    on_time: bool


def unit_month_rates(
    session: Session,
    zone: ZoneInfo,
    *,
    unit: str | None = None,
    start: date | None = None,
    end: date | None = None,
    by: str = "competent",
) -> list[RateRow]:
    """The four rates per unit and month for dossiers received or finished between `start`
    and `end` (office days, both included; None: unbounded), of one unit or all. Units are
    the competent units (`by="competent"`) or the receiving ones (`"receiving"`)."""
    rows: dict[tuple[str, str], RateRow] = {}

    def row(unit_code: str, month: str) -> RateRow:
        return rows.setdefault((unit_code, month), RateRow(unit_code, month))

    for facts in dossier_facts(session, zone, unit=unit, start=start, end=end, by=by):
        if facts.received_month is not None:
            row(facts.unit, facts.received_month).reuse.add(facts.reused)
        if facts.finished_month is not None:
            target = row(facts.unit, facts.finished_month)
            target.digitization.add(
                facts.components_digitized
                and (facts.electronic_result or not facts.electronic_result_required)
            )
            target.electronic_result.add(facts.electronic_result)
            target.on_time.add(facts.on_time)
    return [rows[key] for key in sorted(rows)]


def total_rates(rows: Iterable[RateRow], *, unit: str = "*", month: str = "*") -> RateRow:
    """The rows summed into one (numerators and denominators added, never rates averaged)."""
    total = RateRow(unit, month)
    for r in rows:
        for name, rate in r.rates().items():
            getattr(total, name).__iadd__(rate)
    return total


def dossier_facts(
    session: Session,
    zone: ZoneInfo,
    *,
    unit: str | None = None,
    start: date | None = None,
    end: date | None = None,
    by: str = "competent",
) -> list[DossierFacts]:
    """Per dossier received or finished in the period: the facts the rates count, its unit
    the competent or the receiving one (`by`)."""
    column = Dossier.competent_unit_code if by == "competent" else Dossier.unit_code
    lower = _bound(start, zone)
    upper = _bound(end + timedelta(days=1), zone) if end is not None else None
    stmt = select(Dossier).options(
        selectinload(Dossier.components).selectinload(Component.result),
        selectinload(Dossier.documents),
    )
    if unit is not None:
        stmt = stmt.where(column == unit)
    if lower is not None:
        stmt = stmt.where(or_(Dossier.received_at >= lower, Dossier.finished_at >= lower))
    if upper is not None:
        stmt = stmt.where(or_(Dossier.received_at < upper, Dossier.finished_at < upper))
    dossiers = list(session.scalars(stmt.order_by(Dossier.id)))
    ids = [d.id for d in dossiers]
    signed = _signed_documents(session, ids)
    reused = reused_dossier_ids(session, ids)
    catalogue = get_catalogue()
    return [
        _facts(
            dossier,
            zone=zone,
            lower=lower,
            upper=upper,
            signed=signed,
            catalogue=catalogue,
            reused=dossier.id in reused,
            by=by,
        )
        for dossier in dossiers
    ]


def _bound(day: date | None, zone: ZoneInfo) -> datetime | None:
    return datetime.combine(day, time(0), tzinfo=zone) if day is not None else None


def _in(moment: datetime | None, lower: datetime | None, upper: datetime | None) -> bool:
    if moment is None:
        return False
    return (lower is None or moment >= lower) and (upper is None or moment < upper)


def _month(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m")


def _facts(
    dossier: Dossier,
    *,
    zone: ZoneInfo,
    lower: datetime | None,
    upper: datetime | None,
    signed: set[int],
    catalogue: Catalogue,
    reused: bool,
    by: str,
) -> DossierFacts:
    try:
        procedure = catalogue.procedure(dossier.procedure_code)
        result_type, required = procedure.result_type, procedure.electronic_result
    except NotFound:  # a procedure since removed from the catalogue: a result is expected
        result_type, required = None, True
    finished = dossier.finished_at
    return DossierFacts(
        unit=dossier.competent_unit_code if by == "competent" else dossier.unit_code,
        received_month=(
            _month(dossier.received_at, zone) if _in(dossier.received_at, lower, upper) else None
        ),
        finished_month=(
            _month(finished, zone) if finished is not None and _in(finished, lower, upper) else None
        ),
        components_digitized=components_digitized(dossier, result_type),
        electronic_result=any(
            d.id in signed for d in dossier.documents if d.document_type == result_type
        ),
        electronic_result_required=required,
        reused=reused,
        on_time=(
            finished is not None
            and dossier.appointment_at is not None
            and finished <= dossier.appointment_at
        ),
    )


def components_digitized(dossier: Dossier, result_type: str | None) -> bool:
    """Whether every component that counts (required, or handed in) is digitized. The
    result's own component (an optional one of the result type, made when the result was
    attached) is judged by the electronic-result test instead."""
    return all(
        _component_digitized(c)
        for c in dossier.components
        if not (c.expected_type == result_type and not c.required)
        and (c.required or c.state is not ComponentState.MISSING)
        and c.national_source is None  # checked against a national database: no paper taken
    )


def _component_digitized(component: Component) -> bool:
    """Digitized means a certified digitization result exists for it (its own scan signed
    by the clerk, or a reused one): a PDF alone does not count (Circular 01/2023)."""
    result = component.result
    return result is not None and result.status is CertificationState.SIGNED


def _signed_documents(session: Session, dossier_ids: Sequence[int]) -> set[int]:
    """Documents of these dossiers carrying every signature requested on them (at least one)."""
    states: dict[int, list[SignatureState]] = defaultdict(list)
    for chunk_start in range(0, len(dossier_ids), 500):
        chunk = dossier_ids[chunk_start : chunk_start + 500]
        for document_id, status in session.execute(
            select(SignatureRequest.document_id, SignatureRequest.status)
            .join(Document, Document.id == SignatureRequest.document_id)
            .where(
                Document.dossier_id.in_(chunk),
                SignatureRequest.status != SignatureState.CANCELLED,
            )
        ):
            states[document_id].append(status)
    return {
        doc_id
        for doc_id, values in states.items()
        if values and all(s is SignatureState.SIGNED for s in values)
    }
