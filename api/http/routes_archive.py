"""API: search, archived records, access copies, sealing, fixity alerts, retention lists,
disposal by decision."""

from __future__ import annotations

import shutil
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
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
from api.http.auth import allow
from api.http.context import service
from api.http.policy import Action, unit_scope
from api.http.schemas_archive import (
    AlertsAcknowledged,
    ArchivedRecord,
    ArchiveHealth,
    DisposalAnswer,
    DueForArchive,
    ExpiredRecord,
    FixityAlertRow,
    SealQueued,
)
from api.http.schemas_dossiers import DossierRow
from api.http.schemas_errors import ERRORS, FILE
from api.http.schemas_search import SearchHit
from api.office_views import archive_view
from api.paging import Page, next_link
from api.worklists import archive_candidates
from config import defaults
from storage.search.engine import SearchFilters
from workers.jobs import JobKind, enqueue

router = APIRouter(prefix="/api", tags=["archive"], responses=ERRORS)


class AccessRequest(BaseModel):
    """Why a record is retrieved: logged with who and when."""

    reason: str = Field(min_length=3, max_length=500)


class DisposalDecision(BaseModel):
    """The decision that destroys a record past its retention period (Law on Archives)."""

    decision: str = Field(min_length=3, max_length=200,
                          description="The decision's number, date and issuer.")  # fmt: skip
    decided_by: str = Field(min_length=2, max_length=200, description="Who decided it.")


class Acknowledge(BaseModel):
    """Alerts an archivist looked into."""

    ids: list[int] = Field(min_length=1)
    note: str | None = None


