"""The clerk's pages: the unit's dossiers, receiving a new one, uploading its scans, each
digitized document beside its text, type and data (the scanner inbox's files: pages.inbox)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.accounts import Principal
from api.archive_service import log_record_access
from api.dossier_search import DossierQuery, search_dossiers
from api.dossier_views import (
    citizen_documents_view,
    document_view,
    dossier_history,
    rescan_requests,
)
from api.http.auth import page
from api.http.context import service
from api.http.pages.common import render
from api.http.policy import Action, permits, unit_filter
from api.http.routes_dossiers import dossier_for, owned_document
from api.paging import page_links
from api.services import correct_type, open_dossier, request_rescan
from config import labels
from config.catalogue import get_catalogue
from config.errors import NotFound
from config.settings import Settings
from config.units import competent_candidates
from storage.enums import DossierStatus

router = APIRouter(include_in_schema=False)

DONE = labels.COUNTER_DONE

PENDING = labels.PENDING_DOCUMENT


@router.get("/clerk")
def clerk_home(
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_LIST)],
    *,
    q: Annotated[str, Query(max_length=200)] = "",
    procedure: Annotated[str, Query(max_length=32)] = "",
    status: Annotated[str, Query(max_length=32, description="A dossier state.")] = "",
    received_from: Annotated[str, Query(max_length=10, description="YYYY-MM-DD")] = "",
    received_to: Annotated[str, Query(max_length=10, description="YYYY-MM-DD")] = "",
    cursor: int | None = None,
) -> HTMLResponse:
    """The unit's dossiers, newest first, searched and a page at a time; and the form to
    receive a new one."""
    query = DossierQuery.parse(q, procedure, status, received_from, received_to)
    unit = unit_filter(principal, Action.DOSSIER_LIST)
    found = search_dossiers(service(request).settings, unit, query, cursor=cursor)
    return render(
        request,
        "clerk_home.html",
        principal,
        dossiers=found.rows,
        query=query,
        pager=page_links("/clerk", query.params(), cursor, found.next_cursor),
        statuses=list(DossierStatus),
        procedures=get_catalogue().procedures,
        can_create=principal.role.value == "clerk",
    )


@router.post("/clerk/dossiers")
def receive(
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_CREATE)],
    procedure: Annotated[str, Form()],
    applicant_name: Annotated[str, Form()],
    applicant_id_number: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Receive a dossier in the clerk's unit, then show it."""
    code = open_dossier(
        service(request).settings,
        procedure_code=procedure,
        applicant_name=applicant_name,
        applicant_id_number=applicant_id_number.strip() or None,
        unit_code=principal.unit_code,
        actor=principal.username,
    )
    return RedirectResponse(f"/clerk/dossiers/{code}?done=received", status_code=303)


@router.get("/clerk/dossiers/{code}")
def dossier_page(
    code: str,
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_READ)],
    done: str = "",
) -> HTMLResponse:
    """A dossier: its checklist, the upload area, its documents, its history."""
    view = dossier_for(service(request), principal, Action.DOSSIER_READ, code)
    log_record_access(service(request).settings, [code], by=principal.username, how="view")
    pending = any(d["status"] in PENDING for d in view["documents"])
    rescans = rescan_requests(service(request).settings, code)
    reusable = _reusable(service(request).settings, principal, code)
    return render(
        request,
        "clerk_dossier.html",
        principal,
        dossier=view,
        pending=pending,
        rescans=rescans,
        done=DONE.get(done),
        can_act=principal.role.value == "clerk",
        reusable=reusable,
        history=dossier_history(service(request).settings, code),
        printable=_printable(view["status"], done),
        competent_units=_competent_choices(view["procedure"]["code"], view["competent_unit"]),
    )


def _printable(status: str, done: str) -> list[str]:
    """The forms the dossier's events let it print now (api.forms), besides the receipt:
    the control slip always, the notice its state reports, the apology letter just made."""
    notice = {"supplement_requested": "02", "refused": "03", "stopped": "05"}.get(status)
    return sorted({"06", *([notice] if notice else []), *(["04"] if done == "apology" else [])})


def _reusable(settings: Settings, principal: Principal, code: str) -> dict[int, list[Any]]:
    """For a clerk who may reuse: each component id, the applicant's still-valid results of
    the clerk's unit that may serve it (the form's choices; the service checks again)."""
    if not permits(principal, Action.DOSSIER_REUSE):
        return {}
    view = citizen_documents_view(settings, code, units=[principal.unit_code])
    choices: dict[int, list[Any]] = {}
    for result in view["documents"]:
        for component_id in result["components"]:
            choices.setdefault(component_id, []).append(result)
    return choices


def _competent_choices(procedure_code: str, current: str) -> list[tuple[str, str]]:
    """(code, name) of the units the dossier may be routed to: of its procedure's level,
    other than the one holding it (the service checks again when it is sent)."""
    catalogue = get_catalogue()
    try:
        level = catalogue.procedure(procedure_code).level
    except NotFound:
        return []
    return [(u.code, u.name) for u in competent_candidates(catalogue.units, level)
            if u.code != current]  # fmt: skip


@router.get("/clerk/documents/{document_id}")
def document_page(
    document_id: int,
    request: Request,
    principal: Annotated[Principal, page(Action.DOCUMENT_READ)],
) -> HTMLResponse:
    """A document's pages beside their text, its type and data, and the type to correct."""
    svc = service(request)
    code = owned_document(svc, principal, Action.DOCUMENT_READ, document_id)
    view = document_view(svc.settings, document_id)
    log_record_access(
        svc.settings, [code], by=principal.username, how="view", document_id=document_id
    )
    return render(
        request,
        "clerk_document.html",
        principal,
        document=view,
        types=get_catalogue().document_types,
        pending=view["status"] in PENDING,
    )


@router.post("/clerk/documents/{document_id}/rescan")
def rescan(
    document_id: int,
    request: Request,
    principal: Annotated[Principal, page(Action.RESCAN_REQUEST)],
    reason: Annotated[str, Form()],
) -> RedirectResponse:
    """Ask for the paper to be scanned again; back to the dossier, where it is listed."""
    svc = service(request)
    code = owned_document(svc, principal, Action.RESCAN_REQUEST, document_id)
    request_rescan(svc.settings, document_id, reason, actor=principal.username)
    return RedirectResponse(f"/clerk/dossiers/{code}#rescans", status_code=303)


@router.post("/clerk/documents/{document_id}/type")
def correct(
    document_id: int,
    request: Request,
    principal: Annotated[Principal, page(Action.DOCUMENT_CORRECT)],
    document_type: Annotated[str, Form()],
) -> RedirectResponse:
    """Correct the document's type, then show it again."""
    svc = service(request)
    owned_document(svc, principal, Action.DOCUMENT_CORRECT, document_id)
    correct_type(svc.settings, document_id, document_type, actor=principal.username)
    return RedirectResponse(f"/clerk/documents/{document_id}", status_code=303)
