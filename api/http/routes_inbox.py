"""API: the scanner inbox's files no receipt filed, and a clerk filing one into a dossier,
as `sohoa inbox list|assign` and the clerk's inbox page do."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.accounts import Principal
from api.http.auth import allow
from api.http.context import service
from api.http.policy import Action, unit_filter
from api.inbox import assign_item
from api.inbox_views import InboxFile, waiting_files
from api.paging import next_link
from config import defaults

router = APIRouter(prefix="/api", tags=["inbox"])


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
