"""API: the procedure catalogue, dossiers, uploads, documents and their corrections."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import redis
from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.accounts import Principal
from api.archive_service import log_record_access
from api.dossier_search import DossierQuery, search_dossiers
from api.dossier_views import (
    document_view,
    dossier_history,
    dossier_status,
    dossier_view,
    rescan_requests,
    stored_file,
)
from api.exchange_views import feed_links
from api.http.auth import allow
from api.http.context import Service, service
from api.http.headers import FRAMED_PDF_HEADERS, UPLOADED_FILE_HEADERS
from api.http.policy import Action, check_unit, permits, unit_filter
from api.http.schemas_counter import DocumentTypeRef, RescanRequests, Uploaded
from api.http.schemas_dossiers import (
    DocumentView,
    DossierRow,
    DossierStatusView,
    DossierView,
)
from api.http.schemas_errors import ERRORS, FILE
from api.http.uploads import ReceivedFile, received_files
from api.owners import blob_holders, document_owner, dossier_owner
from api.paging import next_link
from api.services import (
    AddedFile,
    add_file,
    correct_type,
    open_dossier,
    reject_file,
    request_rescan,
)
from config import defaults
from config.catalogue import Procedure, get_catalogue
from config.errors import FileTooLarge, NotFound, TransientError

router = APIRouter(prefix="/api", tags=["dossiers"], responses=ERRORS)

MAX_FILES_PER_UPLOAD = 50
"""Files in one multipart request: a dossier's scans, with room to spare."""


class TypeCorrection(BaseModel):
    """The type a clerk says a document is."""

    document_type: str = Field(description="A code of the document type catalogue.")


class Rescan(BaseModel):
    """Why a document's paper must be scanned again."""

    reason: str = Field(min_length=3, max_length=500)


class NewDossier(BaseModel):
    """A dossier received at the counter."""

    procedure: str = Field(description="Procedure code of the national catalogue, e.g. 1.001193.")
    applicant_name: str = Field(min_length=1, max_length=200)
    applicant_id_number: str | None = Field(default=None, description="12-digit personal ID.")


def dossier_for(svc: Service, principal: Principal, action: Action, code: str) -> dict[str, Any]:
    """The dossier's view, if the principal may act on it; NotFound as if absent otherwise."""
    view = dossier_view(svc.settings, code)
    check_unit(principal, action, view["unit"], f"dossier with code {code!r}")
    return view


def owned_dossier(svc: Service, principal: Principal, action: Action, code: str) -> None:
    """NotFound, as if absent, unless the principal may act on the dossier (its view is not
    built: for routes that only act on it)."""
    unit = dossier_owner(svc.settings, code)
    check_unit(principal, action, unit, f"dossier with code {code!r}")


def owned_document(svc: Service, principal: Principal, action: Action, document_id: int) -> str:
    """The dossier code of a document the principal may act on; NotFound otherwise."""
    unit, code = document_owner(svc.settings, document_id)
    check_unit(principal, action, unit, f"document with id {document_id}")
    return code


@router.get("/procedures", response_model=list[Procedure])
def procedures(_: Annotated[Principal, allow(Action.DOSSIER_LIST)]) -> list[dict[str, Any]]:
    """The procedures a dossier can be opened for, with their components."""
    return [p.model_dump() for p in get_catalogue().procedures]


@router.get("/document-types", response_model=list[DocumentTypeRef])
def document_types(_: Annotated[Principal, allow(Action.DOSSIER_LIST)]) -> list[dict[str, Any]]:
    """The document types a clerk may choose when correcting one."""
    return [{"code": t.code, "name": t.name} for t in get_catalogue().document_types]


@router.get("/dossiers", response_model=list[DossierRow])
def list_dossiers(
    request: Request,
    response: Response,
    principal: Annotated[Principal, allow(Action.DOSSIER_LIST)],
    *,
    q: Annotated[str, Query(max_length=200, description="Code, applicant or ID number.")] = "",
    procedure: Annotated[str, Query(max_length=32)] = "",
    status: Annotated[str, Query(max_length=32, description="A dossier state.")] = "",
    received_from: Annotated[str, Query(max_length=10, description="YYYY-MM-DD")] = "",
    received_to: Annotated[str, Query(max_length=10, description="YYYY-MM-DD")] = "",
    cursor: Annotated[int | None, Query(description="The previous page's next cursor.")] = None,
    limit: Annotated[int, Query(ge=1, le=defaults.LIST_PAGE_MAX)] = defaults.LIST_PAGE_SIZE,
) -> list[dict[str, Any]]:
    """The user's unit's dossiers matching the filters, newest first, a page at a time: when
    more follow, the `Link` header names the next page (rel="next", a cursor)."""
    query = DossierQuery.parse(q, procedure, status, received_from, received_to)
    unit = unit_filter(principal, Action.DOSSIER_LIST)
    found = search_dossiers(service(request).settings, unit, query, cursor=cursor, limit=limit)
    link = next_link("/api/dossiers", query.params() | {"limit": str(limit)}, found.next_cursor)
    if link is not None:
        response.headers["Link"] = link
    return found.rows


