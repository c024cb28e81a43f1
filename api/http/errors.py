"""The HTTP boundary for errors: every SohoaError becomes a status and a JSON body
`{"error": {"code", "message", "hint"}}` (API), or a page in Vietnamese (pages); a page
request without a session goes to the login page."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from api.http.context import service
from config.errors import (
    Forbidden,
    InvalidRequest,
    NotAuthenticated,
    NotFound,
    PasswordChangeRequired,
    RateLimited,
    SohoaError,
    VerifierBusy,
)

log = logging.getLogger(__name__)

_HTTP_CODES = {404: NotFound, 405: InvalidRequest, 401: NotAuthenticated, 403: Forbidden}


def status_of(exc: SohoaError) -> int:
    """The HTTP status an error maps to: its class's (config.errors: 4xx for what the client
    may change, 5xx for a failure on the server's side, 503 for one that may pass)."""
    return exc.http_status


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/openapi.json", "/docs"))


def error_response(request: Request, exc: SohoaError) -> Response:
    """The response for an error, as JSON or as a page."""
    status = status_of(exc)
    if status >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, exc.message)
    if not _wants_page(request):
        retry_after = exc.retry_after if isinstance(exc, RateLimited | VerifierBusy) else None
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return JSONResponse(status_code=status, content={"error": exc.to_dict()}, headers=headers)
    if isinstance(exc, NotAuthenticated) and request.method == "GET":
        return RedirectResponse(f"/?next={quote(request.url.path)}", status_code=303)
    if isinstance(exc, PasswordChangeRequired) and request.method == "GET":
        return RedirectResponse("/account", status_code=303)
    return service(request).templates.TemplateResponse(
        request,
        "error.html",
        {"error": exc.to_dict(), "status": status, "principal": None},
        status_code=status,
    )


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""

    @app.exception_handler(SohoaError)
    async def _sohoa_error(request: Request, exc: SohoaError) -> Response:
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        )
        return error_response(request, InvalidRequest(problems or "invalid request"))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        cls = _HTTP_CODES.get(exc.status_code, InvalidRequest)
        error = cls(f"{request.method} {request.url.path}: {exc.detail}")
        response = error_response(request, error)
        if not _wants_page(request):
            response.status_code = exc.status_code
        return response
