"""The public page where a citizen checks the signatures of a result they received."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.http.pages.common import render

router = APIRouter(include_in_schema=False)


@router.get("/verify")
def verify_page(request: Request) -> HTMLResponse:
    """Public: pick a signed PDF; the page's script sends it to POST /api/verify (throttled
    per address there) and shows the verdict in Vietnamese. Nothing is stored."""
    return render(request, "verify.html", None)
