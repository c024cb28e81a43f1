"""API: the unit's backlog; the counter's work on a dossier (supplement asked and received,
result returned, routed to its competent unit, ended without a result, a component checked
against a national database, served with the applicant's earlier digitization result) and
a clerk's corrections of a document's extracted fields, as the clerk's pages do them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from api.accounts import Principal
from api.dossier_views import citizen_documents_view, document_view
from api.forms import dossier_form, tracking_book
from api.http.auth import allow
from api.http.context import service
from api.http.headers import FRAMED_PDF_HEADERS
from api.http.policy import Action, unit_filter
from api.http.routes_dossiers import owned_document, owned_dossier
from api.http.schemas_backlog import Backlog
from api.http.schemas_counter import (
    ApologyLetter,
    DocumentSplitQueued,
    Ended,
    NationalChecked,
    Paid,
    Rated,
    Returned,
    Reused,
    Routed,
    SupplementArrived,
    SupplementAsked,
)
from api.http.schemas_dossiers import DocumentView, ReusableResults
from api.http.schemas_errors import ERRORS, FILE
from api.services import (
    apologize,
    ask_supplement,
    check_national,
    correct_field,
    end_without_result,
    pay_fees,
    queue_split,
    rate_service,
    return_result,
    reuse_document,
    route,
    supplement_arrived,
)
from api.worklists import backlog_view
from config.settings import Settings
from storage.corrections import FIELD_VALUE_MAX
from storage.enums import DataSource, DossierStatus, PaymentStatus, Rating
from storage.national_checks import REFERENCE_MAX

router = APIRouter(prefix="/api", tags=["counter"], responses=ERRORS)


class SupplementRequest(BaseModel):
    """What the citizen must supplement."""

    reason: str = Field(min_length=3, max_length=500)


class FieldCorrection(BaseModel):
    """One extracted field as the clerk reads it on the page (empty: remove it)."""

    name: str = Field(min_length=1, max_length=64, description="e.g. id_number, issue_date.")
    value: str = Field(default="", max_length=FIELD_VALUE_MAX)


class RouteRequest(BaseModel):
    """Where the dossier goes: a unit of the register that resolves the procedure's level."""

    to: str = Field(min_length=1, max_length=64, description="The competent unit's code.")
    reason: str | None = Field(default=None, max_length=500)


class EndRequest(BaseModel):
    """How the dossier ends without a result, and the reason told to the citizen."""

    state: Literal["refused", "withdrawn", "stopped"]
    reason: str = Field(min_length=3, max_length=500)


class NationalCheck(BaseModel):
    """The national database a component's paper was checked against instead of taken."""

    source: DataSource
    reference: str = Field(min_length=1, max_length=REFERENCE_MAX,
                           description="The looked-up record's reference.")  # fmt: skip


@router.get("/backlog", response_model=Backlog)
def backlog(
    request: Request,
    principal: Annotated[Principal, allow(Action.BACKLOG_READ)],
    leader: Annotated[str | None, Query(max_length=200, description="A leader's name.")] = None,
) -> dict[str, Any]:
    """The unit's open dossiers overdue, due by the end of the next working day, or waiting
    for the citizen's supplement, most urgent first, with counts per unit and leader and
    the apology letters owed (as `sohoa backlog`)."""
    unit = unit_filter(principal, Action.BACKLOG_READ)
    return backlog_view(service(request).settings, unit=unit, leader=leader)


def book_response(settings: Settings, unit: str, start: date, end: date) -> Response:
    """The unit's tracking book (form 07) as an inline PDF, as `sohoa book` writes it."""
    name = f"so-theo-doi-{unit}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    headers = FRAMED_PDF_HEADERS | {"Content-Disposition": f'inline; filename="{name}"'}
    pdf = tracking_book(settings, unit, start, end)
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/book", response_class=Response, responses=FILE)
def book(
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_LIST)],
    start: Annotated[date, Query(alias="from", description="First day received.")],
    end: Annotated[date, Query(alias="to", description="Last day received.")],
) -> Response:
    """The unit's tracking book (sổ theo dõi hồ sơ, form 07) of the dossiers it received or
    resolves, received between the two days, as a PDF (as `sohoa book`; the asker's unit)."""
    unit = unit_filter(principal, Action.DOSSIER_LIST)
    assert unit is not None  # the row is unit-scoped for every role it lets in
    return book_response(service(request).settings, unit, start, end)


