"""The clerk's counter work on a dossier's page: the receipt to print, asking for a
supplement and recording it arrived, returning the result, routing it to its competent
unit, ending it without a result, an apology letter with a new date, the dossier's
printable forms, recording a component checked against a national
database or served with the applicant's earlier digitization result, and correcting a
document's extracted fields (the `sohoa dossier receipt|supplement|resume|return|route|
refuse|withdraw|stop|check-national|reuse|apologize|form|pay|rate`, `sohoa document split`
commands' pages)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.accounts import Principal
from api.http.auth import page
from api.http.context import service
from api.http.headers import FRAMED_PDF_HEADERS
from api.http.policy import Action
from api.http.routes_counter import FormNumber, form_response
from api.http.routes_dossiers import owned_document, owned_dossier
from api.receipts import dossier_receipt
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
from storage.enums import DataSource, DossierStatus, PaymentStatus, Rating
from storage.national_checks import REFERENCE_MAX

router = APIRouter(include_in_schema=False)


def _back(code: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"/clerk/dossiers/{code}?done={done}", status_code=303)


@router.get("/clerk/dossiers/{code}/receipt.pdf")
async def receipt(
    code: str, request: Request, principal: Annotated[Principal, page(Action.DOSSIER_READ)]
) -> Response:
    """The dossier's receipt (giấy tiếp nhận) as an A4 PDF with its QR code, to print and
    put on top of the papers the scanner takes (api.inbox files them by it)."""
    svc = service(request)
    await run_in_threadpool(owned_dossier, svc, principal, Action.DOSSIER_READ, code)
    pdf = await run_in_threadpool(dossier_receipt, svc.settings, code)
    disposition = f'inline; filename="{code}-tiep-nhan.pdf"'
    headers = FRAMED_PDF_HEADERS | {"Content-Disposition": disposition}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/clerk/dossiers/{code}/forms/{number}.pdf")
async def form(
    code: str,
    number: FormNumber,
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_READ)],
) -> Response:
    """One of the dossier's forms to print (supplement request, refusal, apology letter,
    notice of stopping, control slip), from its event log."""
    svc = service(request)
    await run_in_threadpool(owned_dossier, svc, principal, Action.DOSSIER_READ, code)
    return await run_in_threadpool(form_response, svc.settings, code, number)


@router.post("/clerk/dossiers/{code}/apology")
def apology(
    code: str,
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_APOLOGIZE)],
    reason: Annotated[str, Form(min_length=3, max_length=500)],
    new_date: Annotated[date, Form()],
) -> RedirectResponse:
    """Record the apology letter and new date; the page then offers form 04 to print."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_APOLOGIZE, code)
    apologize(svc.settings, code, reason=reason, new_date=new_date, actor=principal.username)
    return _back(code, "apology")


@router.post("/clerk/dossiers/{code}/payment")
def payment(
    code: str,
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_PAY)],
    status: Annotated[Literal[PaymentStatus.PAID_ONLINE, PaymentStatus.PAID_DIRECT], Form()],
) -> RedirectResponse:
    """The dossier's fees were paid, online or at the counter."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_PAY, code)
    pay_fees(svc.settings, code, status, actor=principal.username)
    return _back(code, "payment")


@router.post("/clerk/dossiers/{code}/rating")
def rating(
    code: str,
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_RATE)],
    rating: Annotated[Rating, Form()],
) -> RedirectResponse:
    """The citizen's rating of the service, after the return."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_RATE, code)
    rate_service(svc.settings, code, rating, actor=principal.username)
    return _back(code, "rating")


@router.post("/clerk/dossiers/{code}/supplement")
def supplement(
    code: str,
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_SUPPLEMENT)],
    reason: Annotated[str, Form(min_length=3, max_length=500)],
) -> RedirectResponse:
    """Ask the citizen to supplement the dossier: its processing clock stops."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_SUPPLEMENT, code)
    ask_supplement(svc.settings, code, reason=reason, actor=principal.username)
    return _back(code, "supplement")


@router.post("/clerk/dossiers/{code}/resume")
def resume(
    code: str, request: Request, principal: Annotated[Principal, page(Action.DOSSIER_SUPPLEMENT)]
) -> RedirectResponse:
    """The supplement arrived: the clock runs again, the appointment moves."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_SUPPLEMENT, code)
    supplement_arrived(svc.settings, code, actor=principal.username)
    return _back(code, "resume")


