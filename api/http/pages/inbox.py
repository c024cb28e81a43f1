"""The clerk's scanner inbox pages: the unit's files no receipt filed, each file's pages to
cut the stack into several or turn a page, and filing it into a dossier's component chosen
by its label; the same functions as `sohoa inbox split|rotate|assign` and /api/inbox."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.accounts import Principal
from api.dossier_views import local_time
from api.http.auth import page
from api.http.context import service
from api.http.pages.common import render
from api.http.policy import Action, unit_filter
from api.inbox import assign_item
from api.inbox_edits import rotate_page, split_item
from api.inbox_views import Choice, component_choices, waiting_file, waiting_files
from api.paging import page_links
from config import labels
from config.errors import UnknownDossier

router = APIRouter(include_in_schema=False)


@router.get("/clerk/inbox")
def inbox_page(
    request: Request,
    principal: Annotated[Principal, page(Action.INBOX_READ)],
    cursor: int | None = None,
    filed: Annotated[str, Query(max_length=64)] = "",
    split: Annotated[int | None, Query(ge=2, le=10_000)] = None,
) -> HTMLResponse:
    """The unit's scanned files no receipt filed, each with its first page, to assign."""
    settings = service(request).settings
    unit = unit_filter(principal, Action.INBOX_READ)
    found = waiting_files(settings, unit, cursor=cursor)
    return render(
        request,
        "clerk_inbox.html",
        principal,
        files=[(f, local_time(settings, f.received_at)) for f in found.rows],
        pager=page_links("/clerk/inbox", {}, cursor, found.next_cursor),
        filed=filed,
        done=labels.INBOX_DONE["split"].format(n=split) if split else None,
    )


@router.get("/clerk/inbox/{item_id}")
def inbox_file_page(
    item_id: int,
    request: Request,
    principal: Annotated[Principal, page(Action.INBOX_READ)],
    dossier: Annotated[str, Query(max_length=64)] = "",
    turned: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> HTMLResponse:
    """One waiting file's pages, each to turn, with the places to cut the stack; and, once
    a dossier code is given, that dossier's components by label to file it into."""
    settings = service(request).settings
    unit = unit_filter(principal, Action.INBOX_READ)
    shown = waiting_file(settings, unit, item_id)
    code = dossier.strip()
    choices: list[Choice] = []
    problem = None
    if code:
        try:
            choices = component_choices(settings, unit, code)
        except UnknownDossier as e:
            problem = e.hint_vi
    return render(
        request,
        "clerk_inbox_file.html",
        principal,
        status_code=404 if problem else 200,
        file=shown,
        received=local_time(settings, shown.received_at),
        version=(shown.sha256 or "")[:16],
        code=code if choices else "",
        asked=code,
        choices=choices,
        problem=problem,
        done=labels.INBOX_DONE["turned"].format(n=turned) if turned else None,
    )


@router.post("/clerk/inbox/{item_id}/assign")
def assign_inbox_file(
    item_id: int,
    request: Request,
    principal: Annotated[Principal, page(Action.INBOX_ASSIGN)],
    *,
    dossier_code: Annotated[str, Form(max_length=64)],
    component_id: Annotated[int | None, Form()] = None,
    cover_sheet: Annotated[bool, Form()] = False,
) -> RedirectResponse:
    """File a waiting file into a dossier of the unit (as `sohoa inbox assign` does), then
    back to the inbox saying where it went; an unknown code is refused in Vietnamese."""
    svc = service(request)
    code = dossier_code.strip()
    assign_item(
        svc.settings,
        svc.conn,
        item_id,
        code,
        cover_sheet=cover_sheet,
        actor=principal.username,
        component_id=component_id,
        unit=unit_filter(principal, Action.INBOX_ASSIGN),
    )
    return RedirectResponse(f"/clerk/inbox?{urlencode({'filed': code})}", status_code=303)


@router.post("/clerk/inbox/{item_id}/split")
def split_inbox_file(
    item_id: int,
    request: Request,
    principal: Annotated[Principal, page(Action.INBOX_SPLIT)],
    starts: Annotated[list[int] | None, Form()] = None,
) -> RedirectResponse:
    """Cut the file into parts starting at the pages ticked (as `sohoa inbox split`), then
    back to the inbox, where each part waits; pages it lacks are refused in Vietnamese."""
    parts = split_item(
        service(request).settings,
        item_id,
        starts or [],
        actor=principal.username,
        unit=unit_filter(principal, Action.INBOX_SPLIT),
    )
    return RedirectResponse(f"/clerk/inbox?split={len(parts)}", status_code=303)


@router.post("/clerk/inbox/{item_id}/rotate")
def rotate_inbox_page(
    item_id: int,
    request: Request,
    principal: Annotated[Principal, page(Action.INBOX_ROTATE)],
    *,
    page_number: Annotated[int, Form(alias="page")],
    degrees: Annotated[int, Form()],
) -> RedirectResponse:
    """Turn one page clockwise (as `sohoa inbox rotate`), then back to the file's pages."""
    rotate_page(
        service(request).settings,
        item_id,
        page_number,
        degrees,
        actor=principal.username,
        unit=unit_filter(principal, Action.INBOX_ROTATE),
    )
    where = f"/clerk/inbox/{item_id}?turned={page_number}#page-{page_number}"
    return RedirectResponse(where, status_code=303)