@router.post("/dossiers", status_code=201, response_model=DossierView)
def create_dossier(
    body: NewDossier,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_CREATE)],
) -> dict[str, Any]:
    """Receive a dossier in the user's unit: a national code, its components, an appointment."""
    settings = service(request).settings
    code = open_dossier(
        settings,
        procedure_code=body.procedure,
        applicant_name=body.applicant_name,
        applicant_id_number=body.applicant_id_number or None,
        unit_code=principal.unit_code,
        actor=principal.username,
    )
    return dossier_view(settings, code)


@router.get("/dossiers/{code}", response_model=DossierView)
def get_dossier_view(
    code: str, request: Request, principal: Annotated[Principal, allow(Action.DOSSIER_READ)]
) -> dict[str, Any]:
    """A dossier: components, documents, completeness (logged if it is an archived record)."""
    svc = service(request)
    view = dossier_for(svc, principal, Action.DOSSIER_READ, code)
    log_record_access(svc.settings, [code], by=principal.username, how="view")
    return view


@router.get("/dossiers/{code}/status", response_model=DossierStatusView)
def get_dossier_status(
    code: str, request: Request, principal: Annotated[Principal, allow(Action.DOSSIER_READ)]
) -> dict[str, Any]:
    """What workers change on a dossier's page (states, completeness), for the page's script
    to update its cells while `pending`, instead of reloading the page under the clerk."""
    status = dossier_status(service(request).settings, code)
    check_unit(principal, Action.DOSSIER_READ, status["unit"], f"dossier with code {code!r}")
    return status


class HistoryEntry(BaseModel):
    """One line of a dossier's history, as its page lists it."""

    at: str = Field(description="Office time, DD/MM/YYYY HH:MM.")
    actor: str = Field(description="Who: a user name, or the part of sohoa that acted.")
    kind: str = Field(description="The event's kind (storage.enums.EventKind).")
    what: str = Field(description="The kind in Vietnamese.")
    file: str | None = Field(description="The document's file, for an event on one.")
    detail: str = Field(description="A field's change (before → after), or a reason.")


@router.get("/dossiers/{code}/history")
def get_dossier_history(
    code: str, request: Request, principal: Annotated[Principal, allow(Action.DOSSIER_READ)]
) -> list[HistoryEntry]:
    """Who did what to the dossier and when, oldest first (the machinery's events left out)."""
    svc = service(request)
    owned_dossier(svc, principal, Action.DOSSIER_READ, code)
    return [HistoryEntry(**entry) for entry in dossier_history(svc.settings, code)]


def store_upload(
    svc: Service, code: str, part: ReceivedFile, actor: str, *, force_ocr: bool = False
) -> AddedFile:
    """One received file through the CLI's own path: sniff, blob store, row, then queue."""
    name = part.name
    if part.too_large:
        limit = svc.settings.max_upload_bytes
        error = FileTooLarge(name, f"larger than the limit of {limit} bytes")
        return reject_file(svc.settings, code, name, error, actor=actor)
    try:
        return add_file(
            svc.settings, svc.conn, code, part.path, name=name, actor=actor, force_ocr=force_ocr
        )
    except redis.RedisError as e:
        raise TransientError(
            f"{name} is stored in dossier {code}, but the queue is unreachable ({e}); "
            "workers queue it when they start"
        ) from e


@router.post("/dossiers/{code}/files", status_code=201, response_model=Uploaded)
async def upload_files(
    code: str,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOSSIER_UPLOAD)],
    force_ocr: bool = False,
) -> dict[str, Any]:
    """Add files (multipart, one part per file) to a dossier. Each is refused with its reason
    or stored durably (blob store, then database) and only then queued for digitization.
    `?force_ocr=true` OCRs every PDF page, whatever its own text layer."""
    svc = service(request)
    await run_in_threadpool(owned_dossier, svc, principal, Action.DOSSIER_UPLOAD, code)
    directory = svc.settings.data_path / "tmp" / "uploads"
    async with received_files(
        request,
        directory,
        max_bytes=svc.settings.max_upload_bytes,
        max_files=MAX_FILES_PER_UPLOAD,
    ) as files:
        added = [
            await run_in_threadpool(
                store_upload, svc, code, part, principal.username, force_ocr=force_ocr
            )
            for part in files
        ]
    return {"code": code, "files": [a.to_dict() for a in added]}