@router.post("/dossiers/{code}/route", response_model=Routed)
def route_to_competent(
    code: str,
    body: RouteRequest,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_ROUTE)],
) -> dict[str, Any]:
    """Send the dossier to the competent unit that resolves it (Decree 118/2025/NĐ-CP): a
    unit of the procedure's level in the province (else 400 `not_competent`)."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_ROUTE, code)
    previous = route(svc.settings, code, to=body.to, reason=body.reason,
                     actor=principal.username)  # fmt: skip
    return {"code": code, "from": previous, "to": body.to.strip()}


@router.post("/dossiers/{code}/end", response_model=Ended)
def end(
    code: str,
    body: EndRequest,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_END)],
) -> dict[str, Any]:
    """Refuse, withdraw or stop the dossier with its reason (Circular 03/2025/TT-VPCP
    forms 03 and 05); the portal counts it as finished."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_END, code)
    return end_without_result(svc.settings, code, DossierStatus(body.state), reason=body.reason,
                              actor=principal.username)  # fmt: skip


@router.post(
    "/dossiers/{code}/components/{component_id}/national-check", response_model=NationalChecked
)
def national_check(
    code: str,
    component_id: int,
    body: NationalCheck,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_NATIONAL_CHECK)],
) -> dict[str, Any]:
    """Record that a component's paper was checked against a national database (population,
    civil status, or shown in VNeID) instead of taken: the checklist counts it present."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_NATIONAL_CHECK, code)
    return check_national(svc.settings, code, component_id=component_id,
                          source=body.source.value, reference=body.reference,
                          actor=principal.username)  # fmt: skip


class ApologyRequest(BaseModel):
    """Why the result is late, and the new date promised to the citizen."""

    reason: str = Field(min_length=3, max_length=500)
    new_date: date


FORM_NUMBERS = (
    "01 receipt, 02 supplement request, 03 refusal, 04 apology, 05 stopping, 06 control slip."
)
FormNumber = Annotated[str, Path(pattern=r"^0[1-6]$", description=FORM_NUMBERS)]
"""A form of Circular 03/2025/TT-VPCP a dossier prints (api.forms)."""


def form_response(settings: Settings, code: str, number: str) -> Response:
    """The dossier's form as an inline PDF, as `sohoa dossier form` writes it."""
    disposition = f'inline; filename="{code}-mau-{number}.pdf"'
    headers = FRAMED_PDF_HEADERS | {"Content-Disposition": disposition}
    pdf = dossier_form(settings, code, number)
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/dossiers/{code}/forms/{number}", response_class=Response, responses=FILE)
def form(
    code: str,
    number: FormNumber,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_READ)],
) -> Response:
    """One of the dossier's forms as a PDF, from what its event log recorded (400 when the
    dossier has no event the form reports, e.g. no apology recorded for 04)."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_READ, code)
    return form_response(svc.settings, code, number)


@router.post("/dossiers/{code}/apology", response_model=ApologyLetter)
def apology(
    code: str,
    body: ApologyRequest,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_APOLOGIZE)],
) -> dict[str, Any]:
    """Record the apology letter and new date an overdue (or soon due) dossier owes its
    citizen, as `sohoa dossier apologize`; too early is 400. Form 04 prints it."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_APOLOGIZE, code)
    return apologize(svc.settings, code, reason=body.reason, new_date=body.new_date,
                     actor=principal.username)  # fmt: skip


class Payment(BaseModel):
    """How the dossier's fees were paid."""

    status: Literal[PaymentStatus.PAID_ONLINE, PaymentStatus.PAID_DIRECT]


class CitizenRating(BaseModel):
    """The citizen's rating of the service, after the return."""

    rating: Rating


@router.post("/dossiers/{code}/payment", response_model=Paid)
def payment(
    code: str,
    body: Payment,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_PAY)],
) -> dict[str, str]:
    """Record that the dossier's fees were paid, as `sohoa dossier pay` (a dossier owing
    no fee is 400)."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_PAY, code)
    pay_fees(svc.settings, code, body.status, actor=principal.username)
    return {"code": code, "payment": body.status.value}


@router.post("/dossiers/{code}/rating", response_model=Rated)
def rating(
    code: str,
    body: CitizenRating,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_RATE)],
) -> dict[str, str]:
    """Record the citizen's rating of the service, as `sohoa dossier rate` (before the
    return is 400)."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_RATE, code)
    rate_service(svc.settings, code, body.rating, actor=principal.username)
    return {"code": code, "rating": body.rating.value}


