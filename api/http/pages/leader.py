"""The leader's pages: the signing inbox, a result's preview, signing one or a batch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.accounts import Principal
from api.archive_service import log_record_access
from api.http.auth import page
from api.http.context import service
from api.http.pages.common import render
from api.http.policy import Action
from api.http.routes_dossiers import dossier_for, owned_dossier
from api.paging import page_links, page_url
from api.sign_service import parse_seen, sign_results
from api.worklists import inbox_row, signing_inbox
from config import labels

router = APIRouter(include_in_schema=False)


@router.get("/leader")
def inbox(
    request: Request,
    principal: Annotated[Principal, page(Action.SIGN_INBOX)],
    signed: int | None = None,
    cursor: int | None = None,
) -> HTMLResponse:
    """Results to sign, being signed, and signed, of the leader's unit, newest dossier
    first, a page at a time."""
    settings = service(request).settings
    found = signing_inbox(settings, principal.unit_code, principal.signer_profile, cursor=cursor)
    pending = any(
        s["status"] in labels.PENDING_SIGNATURE for r in found.rows for s in r["signatures"]
    )
    return render(
        request,
        "leader_inbox.html",
        principal,
        rows=found.rows,
        signed=signed,
        pending=pending,
        agent_url=f"http://127.0.0.1:{settings.sign_agent_port}",
        status_url=page_url("/api/signing/inbox", {}, cursor),
        pager=page_links("/leader", {}, cursor, found.next_cursor),
    )


@router.get("/leader/dossiers/{code}")
def preview(
    code: str, request: Request, principal: Annotated[Principal, page(Action.SIGN_INBOX)]
) -> HTMLResponse:
    """A result before (or after) signing: its pages, its dossier's checklist."""
    svc = service(request)
    view = dossier_for(svc, principal, Action.SIGN_INBOX, code)
    log_record_access(svc.settings, [code], by=principal.username, how="view")
    row = inbox_row(svc.settings, principal.unit_code, principal.signer_profile, code)
    return render(request, "leader_preview.html", principal, dossier=view, row=row)


@router.post("/leader/sign")
def sign(
    request: Request,
    principal: Annotated[Principal, page(Action.SIGN)],
    results: Annotated[list[str], Form()],
) -> RedirectResponse:
    """Sign the chosen results with the leader's own profile (queued for the workers): each
    field names the result as the page showed it (CODE:DOCUMENT_ID:SHA256)."""
    svc = service(request)
    seen = [parse_seen(r) for r in results]
    for shown in seen:
        owned_dossier(svc, principal, Action.SIGN, shown.code)
    done = sign_results(
        svc.settings,
        svc.conn,
        seen,
        profile=principal.signer_profile,
        signer_unit=principal.unit_code,
        actor=principal.username,
    )
    return RedirectResponse(f"/leader?signed={len(done)}", status_code=303)
