"""The backlog page of clerks and leaders: their unit's open dossiers overdue, due by the
next working day, or waiting for a supplement, and the apology letters owed (`sohoa
backlog`'s page); the unit's tracking book to print (`sohoa book`'s)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.accounts import Principal
from api.http.auth import page
from api.http.context import service
from api.http.pages.common import render
from api.http.policy import Action, unit_filter
from api.http.routes_counter import book_response
from api.worklists import backlog_view

router = APIRouter(include_in_schema=False)


@router.get("/backlog")
def backlog_page(
    request: Request, principal: Annotated[Principal, page(Action.BACKLOG_READ)]
) -> HTMLResponse:
    """The unit's dossiers to act on, most urgent first, with counts per leader."""
    unit = unit_filter(principal, Action.BACKLOG_READ)
    view = backlog_view(service(request).settings, unit=unit)
    return render(request, "backlog.html", principal, backlog=view)


@router.get("/book.pdf")
async def book_pdf(
    request: Request,
    principal: Annotated[Principal, page(Action.DOSSIER_LIST)],
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> Response:
    """The unit's tracking book (form 07) between two days, to print."""
    unit = unit_filter(principal, Action.DOSSIER_LIST)
    assert unit is not None  # the row is unit-scoped for every role it lets in
    return await run_in_threadpool(book_response, service(request).settings, unit, start, end)
