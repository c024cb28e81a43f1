"""What clerks do, shared by the command line and the HTTP API: open dossiers, add files."""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import select

from api.dossier_views import apology_letter
from config import defaults, labels
from config.calendar import get_calendar
from config.catalogue import get_catalogue
from config.errors import InputRejected, InvalidRequest, NotFound
from config.settings import Settings
from config.text import clean_filename
from digitize.sniff import check_file
from storage import corrections
from storage.blobs import blob_store
from storage.db import open_database
from storage.deadlines import receive_supplement, record_apology, request_supplement
from storage.digitization import reuse_result
from storage.documents import add_document, get_document
from storage.dossiers import (
    Intake,
    dossier_row,
    finish_dossier,
    get_dossier,
    receive_dossier,
    route_dossier,
)
from storage.enums import DossierStatus, EventKind, PaymentStatus, Rating
from storage.events import append_event
from storage.models import DigitizationResult, Event
from storage.national_checks import record_national_check
from storage.outcomes import end_dossier, record_payment, record_rating
from storage.types import utcnow
from workers.jobs import JobKind, enqueue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AddedFile:
    """What became of one file handed to a dossier."""

    file: str
    status: str
    """stored (and queued), duplicate (already in the dossier) or rejected."""
    document_id: int | None = None
    sha256: str | None = None
    error: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dict(self.__dict__.items())


def open_dossier(
    settings: Settings,
    *,
    procedure_code: str,
    applicant_name: str,
    applicant_id_number: str | None,
    unit_code: str | None,
    actor: str,
    received_at: datetime | None = None,
    competent_unit_code: str | None = None,
    intake: Intake | None = None,
) -> str:
    """Receive a new dossier for a procedure of the catalogue at a unit of the register
    (competent unit: that one unless named); returns its national code."""
    procedure = get_catalogue().procedure(procedure_code)
    with open_database(settings).session() as session:
        dossier = receive_dossier(
            session,
            settings,
            procedure=procedure,
            applicant_name=applicant_name,
            applicant_id_number=applicant_id_number,
            unit_code=unit_code or settings.unit_code,
            received_at=received_at or utcnow(),
            actor=actor,
            competent_unit_code=competent_unit_code,
            intake=intake,
        )
        return dossier.code


def check_late_entry(received_at: datetime, now: datetime) -> None:
    """A reception a clerk enters afterwards: aware, not in the future, at most
    LATE_ENTRY_DAYS back (a backdated receipt moves its appointment and the figures)."""
    if received_at.tzinfo is None:
        raise InvalidRequest("the reception time needs its time zone")
    if received_at > now:
        raise InvalidRequest("a dossier cannot be received in the future")
    if now - received_at > timedelta(days=defaults.LATE_ENTRY_DAYS):
        raise InvalidRequest(
            f"a dossier may be entered at most {defaults.LATE_ENTRY_DAYS} days after its reception"
        )


def route(settings: Settings, code: str, *, to: str, reason: str | None, actor: str) -> str:
    """Send a dossier to another competent unit; returns the unit it came from."""
    with open_database(settings).session() as session:
        dossier = get_dossier(session, code)
        previous = dossier.competent_unit_code
        route_dossier(session, dossier, to=to, reason=reason, at=utcnow(), actor=actor)
        return previous


def reject_file(
    settings: Settings, code: str, name: str, error: InputRejected, *, actor: str
) -> AddedFile:
    """Log on the dossier that a file was refused, and why (nothing of it is stored)."""
    label = clean_filename(name)
    with open_database(settings).session() as session:
        dossier = get_dossier(session, code)
        append_event(
            session,
            EventKind.UPLOAD_REJECTED,
            actor=actor,
            dossier_id=dossier.id,
            data={"filename": label, **error.to_dict()},
        )
    return AddedFile(label, "rejected", error=error.to_dict())


def add_file(
    settings: Settings,
    conn: redis.Redis,
    code: str,
    path: Path,
    *,
    name: str | None,
    actor: str,
    force_ocr: bool = False,
) -> AddedFile:
    """Store one file durably in a dossier, then queue its digitization.

    The file is refused (and the refusal logged on the dossier) if it is empty, too large
    or not a PDF or image; the bytes are in the blob store and the document row committed
    before the job is queued, so a crash in between loses nothing (workers requeue it).
    `force_ocr`: the clerk asks for OCR of every PDF page, whatever its own text layer.
    """
    label = clean_filename(name or path.name)
    db = open_database(settings)
    try:
        media = check_file(path, max_bytes=settings.max_upload_bytes, name=label)
    except InputRejected as e:
        return reject_file(settings, code, label, e, actor=actor)
    blob = blob_store(settings).put_file(path, max_bytes=settings.max_upload_bytes)
    with db.session() as session:
        dossier = dossier_row(session, code)
        document, created = add_document(
            session,
            dossier,
            filename=label,
            sha256=blob.sha256,
            size=blob.size,
            media_type=media.value,
            actor=actor,
            force_ocr=force_ocr,
        )
        document_id = document.id
    if not created:
        return AddedFile(label, "duplicate", document_id, blob.sha256)
    queue_document(settings, conn, document_id)
    return AddedFile(label, "stored", document_id, blob.sha256)