@router.get("/search", response_model=list[SearchHit])
def search_documents(
    *,
    request: Request,
    principal: Annotated[Principal, allow(Action.SEARCH)],
    q: str = "",
    procedure: str | None = None,
    document_type: Annotated[str | None, Query(alias="type")] = None,
    unit: str | None = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    id_number: str | None = None,
    dossier: str | None = None,
    cursor: Annotated[
        int | None, Query(ge=0, description="The previous page's next cursor (hits before).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = defaults.SEARCH_LIMIT,
    response: Response,
) -> list[dict[str, Any]]:
    """Full text and metadata, diacritics ignored ("giay khai sinh" finds "Giấy khai sinh"),
    best first, a page at a time (the `Link` header names the next page, rel="next"); each
    archived record shown is logged as accessed by the asker."""
    filters = SearchFilters(
        procedure=procedure,
        document_type=document_type,
        unit=unit,
        date_from=date_from,
        date_to=date_to,
        id_number=id_number,
        dossier_code=dossier,
    )
    settings, live = service(request).settings, unit_scope(principal, Action.SEARCH_LIVE)
    found = run_search(
        settings, q, filters, cursor=cursor, limit=limit, by=principal.username, live_units=live
    )
    asked = {k: v for k, v in request.query_params.items() if k != "cursor"}
    return _rows(response, "/api/search", found, asked | {"limit": str(limit)})


def _rows(
    response: Response, path: str, found: Page[dict[str, Any]], params: dict[str, str]
) -> list[dict[str, Any]]:
    """A page's rows, the `Link` header naming the next page (rel="next") when one follows."""
    link = next_link(path, params, found.next_cursor)
    if link is not None:
        response.headers["Link"] = link
    return found.rows


@router.get("/archive", response_model=ArchiveHealth)
def archive_status(
    request: Request, _: Annotated[Principal, allow(Action.ARCHIVE_READ)]
) -> dict[str, Any]:
    """Packages, open fixity alerts, records due for the archive or past retention."""
    return archive_view(service(request).settings)


Cursor = Annotated[int | None, Query(description="The previous page's next cursor.")]
Limit = Annotated[int, Query(ge=1, le=defaults.LIST_PAGE_MAX)]


@router.get("/archive/candidates", response_model=list[DossierRow])
def candidates(
    request: Request,
    response: Response,
    _: Annotated[Principal, allow(Action.ARCHIVE_READ)],
    cursor: Cursor = None,
    limit: Limit = defaults.LIST_PAGE_SIZE,
) -> list[dict[str, Any]]:
    """Signed dossiers not archived yet, newest first, a page at a time: when more follow,
    the `Link` header names the next page (rel="next", a cursor)."""
    found = archive_candidates(service(request).settings, cursor=cursor, limit=limit)
    return _rows(response, "/api/archive/candidates", found, {"limit": str(limit)})


@router.get("/archive/retention/due", response_model=list[DueForArchive])
def retention_due(
    request: Request,
    response: Response,
    _: Annotated[Principal, allow(Action.ARCHIVE_READ)],
    cursor: Cursor = None,
    limit: Limit = defaults.LIST_PAGE_SIZE,
) -> list[dict[str, Any]]:
    """Dossiers due for the archive within 30 days (or overdue), soonest first, a page at
    a time (`Link`: rel="next")."""
    found = due_for_archive(service(request).settings, cursor=cursor, limit=limit)
    return _rows(response, "/api/archive/retention/due", found, {"limit": str(limit)})


@router.get("/archive/retention/expired", response_model=list[ExpiredRecord])
def retention_expired(
    request: Request,
    response: Response,
    _: Annotated[Principal, allow(Action.ARCHIVE_READ)],
    cursor: Cursor = None,
    limit: Limit = defaults.LIST_PAGE_SIZE,
) -> list[dict[str, Any]]:
    """Archived records past their retention period, longest overdue first, a page at a
    time (`Link`: rel="next")."""
    found = expired_records(service(request).settings, cursor=cursor, limit=limit)
    return _rows(response, "/api/archive/retention/expired", found, {"limit": str(limit)})


@router.get("/archive/alerts", response_model=list[FixityAlertRow])
def fixity_alerts(
    request: Request,
    response: Response,
    _: Annotated[Principal, allow(Action.ARCHIVE_READ)],
    cursor: Cursor = None,
    limit: Limit = defaults.LIST_PAGE_SIZE,
) -> list[dict[str, Any]]:
    """Open fixity alerts, newest first, a page at a time (`Link`: rel="next")."""
    found = alerts(service(request).settings, cursor=cursor, limit=limit)
    return _rows(response, "/api/archive/alerts", found, {"limit": str(limit)})


@router.post("/archive/alerts/acknowledge", response_model=AlertsAcknowledged)
def acknowledge_fixity_alerts(
    body: Acknowledge,
    request: Request,
    principal: Annotated[Principal, allow(Action.FIXITY_ACK)],
) -> dict[str, int]:
    """Acknowledge alerts after looking into them."""
    done = acknowledge(service(request).settings, body.ids, by=principal.username, note=body.note)
    return {"acknowledged": done}


@router.get("/archive/records/{code}", response_model=ArchivedRecord)
def record(
    code: str, request: Request, principal: Annotated[Principal, allow(Action.ARCHIVE_READ)]
) -> dict[str, Any]:
    """An archived record: its metadata as sealed and its versions (the access is logged)."""
    settings = service(request).settings
    view = record_view(settings, code)
    log_record_access(settings, [code], by=principal.username, how="view")
    return view


@router.post("/archive/records/{code}", status_code=202, response_model=SealQueued)
def seal(
    code: str, request: Request, principal: Annotated[Principal, allow(Action.ARCHIVE_SEAL)]
) -> dict[str, str]:
    """Queue a signed dossier's archiving (checks, BagIt package, replica); see the job. A
    code that names no dossier is a 404, as on the archivist's page, not a job bound to fail."""
    svc = service(request)
    dossier_view(svc.settings, code)
    job = enqueue(svc.conn, svc.settings, JobKind.ARCHIVE, code, principal.username)
    return {"code": code, "job_id": job}


@router.post("/archive/records/{code}/dispose", response_model=DisposalAnswer)
def dispose_record(
    code: str,
    body: DisposalDecision,
    request: Request,
    principal: Annotated[Principal, allow(Action.ARCHIVE_DISPOSE)],
) -> dict[str, Any]:
    """Destroy a record past its retention period by the decision given (as `sohoa
    dispose`): its files and text are gone, its metadata, event log and a tombstone stay;
    a record still kept or kept permanently is refused (400 `disposal_refused`)."""
    done = dispose(service(request).settings, code, decision=body.decision.strip(),
                   decided_by=body.decided_by.strip(), actor=principal.username)  # fmt: skip
    return done.to_dict()


@router.post("/archive/records/{code}/access-copy", response_class=FileResponse, responses=FILE)
async def access_copy(
    code: str,
    body: AccessRequest,
    request: Request,
    principal: Annotated[Principal, allow(Action.ARCHIVE_EXPORT)],
) -> FileResponse:
    """The record's access copy as a zip (BagIt bag: PDFs checked against their sealed
    digests, metadata, the whole record as one PDF); who, when and why are logged."""
    settings = service(request).settings
    path = await run_in_threadpool(
        access_copy_zip, settings, code, by=principal.username, reason=body.reason
    )
    return FileResponse(
        path,
        media_type="application/zip",
        filename=f"{code}-ban-sao.zip",
        background=BackgroundTask(shutil.rmtree, path.parent, True),
    )
