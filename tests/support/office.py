"""A generated one-stop office: dossiers received over three months through sohoa's own
storage functions, with what real offices report: components never scanned, unreadable or
never signed by the clerk, documents reused from a citizen's earlier dossier, dossiers
waiting for the citizen's supplement, results left unsigned, dossiers finished late or
still open. Files are stood for by digests and signatures by records (the rates never
read files); the signing itself is tested on real PDFs elsewhere."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from config.calendar import get_calendar
from config.catalogue import ComponentSpec, Procedure, get_catalogue
from config.settings import Settings
from storage.db import Database
from storage.deadlines import receive_supplement, request_supplement
from storage.digitization import (
    record_certified,
    request_certification,
    reuse_result,
    valid_results,
)
from storage.documents import (
    DigitizedOutcome,
    add_document,
    get_document,
    record_digitized,
    record_failure,
)
from storage.dossiers import finish_dossier, get_dossier, receive_dossier
from storage.models import Component, Dossier
from storage.signatures import PlannedSignature, record_signed, request_signatures, requests_of

UNITS = ("xa-hoa-binh", "xa-tan-phu", "phuong-an-khanh")
PLAN = [
    PlannedSignature("leader", "chu-tich", "Nguyễn Văn An"),
    PlannedSignature("organisation", "van-thu", "Ủy ban nhân dân"),
]
FIRST_DAY = date(2026, 1, 5)
LAST_DAY = date(2026, 3, 31)


@dataclass
class OfficeLog:
    """What the generator did, for tests that want to pick out a kind of dossier."""

    codes: list[str] = field(default_factory=list)
    late: set[str] = field(default_factory=set)
    open: set[str] = field(default_factory=set)
    reused: set[str] = field(default_factory=set)
    supplemented: set[str] = field(default_factory=set)
    waiting: set[str] = field(default_factory=set)


@dataclass
class _Office:
    db: Database
    settings: Settings
    rng: random.Random
    log: OfficeLog
    serial: int = 0

    def blob(self, label: str) -> str:
        """The digest of some bytes standing for a scan (not stored: the rates never read
        files, and 800 fsyncs would be most of the test's time)."""
        self.serial += 1
        return hashlib.sha256(f"%PDF-1.7 {label} {self.serial}".encode()).hexdigest()


def _moment(settings: Settings, day: date, rng: random.Random) -> datetime:
    local = datetime.combine(day, time(8 + rng.randrange(8), rng.randrange(60)))
    return local.replace(tzinfo=settings.zone)


def _working_day(rng: random.Random) -> date:
    calendar = get_calendar()
    while True:
        day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
        if calendar.is_working_day(day):
            return day


def _digitize(
    office: _Office, session: Session, dossier: Dossier, spec_type: str, label: str, **kw: int
) -> int:
    """Upload a scan and record its digitization as the pipeline would; the document id."""
    document, _ = add_document(
        session,
        dossier,
        filename=f"{spec_type}.pdf",
        sha256=office.blob(spec_type),
        size=100,
        media_type="application/pdf",
        actor="clerk",
        component_id=kw.get("component_id"),
    )
    session.flush()
    outcome = DigitizedOutcome(
        pdf_sha256=office.blob(f"{spec_type}-pdfa"),
        pdf_size=200,
        pdfa=True,
        text=label,
        page_count=1,
        document_type=spec_type,
        type_confidence=0.97,
        component_label=label,
    )
    record_digitized(session, document.id, outcome, actor="worker")
    if kw.get("certify", 1) and office.rng.random() > 0.02:  # 2%: the clerk never signed
        result, _ = request_certification(
            session, document.id, signer_profile="mot-cua", signer_name="Đỗ Thị Giang",
            today=dossier.received_at.date(), actor="worker",
        )  # fmt: skip
        record_certified(
            session, result.id, pdf_sha256=office.blob("certified"),
            signed_at=dossier.received_at, actor="signing",
        )  # fmt: skip
    return document.id


def _reuse(office: _Office, session: Session, dossier: Dossier, component: Component) -> bool:
    """Reuse a still-valid result of the applicant for this component, if the dice and the
    store allow; whether it did."""
    assert dossier.applicant_id_number is not None
    found = valid_results(
        session, dossier.applicant_id_number, on=dossier.received_at.date(),
        units=None, document_type=component.expected_type,
    )  # fmt: skip
    if not found or office.rng.random() < 0.2:
        return False
    reuse_result(
        session, dossier, component.id, found[0].id, on=dossier.received_at.date(),
        units=None, actor="clerk",
    )  # fmt: skip
    office.log.reused.add(dossier.code)
    return True


def _components(office: _Office, session: Session, dossier: Dossier, proc: Procedure) -> None:
    rng = office.rng
    for component, spec in zip(list(dossier.components), proc.components, strict=True):
        chance = rng.random()
        if not spec.required and chance < 0.7:
            continue  # optional and not brought
        if spec.required and chance < 0.03:
            continue  # required, never scanned
        if _reuse(office, session, dossier, component):
            continue
        if chance > 0.97:  # the scan could not be read
            document, _ = add_document(
                session,
                dossier,
                filename=f"{spec.type}.jpg",
                sha256=office.blob(spec.type),
                size=100,
                media_type="image/jpeg",
                actor="clerk",
                component_id=component.id,
            )
            session.flush()
            record_failure(
                session, document.id, code="ocr_failed", message="unreadable", final=True,
                actor="worker",
            )  # fmt: skip
            continue
        _digitize(office, session, dossier, spec.type, spec.label, component_id=component.id)


def _result(office: _Office, session: Session, dossier: Dossier, proc: Procedure) -> None:
    rng = office.rng
    if rng.random() < 0.1:
        return  # the result exists on paper only
    spec = ComponentSpec(type=proc.result_type, label="Kết quả", required=False)
    document_id = _digitize(office, session, dossier, spec.type, spec.label, certify=0)
    document = get_document(session, document_id)
    requests, _ = request_signatures(session, document, PLAN, level="B-B", actor="clerk")
    signed = len(requests) if rng.random() < 0.9 else rng.randrange(len(requests))
    for request in requests_of(session, document_id)[:signed]:
        record_signed(
            session,
            request.id,
            input_sha256="0" * 64,
            output_sha256=office.blob("signed"),
            signed_at=dossier.received_at,
            actor="signing",
        )


def _supplement(office: _Office, session: Session, dossier: Dossier) -> bool:
    """Ask for a supplement on some dossiers; most bring it some working days later, some
    are still waiting. Whether the dossier may go on."""
    rng = office.rng
    if rng.random() > 0.15:
        return True
    asked = dossier.received_at + timedelta(hours=1)
    request_supplement(session, dossier, reason="Thiếu bản sao giấy chứng nhận", at=asked,
                       actor="clerk")  # fmt: skip
    if rng.random() < 0.2:
        office.log.waiting.add(dossier.code)
        return False
    calendar = get_calendar()
    day = calendar.add_working_days(
        asked.astimezone(office.settings.zone).date(), rng.randrange(0, 6)
    )
    back = datetime.combine(day, time(9, 30), tzinfo=office.settings.zone)
    receive_supplement(session, dossier, at=max(back, asked), actor="clerk",
                       zone=office.settings.zone, calendar=calendar)  # fmt: skip
    office.log.supplemented.add(dossier.code)
    return True


def _finish(office: _Office, session: Session, dossier: Dossier) -> None:
    rng = office.rng
    assert dossier.appointment_at is not None
    chance = rng.random()
    if chance < 0.1:
        office.log.open.add(dossier.code)
        return
    if chance < 0.25:
        office.log.late.add(dossier.code)
        at = dossier.appointment_at + timedelta(hours=rng.choice((1, 20, 50, 100)))
    else:
        at = dossier.appointment_at - timedelta(hours=rng.randrange(0, 9))
        at = max(at, dossier.received_at + timedelta(minutes=30))
    finish_dossier(session, dossier, at=at, actor="clerk")


def build_office(
    db: Database, settings: Settings, *, dossiers: int = 200, seed: int = 7
) -> OfficeLog:
    """Receive `dossiers` dossiers between January and March 2026 and take each as far as
    the dice say; the same seed gives the same office."""
    office = _Office(db, settings, random.Random(seed), OfficeLog())
    catalogue = get_catalogue()
    rng = office.rng
    received = sorted(_moment(settings, _working_day(rng), rng) for _ in range(dossiers))
    people = max(1, dossiers * 2 // 3)  # a third of the dossiers are a returning citizen's
    for received_at in received:
        proc = rng.choice(catalogue.procedures)
        person = rng.randrange(people)
        with db.session() as session:
            dossier = receive_dossier(
                session,
                settings,
                procedure=proc,
                applicant_name=f"Công dân {person}",
                applicant_id_number=f"0012{person:08d}",
                unit_code=UNITS[person % len(UNITS)] if rng.random() < 0.8 else rng.choice(UNITS),
                received_at=received_at,
                actor="clerk",
            )
            session.flush()
            dossier = get_dossier(session, dossier.code)
            office.log.codes.append(dossier.code)
            _components(office, session, dossier, proc)
            if not _supplement(office, session, dossier):
                continue
            _result(office, session, dossier, proc)
            _finish(office, session, dossier)
    return office.log
