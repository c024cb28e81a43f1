"""The national index's rates per unit and month, checked against an independent reading of
the raw event log (this file never calls storage.stats to find the expected figures)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from config.calendar import get_calendar
from config.catalogue import get_catalogue
from config.settings import Settings
from storage.db import Database
from storage.models import Event
from storage.stats import total_rates, unit_month_rates
from tests.support.office import build_office

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
Figures = dict[tuple[str, str], dict[str, tuple[int, int]]]


@dataclass
class _Replay:
    """One dossier as its events tell it."""

    unit: str
    procedure: str
    received_at: datetime
    appointment_at: datetime
    required: set[int]
    handed_in: set[int] = field(default_factory=set)
    digitized: set[int] = field(default_factory=set)
    component_types: dict[int, str] = field(default_factory=dict)
    result_documents: set[int] = field(default_factory=set)
    signers: dict[int, int] = field(default_factory=dict)
    signed: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    finished_at: datetime | None = None
    paused_at: datetime | None = None
    reused: bool = False


def _replay(events: list[Event]) -> dict[int, _Replay]:
    """Fold the event log into dossiers, knowing only the catalogue and the event format."""
    catalogue = get_catalogue()
    dossiers: dict[int, _Replay] = {}
    for event in events:
        data: dict[str, Any] = event.data
        if event.kind == "dossier.received":
            assert event.dossier_id is not None
            comps = data["components"]
            dossiers[event.dossier_id] = _Replay(
                unit=data["unit"],
                procedure=data["procedure"],
                received_at=datetime.fromisoformat(data["received_at"]),
                appointment_at=datetime.fromisoformat(data["appointment_at"]),
                required={c["id"] for c in comps if c["required"]},
                component_types={c["id"]: c["type"] for c in comps},
            )
            continue
        if event.dossier_id not in dossiers:
            continue
        d = dossiers[event.dossier_id]
        result_type = catalogue.procedure(d.procedure).result_type
        if event.kind == "document.uploaded" and data.get("component_id") is not None:
            d.handed_in.add(data["component_id"])
        elif event.kind == "document.digitized":
            d.handed_in.add(data["component_id"])
            d.component_types.setdefault(data["component_id"], data["document_type"])
            if data["document_type"] == result_type:
                assert event.document_id is not None
                d.result_documents.add(event.document_id)
        elif event.kind == "signature.requested":
            assert event.document_id is not None
            d.signers[event.document_id] = len(data["signers"])
        elif event.kind == "document.signed":
            assert event.document_id is not None
            d.signed[event.document_id] += 1
        elif event.kind in ("document.certified", "component.reused"):
            d.digitized.add(data["component_id"])
            d.reused |= event.kind == "component.reused"
        elif event.kind == "dossier.supplement_requested":
            d.paused_at = datetime.fromisoformat(data["paused_at"])
        elif event.kind == "dossier.supplement_received":
            assert d.paused_at is not None
            d.appointment_at = _pushed(
                d.appointment_at, d.paused_at, datetime.fromisoformat(data["resumed_at"])
            )
        elif event.kind == "dossier.returned":
            d.finished_at = datetime.fromisoformat(data["finished_at"])
    return dossiers


def _pushed(appointment: datetime, paused: datetime, resumed: datetime) -> datetime:
    """The appointment moved by the working days in (day paused, day resumed], counted
    here day by day on the calendar."""
    calendar = get_calendar()
    day, waited = paused.astimezone(HANOI).date(), 0
    while day < resumed.astimezone(HANOI).date():
        day += timedelta(days=1)
        waited += calendar.is_working_day(day)
    due = appointment.astimezone(HANOI).date()
    while waited:
        due += timedelta(days=1)
        waited -= calendar.is_working_day(due)
    return datetime.combine(due, time(17, 0), tzinfo=HANOI)


def _expected(events: list[Event], zone: ZoneInfo) -> Figures:
    catalogue = get_catalogue()
    figures: Figures = defaultdict(lambda: defaultdict(lambda: (0, 0)))

    def count(unit: str, moment: datetime, rate: str, hit: bool) -> None:
        key = (unit, moment.astimezone(zone).strftime("%Y-%m"))
        num, den = figures[key][rate]
        figures[key][rate] = (num + hit, den + 1)

    for d in _replay(events).values():
        count(d.unit, d.received_at, "reuse", d.reused)
        if d.finished_at is None:
            continue
        proc = catalogue.procedure(d.procedure)
        electronic = any(
            d.signers.get(doc, 0) > 0 and d.signed[doc] >= d.signers[doc]
            for doc in d.result_documents
        )
        counted = (d.required | d.handed_in) - {
            c for c, t in d.component_types.items() if t == proc.result_type and c not in d.required
        }
        complete = counted <= d.digitized
        count(
            d.unit,
            d.finished_at,
            "digitization",
            complete and (electronic or not proc.electronic_result),
        )
        count(d.unit, d.finished_at, "electronic_result", electronic)
        count(d.unit, d.finished_at, "on_time", d.finished_at <= d.appointment_at)
    return figures


def _computed(database: Database, settings: Settings, **kw: Any) -> Figures:
    with database.session(readonly=True) as session:
        rows = unit_month_rates(session, settings.zone, **kw)
    return {
        (r.unit, r.month): {
            name: (rate.numerator, rate.denominator)
            for name, rate in r.rates().items()
            if rate.denominator
        }
        for r in rows
    }


def test_rates_of_a_generated_office_match_a_replay_of_its_events(
    database: Database, settings: Settings
) -> None:
    """GIVEN 200 dossiers over three months in three units, some never fully scanned or
    certified, some reusing a citizen's earlier documents, some waiting for a supplement
    (their appointment pushed back), some results unsigned, some finished late or open
    WHEN the rates are computed per unit and month
    THEN each numerator and denominator equals a replay of the raw event log."""
    log = build_office(database, settings, dossiers=200)
    assert len(log.late) > 10 and log.open and len(log.reused) > 10
    assert len(log.supplemented) > 10 and log.waiting
    with database.session(readonly=True) as session:
        events = list(session.scalars(select(Event).order_by(Event.id)))
    expected = {
        key: {name: nd for name, nd in rates.items() if nd[1]}
        for key, rates in _expected(events, settings.zone).items()
    }
    computed = _computed(database, settings)
    assert computed == expected
    assert len(computed) >= 9  # three units, three months
    rates = [nd for row in computed.values() for nd in row.values()]
    assert any(0 < num < den for num, den in rates), "every rate is 0% or 100%: a weak office"


def test_a_period_and_a_unit_select_their_rows_and_totals_add_up(
    database: Database, settings: Settings
) -> None:
    build_office(database, settings, dossiers=60, seed=3)
    everything = _computed(database, settings)
    february = _computed(
        database, settings, unit="xa-tan-phu", start=date(2026, 2, 1), end=date(2026, 2, 28)
    )
    assert set(february) == {("xa-tan-phu", "2026-02")}
    assert february[("xa-tan-phu", "2026-02")] == everything[("xa-tan-phu", "2026-02")]
    with database.session(readonly=True) as session:
        rows = unit_month_rates(session, settings.zone)
    total = total_rates(rows)
    assert total.reuse.denominator == 60
    assert total.on_time.numerator == sum(r.on_time.numerator for r in rows)
