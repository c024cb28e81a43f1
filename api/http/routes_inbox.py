"""API: the scanner inbox's files no receipt filed, and a clerk cutting a stack into several,
turning a page, or filing one into a dossier, as `sohoa inbox list|split|rotate|assign` and
the clerk's inbox pages do."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.accounts import Principal
from api.http.auth import allow
from api.http.context import service
from api.http.policy import Action, unit_filter
from api.http.schemas_errors import ERRORS
from api.inbox import InboxOutcome, assign_item
from api.inbox_edits import rotate_page, split_item
from api.inbox_views import InboxFile, waiting_files
from api.paging import next_link
from config import defaults

router = APIRouter(prefix="/api", tags=["inbox"], responses=ERRORS)


class Assignment(BaseModel):
    """Where a waiting file goes."""

    dossier_code: str = Field(min_length=1, max_length=64, description="The dossier's code.")
    component_id: int | None = Field(
        default=None, description="One of the dossier's components (its id in the dossier)."
    )
    cover_sheet: bool = Field(
        default=False, description="Its first page is the dossier's receipt: not a document."
    )


class Filed(BaseModel):
    """A file filed: the dossier and the document it became (queued for digitization)."""

    item_id: int
    dossier_code: str
    document_id: int


class Cut(BaseModel):
    """Where a waiting stack is cut."""

    starts: list[int] = Field(
        min_length=1,
        max_length=500,
        description="The first page of each part (1-based, ascending; page 1 may be left out).",
    )


class Turn(BaseModel):
    """Which page of a waiting file to turn, and how far."""

    page: int = Field(ge=1, description="The page (1-based).")
    degrees: Literal[90, 180, 270] = Field(description="Clockwise.")


class Waiting(BaseModel):
    """A file waiting in the inbox after a clerk's edit."""

    item_id: int
    file: str


def _waiting(outcome: InboxOutcome) -> Waiting:
    assert outcome.item_id is not None  # an edit's outcome names its item
    return Waiting(item_id=outcome.item_id, file=outcome.file)


@router.get("/inbox")
def list_inbox(
    request: Request,
    response: Response,
    principal: Annotated[Principal, allow(Action.INBOX_READ)],
    cursor: Annotated[int | None, Query(description="The previous page's next cursor.")] = None,
    limit: Annotated[int, Query(ge=1, le=defaults.LIST_PAGE_MAX)] = defaults.LIST_PAGE_SIZE,
) -> list[InboxFile]:
    """The unit's scanned files waiting for a clerk, newest first, a page at a time (the
    `Link` header names the next page, rel="next")."""
    unit = unit_filter(principal, Action.INBOX_READ)
    found = waiting_files(service(request).settings, unit, cursor=cursor, limit=limit)
    link = next_link("/api/inbox", {"limit": str(limit)}, found.next_cursor)
    if link is not None:
        response.headers["Link"] = link
    return found.rows


@router.post("/inbox/{item_id}/assign")
async def assign(
    item_id: int,
    body: Assignment,
    request: Request,
    principal: Annotated[Principal, allow(Action.INBOX_ASSIGN)],
) -> Filed:
    """File a waiting file into a dossier of the clerk's unit and queue its digitization;
    an unknown dossier code is refused (404 `unknown_dossier`) and the file stays waiting."""
    svc = service(request)
    outcome = await run_in_threadpool(
        assign_item,
        svc.settings,
        svc.conn,
        item_id,
        body.dossier_code.strip(),
        cover_sheet=body.cover_sheet,
        actor=principal.username,
        component_id=body.component_id,
        unit=unit_filter(principal, Action.INBOX_ASSIGN),
    )
    return Filed.model_validate(outcome.to_dict())


@router.post("/inbox/{item_id}/split")
async def split(
    item_id: int,
    body: Cut,
    request: Request,
    principal: Annotated[Principal, allow(Action.INBOX_SPLIT)],
) -> list[Waiting]:
    """Cut a waiting stack into several waiting files, one per part, in page order; the
    original leaves the inbox, its bytes kept. Pages it does not have are refused (400
    `page_out_of_range`), a signed PDF too (400 `signed_original`), and nothing changes."""
    settings = service(request).settings
    outcomes = await run_in_threadpool(
        split_item,
        settings,
        item_id,
        body.starts,
        actor=principal.username,
        unit=unit_filter(principal, Action.INBOX_SPLIT),
    )
    return [_waiting(o) for o in outcomes]


@router.post("/inbox/{item_id}/rotate")
async def rotate(
    item_id: int,
    body: Turn,
    request: Request,
    principal: Annotated[Principal, allow(Action.INBOX_ROTATE)],
) -> Waiting:
    """Turn a page of a waiting file clockwise; the file keeps its id, its page images show
    the turned page (its `sha256` in the list changes)."""
    outcome = await run_in_threadpool(
        rotate_page,
        service(request).settings,
        item_id,
        body.page,
        body.degrees,
        actor=principal.username,
        unit=unit_filter(principal, Action.INBOX_ROTATE),
    )
    return _waiting(outcome)