def queue_document(settings: Settings, conn: redis.Redis, document_id: int) -> None:
    """Queue a committed document's digitization, on the urgent lane when its dossier is
    due soon, and note the job on it. Should the queue be down, the error propagates, but
    the document is already recorded as queued and workers requeue it when they start
    (workers.reconcile)."""
    enqueue(conn, settings, JobKind.DIGITIZE, document_id)


def return_result(
    settings: Settings,
    code: str,
    *,
    actor: str,
    at: datetime | None = None,
    rating: Rating | None = None,
) -> dict[str, Any]:
    """The result is handed back to the citizen: the dossier is finished (on time or not),
    with the citizen's rating of the service if they gave one."""
    finished = at or utcnow()
    with open_database(settings).session() as session:
        dossier = finish_dossier(session, get_dossier(session, code), at=finished, actor=actor)
        if rating is not None:
            record_rating(session, dossier, rating=rating, at=finished, actor=actor)
        late = dossier.appointment_at is not None and finished > dossier.appointment_at
        return {
            "code": dossier.code,
            "finished_at": finished.astimezone(settings.zone).isoformat(),
            "on_time": not late,
        }


def reuse_document(
    settings: Settings,
    code: str,
    *,
    component_id: int,
    result_code: str,
    actor: str,
    units: Collection[str] | None = None,
) -> dict[str, Any]:
    """Serve a component with the applicant's earlier digitization result (by its code)
    instead of a new scan; refused with every reason when it may not (another person's,
    expired, another type, a unit the clerk may not see: `units`, None for every unit)."""
    with open_database(settings).session() as session:
        dossier = get_dossier(session, code)
        result = session.scalars(
            select(DigitizationResult).where(DigitizationResult.code == result_code.strip())
        ).one_or_none()
        if result is None:
            raise NotFound(f"no digitization result with code {result_code!r}")
        today = datetime.now(settings.zone).date()
        component = reuse_result(
            session, dossier, component_id, result.id, on=today, units=units, actor=actor
        )
        return {"code": dossier.code, "component_id": component.id, "result": result.code}


def check_national(
    settings: Settings, code: str, *, component_id: int, source: str, reference: str, actor: str
) -> dict[str, Any]:
    """A component's paper was checked against a national database (population, civil
    status, or shown in VNeID) instead of being taken: the component counts as present and
    the dossier as using national data (storage.national_checks). The one function the
    CLI, the API and the clerk's page call."""
    now = utcnow()
    with open_database(settings).session() as session:
        dossier = get_dossier(session, code)
        component = record_national_check(
            session, dossier, component_id, source=source, reference=reference, at=now,
            actor=actor,
        )  # fmt: skip
        return {
            "code": dossier.code,
            "component_id": component.id,
            "source": component.national_source,
            "reference": component.national_reference,
            "checked_by": actor,
            "checked_at": now.astimezone(settings.zone).isoformat(),
            "national_data": list(dossier.national_data),
        }


def ask_supplement(settings: Settings, code: str, *, reason: str, actor: str) -> dict[str, Any]:
    """The citizen must supplement the dossier: its processing clock stops now. `warning`
    holds the rule broken (asked late, or a second time) when it was."""
    now = utcnow()
    with open_database(settings).session() as session:
        dossier = get_dossier(session, code)
        request_supplement(session, dossier, reason=reason, at=now, actor=actor,
                           calendar=get_calendar(), zone=settings.zone)  # fmt: skip
        warning = session.scalars(
            select(Event.data).where(
                Event.dossier_id == dossier.id,
                Event.kind == EventKind.SUPPLEMENT_LATE.value,
                Event.at >= now,
            )
        ).first()
    return {"code": code, "paused_at": now.astimezone(settings.zone).isoformat(),
            "warning": warning}  # fmt: skip