@router.post("/clerk/dossiers/{code}/return")
def return_to_citizen(
    code: str, request: Request, principal: Annotated[Principal, page(Action.DOSSIER_RETURN)]
) -> RedirectResponse:
    """The result is handed to the citizen: the dossier is finished, on time or not."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_RETURN, code)
    return_result(svc.settings, code, actor=principal.username)
    return _back(code, "return")


@router.post("/clerk/dossiers/{code}/route")
def route_to_competent(
    code: str,
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_ROUTE)],
    to: Annotated[str, Form(min_length=1, max_length=64)],
    reason: Annotated[str, Form(max_length=500)] = "",
) -> RedirectResponse:
    """Send the dossier to the competent unit of the procedure's level that resolves it."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_ROUTE, code)
    route(svc.settings, code, to=to, reason=reason or None, actor=principal.username)
    return _back(code, "route")


@router.post("/clerk/dossiers/{code}/end")
def end(
    code: str,
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_END)],
    state: Annotated[Literal["refused", "withdrawn", "stopped"], Form()],
    reason: Annotated[str, Form(min_length=3, max_length=500)],
) -> RedirectResponse:
    """Refuse, withdraw or stop the dossier, with the reason told to the citizen."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_END, code)
    end_without_result(svc.settings, code, DossierStatus(state), reason=reason,
                       actor=principal.username)  # fmt: skip
    return _back(code, "end")


@router.post("/clerk/dossiers/{code}/components/{component_id}/national-check")
def national_check(
    code: str,
    component_id: int,
    request: Request,
    *,
    principal: Annotated[Principal, page(Action.DOSSIER_NATIONAL_CHECK)],
    source: Annotated[DataSource, Form()],
    reference: Annotated[str, Form(min_length=1, max_length=REFERENCE_MAX)],
) -> RedirectResponse:
    """A component's paper was checked against a national database instead of taken."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_NATIONAL_CHECK, code)
    check_national(svc.settings, code, component_id=component_id, source=source.value,
                   reference=reference, actor=principal.username)  # fmt: skip
    return _back(code, "national_check")


@router.post("/clerk/dossiers/{code}/components/{component_id}/reuse")
def reuse(
    code: str,
    component_id: int,
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_REUSE)],
    result: Annotated[str, Form(min_length=1, max_length=64)],
) -> RedirectResponse:
    """A component is served by the applicant's earlier result, chosen on the checklist."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_REUSE, code)
    reuse_document(svc.settings, code, component_id=component_id, result_code=result,
                   actor=principal.username, units=[principal.unit_code])  # fmt: skip
    return _back(code, "reuse")


@router.post("/clerk/documents/{document_id}/split")
def split_document(
    document_id: int,
    request: Request,
    principal: Annotated[Principal, page(Action.DOCUMENT_SPLIT)],
    starts: Annotated[list[int], Form()],
) -> RedirectResponse:
    """Queue the cut of a digitized upload at the pages ticked; back to its dossier."""
    svc = service(request)
    code = owned_document(svc, principal, Action.DOCUMENT_SPLIT, document_id)
    queue_split(svc.settings, svc.conn, code, document_id, starts, actor=principal.username)
    return _back(code, "split")


@router.post("/clerk/documents/{document_id}/fields")
def correct_document_field(
    document_id: int,
    request: Request,
    principal: Annotated[Principal, page(Action.DOCUMENT_CORRECT)],
    name: Annotated[str, Form(min_length=1, max_length=64)],
    value: Annotated[str, Form(max_length=500)] = "",
) -> RedirectResponse:
    """Set one extracted field as the clerk reads it on the page (empty: remove it); the
    change is an event with who and the value before and after."""
    svc = service(request)
    owned_document(svc, principal, Action.DOCUMENT_CORRECT, document_id)
    correct_field(svc.settings, document_id, name, value, actor=principal.username)
    return RedirectResponse(f"/clerk/documents/{document_id}#fields", status_code=303)
