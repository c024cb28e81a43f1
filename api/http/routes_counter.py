"""API: the counter's work on a dossier (supplement asked and received, result returned)
and a clerk's corrections of a document's extracted fields, as the clerk's pages do them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from api.accounts import Principal
from api.dossier_views import document_view
from api.http.auth import allow
from api.http.context import service
from api.http.policy import Action
from api.http.routes_dossiers import owned_document, owned_dossier
from api.services import ask_supplement, correct_field, return_result, supplement_arrived
from storage.corrections import FIELD_VALUE_MAX

router = APIRouter(prefix="/api", tags=["counter"])


class SupplementRequest(BaseModel):
    """What the citizen must supplement."""

    reason: str = Field(min_length=3, max_length=500)


class FieldCorrection(BaseModel):
    """One extracted field as the clerk reads it on the page (empty: remove it)."""

    name: str = Field(min_length=1, max_length=64, description="e.g. id_number, issue_date.")
    value: str = Field(default="", max_length=FIELD_VALUE_MAX)


@router.post("/dossiers/{code}/supplement")
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


@router.post("/dossiers/{code}/resume")
def resume(
    code: str, request: Request, principal: Annotated[Principal, allow(Action.DOSSIER_SUPPLEMENT)]
) -> dict[str, Any]:
    """The supplement arrived: the clock runs again and the appointment moves by the
    working days waited."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_SUPPLEMENT, code)
    return supplement_arrived(svc.settings, code, actor=principal.username)


@router.post("/dossiers/{code}/return")
def return_to_citizen(
    code: str, request: Request, principal: Annotated[Principal, allow(Action.DOSSIER_RETURN)]
) -> dict[str, Any]:
    """The result is handed to the citizen: the dossier is finished, on time or not."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_RETURN, code)
    return return_result(svc.settings, code, actor=principal.username)


@router.post("/documents/{document_id}/fields")
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