@router.get("/documents/{document_id}", response_model=DocumentView)
def get_document_view(
    document_id: int,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOCUMENT_READ)],
) -> dict[str, Any]:
    """A document: status, type and confidence, candidates, fields, text per page."""
    svc = service(request)
    code = owned_document(svc, principal, Action.DOCUMENT_READ, document_id)
    view = document_view(svc.settings, document_id)
    log_record_access(
        svc.settings, [code], by=principal.username, how="view", document_id=document_id
    )
    return view


def document_file(
    svc: Service, document_id: int, which: Literal["pdf", "original"]
) -> FileResponse:
    """A document's searchable PDF (`pdf`) or its original as uploaded (`original`)."""
    found = stored_file(svc.settings, document_id, which)
    path, media, name = found.path, found.media_type, found.filename
    if path is None:
        raise NotFound(f"document {document_id} has no searchable PDF yet")
    if which == "pdf":  # made by sohoa (active content removed), shown in our pages' frames
        return FileResponse(
            path,
            media_type=media,
            filename=name,
            content_disposition_type="inline",
            headers=FRAMED_PDF_HEADERS,
        )
    # as uploaded: never rendered in our origin (an HTML, SVG or PDF could carry script)
    return FileResponse(path, media_type=media, filename=name, headers=UPLOADED_FILE_HEADERS)


@router.get("/documents/{document_id}/{which}", response_class=FileResponse, responses=FILE)
def get_document_file(
    document_id: int,
    which: Literal["pdf", "original"],
    request: Request,
    principal: Annotated[Principal, allow(Action.DOCUMENT_READ)],
) -> FileResponse:
    """The document's searchable PDF/A (`pdf`), or the file as it was uploaded (`original`)."""
    svc = service(request)
    code = owned_document(svc, principal, Action.DOCUMENT_READ, document_id)
    response = document_file(svc, document_id, which)
    log_record_access(
        svc.settings, [code], by=principal.username, how="download", document_id=document_id,
        file=which,
    )  # fmt: skip
    return response


@router.get("/files/{sha256}", response_class=FileResponse, responses=FILE)
def get_file(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-fA-F]{64}$")],
    request: Request,
    principal: Annotated[Principal, allow(Action.FILE_READ)],
) -> FileResponse:
    """A stored file by its SHA-256, as the exchange's messages link it: only to a user who
    may read a dossier holding it (a provincial system's account: only a file its unit's feed
    links), else the 404 of a file that does not exist; always as an attachment that is
    never run in our origin."""
    svc = service(request)
    held = blob_holders(svc.settings, sha256)
    readable = [code for code, unit in held.holders if _may_read(principal, unit)]
    if readable and not permits(principal, Action.DOCUMENT_READ):
        readable = readable if feed_links(svc.settings, principal.unit_code, sha256) else []
    if not readable:
        raise NotFound(f"no file {sha256}")
    log_record_access(svc.settings, readable, by=principal.username, how="download", file=sha256)
    return FileResponse(
        held.path,
        media_type=held.media_type,
        filename=held.name,
        headers=UPLOADED_FILE_HEADERS,
    )


def _may_read(principal: Principal, unit: str) -> bool:
    try:
        check_unit(principal, Action.FILE_READ, unit, "file")
    except NotFound:
        return False
    return True


@router.post("/documents/{document_id}/rescan", status_code=201, response_model=RescanRequests)
def rescan(
    document_id: int,
    body: Rescan,
    request: Request,
    principal: Annotated[Principal, allow(Action.RESCAN_REQUEST)],
) -> dict[str, Any]:
    """Ask for a document's paper to be scanned again; listed on the dossier until a new
    file is added to it."""
    svc = service(request)
    code = owned_document(svc, principal, Action.RESCAN_REQUEST, document_id)
    request_rescan(svc.settings, document_id, body.reason, actor=principal.username)
    return {"code": code, "rescan_requests": rescan_requests(svc.settings, code)}


@router.post("/documents/{document_id}/type", response_model=DocumentView)
def correct_document_type(
    document_id: int,
    body: TypeCorrection,
    request: Request,
    principal: Annotated[Principal, allow(Action.DOCUMENT_CORRECT)],
) -> dict[str, Any]:
    """Correct a digitized document's type: it moves to the component expecting that type."""
    svc = service(request)
    owned_document(svc, principal, Action.DOCUMENT_CORRECT, document_id)
    correct_type(svc.settings, document_id, body.document_type, actor=principal.username)
    return document_view(svc.settings, document_id)