class Cut(BaseModel):
    """Where a digitized upload's documents start, and optionally their types."""

    starts: list[int] = Field(min_length=1, max_length=500,
                              description="The first page of each document (1-based).")  # fmt: skip
    types: dict[str, str] = Field(default_factory=dict, max_length=500,
                                  description="By first page, a type code (3: cccd).")  # fmt: skip


@router.post("/documents/{document_id}/split", status_code=202, response_model=DocumentSplitQueued)
def split_document(
    document_id: int,
    body: Cut,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOCUMENT_SPLIT)],
) -> dict[str, Any]:
    """Queue the cut of a digitized upload into documents starting at the pages given (as
    `sohoa document split`); fewer cuts merge parts. See the job (`/api/jobs/{id}`): a
    refusal (a part, pages out of range) is its result and the dossier's `job.failed`."""
    svc = service(request)
    code = owned_document(svc, principal, Action.DOCUMENT_SPLIT, document_id)
    job = queue_split(svc.settings, svc.conn, code, document_id, body.starts, types=body.types,
                      actor=principal.username)  # fmt: skip
    return {"document_id": document_id, "job_id": job}


class ReuseRequest(BaseModel):
    """The applicant's earlier digitization result that serves the component."""

    result: str = Field(min_length=1, max_length=64, description="The result's code.")


@router.get("/dossiers/{code}/reusable", response_model=ReusableResults)
def reusable(
    code: str, request: Request, principal: Annotated[Principal, allow(Action.DOSSIER_REUSE)]
) -> dict[str, Any]:
    """The applicant's still-valid digitization results made by the clerk's unit, each with
    the components of this dossier it may serve (as `sohoa dossier documents`)."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_REUSE, code)
    return citizen_documents_view(svc.settings, code, units=[principal.unit_code])


@router.post("/dossiers/{code}/components/{component_id}/reuse", response_model=Reused)
def reuse(
    code: str,
    component_id: int,
    body: ReuseRequest,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_REUSE)],
) -> dict[str, Any]:
    """Serve a component with the applicant's earlier result instead of a new scan (as
    `sohoa dossier reuse`): refused (400) with every reason when it is another person's,
    expired, of another type or made by another unit."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_REUSE, code)
    return reuse_document(svc.settings, code, component_id=component_id, result_code=body.result,
                          actor=principal.username, units=[principal.unit_code])  # fmt: skip


@router.post("/dossiers/{code}/supplement", response_model=SupplementAsked)
def supplement(
    code: str,
    body: SupplementRequest,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_SUPPLEMENT)],
) -> dict[str, Any]:
    """Ask the citizen to supplement the dossier: its processing clock stops (`warning`
    names the rule broken when it was asked late or a second time)."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_SUPPLEMENT, code)
    return ask_supplement(svc.settings, code, reason=body.reason, actor=principal.username)


@router.post("/dossiers/{code}/resume", response_model=SupplementArrived)
def resume(
    code: str, request: Request, principal: Annotated[Principal, allow(Action.DOSSIER_SUPPLEMENT)]
) -> dict[str, Any]:
    """The supplement arrived: the clock runs again and the appointment moves by the
    working days waited."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_SUPPLEMENT, code)
    return supplement_arrived(svc.settings, code, actor=principal.username)


@router.post("/dossiers/{code}/return", response_model=Returned)
def return_to_citizen(
    code: str, request: Request, principal: Annotated[Principal, allow(Action.DOSSIER_RETURN)]
) -> dict[str, Any]:
    """The result is handed to the citizen: the dossier is finished, on time or not."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_RETURN, code)
    return return_result(svc.settings, code, actor=principal.username)


@router.post("/documents/{document_id}/fields", response_model=DocumentView)
def correct_document_field(
    document_id: int,
    body: FieldCorrection,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOCUMENT_CORRECT)],
) -> dict[str, Any]:
    """Set one extracted field of a digitized document (an event keeps who, the value
    before and after); the document as it now reads."""
    svc = service(request)
    owned_document(svc, principal, Action.DOCUMENT_CORRECT, document_id)
    correct_field(svc.settings, document_id, body.name, body.value, actor=principal.username)
    return document_view(svc.settings, document_id)