def supplement_arrived(settings: Settings, code: str, *, actor: str) -> dict[str, Any]:
    """The supplement arrived: the clock runs again and the appointment moves by the
    working days waited."""
    with open_database(settings).session() as session:
        dossier = get_dossier(session, code)
        pause = receive_supplement(
            session, dossier, at=utcnow(), actor=actor, zone=settings.zone, calendar=get_calendar()
        )
        appointment = dossier.appointment_at
        return {
            "code": code,
            "paused_working_days": pause.working_days,
            "appointment_at": appointment.astimezone(settings.zone).isoformat()
            if appointment
            else None,
        }


def apologize(
    settings: Settings, code: str, *, reason: str, new_date: date, actor: str
) -> dict[str, Any]:
    """Record the apology letter an overdue dossier owes and return the letter to print
    (Circular 03/2025/TT-VPCP form 04, as reported; Decree 118/2025/NĐ-CP)."""
    with open_database(settings).session() as session:
        dossier = get_dossier(session, code)
        record_apology(session, dossier, reason=reason, new_date=new_date, at=utcnow(), actor=actor)
    return apology_letter(settings, code, reason=reason, new_date=new_date)


def request_rescan(settings: Settings, document_id: int, reason: str, *, actor: str) -> None:
    """Log that a document's paper must be scanned again, and why (a page unreadable, cut
    off, missing): the dossier page lists it until a new file is added."""
    reason = reason.strip()
    if not reason:
        raise InvalidRequest("say why the document must be scanned again")
    with open_database(settings).session() as session:
        document = get_document(session, document_id)
        append_event(
            session,
            EventKind.RESCAN_REQUESTED,
            actor=actor,
            dossier_id=document.dossier_id,
            document_id=document.id,
            data={"file": document.original_filename, "reason": reason},
        )


def queue_split(
    settings: Settings,
    conn: redis.Redis,
    code: str,
    document_id: int,
    first_pages: list[int],
    *,
    types: dict[str, str] | None = None,
    actor: str,
) -> str:
    """Queue a clerk's cut of dossier `code`'s digitized upload into documents starting at
    `first_pages` (fewer cuts merge parts: an ID card's front and back into one); a worker
    cuts the stack's PDF (workers.tasks.split_upload, as `sohoa document split` does in
    process), so the web process never loads the digitizing stack. The job's id."""
    starts = sorted(set(first_pages))
    return enqueue(conn, settings, JobKind.SPLIT, code, document_id, starts, types or {}, actor)


def correct_type(
    settings: Settings, document_id: int, document_type: str, *, actor: str
) -> dict[str, Any]:
    """A clerk sets a digitized document's type (storage.corrections: refiled to the
    component expecting it, logged, kept for training); returns where it is filed now."""
    with open_database(settings).session() as session:
        document = corrections.correct_type(session, document_id, document_type, actor=actor)
        return {
            "document_id": document.id,
            "document_type": document.document_type,
            "component_id": document.component_id,
        }


def correct_field(
    settings: Settings, document_id: int, name: str, value: str, *, actor: str
) -> str:
    """A clerk sets one extracted field of a digitized document (an event keeps who, the
    value before and after); the field is one the document has or one config.labels
    names. Returns its dossier's code."""
    with open_database(settings).session() as session:
        known = name in (get_document(session, document_id).fields or {})
        if not known and labels.field(name) == name:
            raise InvalidRequest(f"no field named {name!r}")
        document = corrections.correct_field(session, document_id, name, value, actor=actor)
        return document.dossier.code


def rate_service(settings: Settings, code: str, rating: Rating, *, actor: str) -> None:
    """The citizen rated the service after the return."""
    with open_database(settings).session() as session:
        record_rating(session, get_dossier(session, code), rating=rating, at=utcnow(), actor=actor)


def pay_fees(settings: Settings, code: str, status: PaymentStatus, *, actor: str) -> None:
    """The dossier's fees were paid (online or at the counter)."""
    with open_database(settings).session() as session:
        record_payment(session, get_dossier(session, code), status=status, at=utcnow(), actor=actor)


def end_without_result(
    settings: Settings, code: str, state: DossierStatus, *, reason: str, actor: str
) -> dict[str, Any]:
    """Refuse, withdraw or stop a dossier with its reason; it ends now."""
    now = utcnow()
    with open_database(settings).session() as session:
        end_dossier(session, get_dossier(session, code), state=state, reason=reason, at=now,
                    actor=actor)  # fmt: skip
    ended = now.astimezone(settings.zone).isoformat()
    return {"code": code, "state": state.value, "ended_at": ended}
