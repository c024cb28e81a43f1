"""The archivist's pages: search with filters, signed dossiers to archive, a record and its
access copy, fixity alerts, the retention lists, a record's disposal by decision."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from api.accounts import Principal
from api.archive_service import (
    access_copy_zip,
    acknowledge,
    alerts,
    dispose,
    due_for_archive,
    expired_records,
    log_record_access,
    run_search,
)
from api.dossier_views import dossier_view, record_view
from api.http.auth import page
from api.http.context import service
from api.http.pages.common import render
from api.http.policy import Action, permits, unit_scope
from api.office_views import archive_view
from api.paging import page_links
from api.worklists import archive_candidates
from config import labels
from config.catalogue import get_catalogue
from config.errors import InvalidRequest
from config.settings import Settings
from storage.search.engine import SearchFilters
from workers.jobs import JobKind, enqueue

router = APIRouter(include_in_schema=False)


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise InvalidRequest(f"{value!r} is not a date (YYYY-MM-DD)") from e


def _lists(
    settings: Settings,
    asked: dict[str, str],
    alerts_cursor: int | None,
    due_cursor: int | None,
    expired_cursor: int | None,
) -> dict[str, Any]:
    """The alerts and retention lists, a page each, with their pagers."""
    shown: dict[str, Any] = {}
    for name, found, cursor in (
        ("alerts", alerts(settings, cursor=alerts_cursor), alerts_cursor),
        ("due", due_for_archive(settings, cursor=due_cursor), due_cursor),
        ("expired", expired_records(settings, cursor=expired_cursor), expired_cursor),
    ):
        shown[name] = found.rows
        key = f"{name}_cursor"
        shown[f"{name}_pager"] = page_links("/archive", asked, cursor, found.next_cursor, key)
    return shown


@router.get("/archive")
def archive_home(
    *,
    request: Request,
    principal: Annotated[Principal, page(Action.SEARCH)],
    q: str = "",
    procedure: str = "",
    type: str = "",
    unit: str = "",
    date_from: str = "",
    date_to: str = "",
    id_number: str = "",
    queued: str | None = None,
    cursor: int | None = None,
    hits_cursor: Annotated[int | None, Query(ge=0)] = None,
    alerts_cursor: int | None = None,
    due_cursor: int | None = None,
    expired_cursor: int | None = None,
) -> HTMLResponse:
    """Search (diacritics ignored), signed dossiers to archive (newest first), alerts and
    deadlines, each list a page at a time (its own cursor, keeping the search)."""
    settings = service(request).settings
    asked = {"q": q, "procedure": procedure, "type": type, "unit": unit}
    asked |= {"date_from": date_from, "date_to": date_to, "id_number": id_number}
    candidates = archive_candidates(settings, cursor=cursor)
    filters = SearchFilters(
        procedure=procedure or None,
        document_type=type or None,
        unit=unit or None,
        date_from=_day(date_from),
        date_to=_day(date_to),
        id_number=id_number.strip() or None,
    )
    searched = bool(q.strip()) or filters.given()
    live = unit_scope(principal, Action.SEARCH_LIVE)
    found = (
        run_search(
            settings, q.strip(), filters, cursor=hits_cursor, by=principal.username, live_units=live
        )
        if searched
        else None
    )
    return render(
        request,
        "archive_home.html",
        principal,
        q=q.strip(),
        filters=filters,
        raw={"date_from": date_from, "date_to": date_to},
        hits=found.rows if found else None,
        hits_pager=page_links("/archive", asked, hits_cursor, found.next_cursor, "hits_cursor")
        if found
        else None,
        candidates=candidates.rows,
        pager=page_links("/archive", asked, cursor, candidates.next_cursor),
        status=archive_view(settings),
        **_lists(settings, asked, alerts_cursor, due_cursor, expired_cursor),
        procedures=get_catalogue().procedures,
        types=get_catalogue().document_types,
        queued=queued,
    )


@router.post("/archive/seal")
def seal(
    request: Request,
    principal: Annotated[Principal, page(Action.ARCHIVE_SEAL)],
    code: Annotated[str, Form()],
) -> RedirectResponse:
    """Queue a signed dossier's archiving."""
    svc = service(request)
    dossier_view(svc.settings, code)  # NotFound for a code that does not exist
    enqueue(svc.conn, svc.settings, JobKind.ARCHIVE, code, principal.username)
    return RedirectResponse(f"/archive?queued={code}", status_code=303)


@router.get("/archive/records/{code}")
def record_page(
    code: str,
    request: Request,
    principal: Annotated[Principal, page(Action.ARCHIVE_READ)],
    done: str = "",
) -> HTMLResponse:
    """An archived record: metadata as sealed, versions, the access copy form (the access
    is logged), and once its retention period is over, the disposal form."""
    settings = service(request).settings
    view = record_view(settings, code)
    log_record_access(settings, [code], by=principal.username, how="view")
    today = datetime.now(settings.zone).date().isoformat()
    over = view["status"] == "active" and (view["retain_until"] or "9999") <= today
    return render(request, "archive_record.html", principal, record=view,
                  disposable=over and permits(principal, Action.ARCHIVE_DISPOSE),
                  done=labels.ARCHIVE_DONE.get(done))  # fmt: skip


@router.post("/archive/records/{code}/dispose")
def dispose_record(
    code: str,
    request: Request,
    principal: Annotated[Principal, page(Action.ARCHIVE_DISPOSE)],
    decision: Annotated[str, Form(min_length=3, max_length=200)],
    decided_by: Annotated[str, Form(min_length=2, max_length=200)],
) -> RedirectResponse:
    """Destroy a record past its retention period by the decision the archivist names."""
    dispose(service(request).settings, code, decision=decision.strip(),
            decided_by=decided_by.strip(), actor=principal.username)  # fmt: skip
    return RedirectResponse(f"/archive/records/{code}?done=disposed", status_code=303)


@router.post("/archive/records/{code}/access-copy")
async def access_copy(
    code: str,
    request: Request,
    principal: Annotated[Principal, page(Action.ARCHIVE_EXPORT)],
    reason: Annotated[str, Form()],
) -> FileResponse:
    """Download the record's access copy (zip); who, when and why are logged first."""
    if len(reason.strip()) < 3:
        raise InvalidRequest("say why the record is retrieved")
    path = await run_in_threadpool(
        access_copy_zip,
        service(request).settings,
        code,
        by=principal.username,
        reason=reason.strip(),
    )
    return FileResponse(
        path,
        media_type="application/zip",
        filename=f"{code}-ban-sao.zip",
        background=BackgroundTask(shutil.rmtree, path.parent, True),
    )


@router.post("/archive/alerts/ack")
def acknowledge_alerts(
    request: Request,
    principal: Annotated[Principal, page(Action.FIXITY_ACK)],
    ids: Annotated[list[int], Form()],
    note: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Close the alerts an archivist looked into."""
    acknowledge(service(request).settings, ids, by=principal.username, note=note or None)
    return RedirectResponse("/archive#alerts", status_code=303)
