"""Page images rendered by the server: a document's searchable PDF shown as PNGs of a
bounded width (thumbnails in lists, the page with zoom on its own page), so no browser
needs a PDF viewer in a frame and phones see the page itself."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from api.accounts import Principal
from api.dossier_views import stored_file
from api.http.auth import page
from api.http.context import service
from api.http.policy import Action, unit_filter
from api.http.routes_dossiers import owned_document
from api.inbox_views import waiting_original
from config.errors import NotFound
from digitize.previews import file_preview, page_preview, preview_width

router = APIRouter(include_in_schema=False)

CACHE_CONTROL = "private, max-age=86400"
"""A page image never changes (its PDF is addressed by digest), but it is a citizen's
paper: kept by this browser only, never by a shared cache."""


@router.get("/documents/{document_id}/pages/{number}.png")
async def page_image(
    document_id: int,
    number: int,
    request: Request,
    principal: Annotated[Principal, page(Action.DOCUMENT_READ)],
    w: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> FileResponse:
    """Page `number` (1-based) of a document's searchable PDF, as a PNG about `w` pixels
    wide (rounded up to one of config.defaults.PREVIEW_WIDTHS), for whoever may read the
    document (404 as if absent otherwise, or before it is digitized)."""
    svc = service(request)
    await run_in_threadpool(owned_document, svc, principal, Action.DOCUMENT_READ, document_id)
    found = await run_in_threadpool(stored_file, svc.settings, document_id, "pdf")
    sha, pages, pdf = found.sha256, found.pages, found.path
    if sha is None or pdf is None or not 1 <= number <= pages:
        raise NotFound(f"document {document_id} has no page {number} to show")
    cache = svc.settings.data_path / "cache" / "pages"
    png = await run_in_threadpool(page_preview, pdf, sha, number, preview_width(w), cache)
    return FileResponse(png, media_type="image/png", headers={"Cache-Control": CACHE_CONTROL})


@router.get("/inbox/{item_id}/pages/{number}.png")
async def inbox_page_image(
    item_id: int,
    number: int,
    request: Request,
    principal: Annotated[Principal, page(Action.INBOX_READ)],
    w: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> FileResponse:
    """Page `number` of a scanner's file waiting in the inbox, as `page_image` shows a
    document's (its original, not yet digitized), for its unit's clerks (404 otherwise)."""
    svc = service(request)
    unit = unit_filter(principal, Action.INBOX_READ)
    original = await run_in_threadpool(waiting_original, svc.settings, unit, item_id)
    if not 1 <= number <= (original.pages or 0):
        raise NotFound(f"inbox item {item_id} has no page {number} to show")
    png = await run_in_threadpool(
        file_preview,
        original.path,
        original.media_type,
        original.sha256,
        page=number,
        width=preview_width(w),
        cache=svc.settings.data_path / "cache" / "pages",
        max_pixels=svc.settings.max_image_pixels,
    )
    return FileResponse(png, media_type="image/png", headers={"Cache-Control": CACHE_CONTROL})
