"""The backlog page of clerks and leaders: their unit's open dossiers overdue, due by the
next working day, or waiting for a supplement, and the apology letters owed (`sohoa
backlog`'s page)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.accounts import Principal
from api.http.auth import page
from api.http.context import service
from api.http.pages.common import render
from api.http.policy import Action, unit_filter
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
