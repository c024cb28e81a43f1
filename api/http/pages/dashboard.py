"""The dashboard: the national index's figures per unit and month, sohoa's stricter rates
(storage.stats) beside the national portal's (storage.portal), through api.office_views.
figures_view (what `sohoa stats` prints), as numbers and charts, and as CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.accounts import Principal
from api.http.auth import allow, page
from api.http.charts import HEIGHT, WIDTH, bars
from api.http.context import service
from api.http.pages.common import render
from api.http.policy import Action, asked_unit
from api.http.schemas_errors import CSV, ERRORS
from api.http.schemas_office import StatsRow
from api.office_views import figures_csv, figures_view
from config import labels
from storage.portal import PORTAL_RATE_NAMES
from storage.stats import RATE_NAMES

router = APIRouter()

By = Literal["competent", "receiving"]
"""Figures grouped by the competent unit (as the portal ranks units) or the receiving centre."""


@router.get("/dashboard", include_in_schema=False)
def dashboard(
    request: Request,
    principal: Annotated[Principal, page(Action.STATS_READ)],
    *,
    unit: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    by: By = "competent",
) -> HTMLResponse:
    """sohoa's four rates per unit and month with charts by month, then the portal's figures
    of the same rows, a CSV link with the same filters; a leader's of their own unit only."""
    scope = asked_unit(principal, Action.STATS_READ, unit or None)
    rows = figures_view(service(request).settings, by=by, unit=scope, start=date_from, end=date_to)
    query = request.url.query
    return render(
        request,
        "dashboard.html",
        principal,
        rows=rows,
        names=RATE_NAMES,
        titles=labels.RATES,
        portal_names=PORTAL_RATE_NAMES,
        portal_titles=labels.PORTAL_FIGURES,
        by=by,
        by_titles=labels.FIGURES_BY,
        portal_heading=labels.PORTAL_HEADING,
        satisfaction_title=labels.SATISFACTION,
        charts={name: bars(rows, name) for name in RATE_NAMES},
        width=WIDTH,
        height=HEIGHT,
        unit=scope or "",
        date_from=date_from,
        date_to=date_to,
        csv_url="/api/stats.csv" + (f"?{query}" if query else ""),
    )


@router.get("/api/stats", tags=["statistics"], response_model=list[StatsRow], responses=ERRORS)
def stats(
    request: Request,
    principal: Annotated[Principal, allow(Action.STATS_READ)],
    *,
    unit: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    by: By = "competent",
) -> list[dict[str, object]]:
    """Per unit and month, and for the whole selection (unit and month "*"): sohoa's
    digitization, electronic result, reuse and on-time rates, each {"numerator",
    "denominator", "rate"}, and under "portal" the national portal's figures computed as it
    does (storage.portal) with its satisfaction; `sohoa stats --json` gives the same rows.
    A leader gets their own unit's (another unit asked for is a 404)."""
    scope = asked_unit(principal, Action.STATS_READ, unit or None)
    return figures_view(service(request).settings, by=by, unit=scope, start=date_from, end=date_to)


@router.get("/api/stats.csv", tags=["statistics"], response_class=Response, responses=ERRORS | CSV)
def stats_as_csv(
    request: Request,
    principal: Annotated[Principal, allow(Action.STATS_READ)],
    *,
    unit: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    by: By = "competent",
) -> Response:
    """The same figures as CSV, one line per unit and month, the whole selection last (the
    portal's columns prefixed portal_)."""
    scope = asked_unit(principal, Action.STATS_READ, unit or None)
    rows = figures_view(service(request).settings, by=by, unit=scope, start=date_from, end=date_to)
    return Response(
        figures_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="thong-ke.csv"'},
    )
