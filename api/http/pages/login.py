"""The login page (the site's first page), signing in and out."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.accounts import Principal, authenticate, issue_token, principal_for, revoke
from api.http.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    check_login_csrf,
    cookie_secure,
    page,
    set_session_cookie,
)
from api.http.context import service
from api.http.pages.common import HOME, render
from api.http.policy import Action
from api.http.routes_accounts import client_address
from config.errors import NotAuthenticated, SohoaError
from storage.enums import TokenKind

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str | None:
    """Only a path of this site: never another site's address."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


def _set_login_csrf(response: Response, request: Request, form_token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        form_token,
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
        path="/",
    )


@router.get("/")
async def login_page(request: Request, next: str | None = None) -> Response:
    """The login form; a signed-in user goes to their role's home page."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        try:
            principal = await run_in_threadpool(
                principal_for, service(request).settings, token, TokenKind.SESSION
            )
            return RedirectResponse(HOME[principal.role], status_code=303)
        except NotAuthenticated:
            pass
    form_token = secrets.token_urlsafe(24)
    response = render(request, "login.html", None, login_csrf=form_token, next=_safe_next(next))
    _set_login_csrf(response, request, form_token)
    return response


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str | None, Form()] = None,
) -> Response:
    """Sign in: a session cookie, then the page asked for or the role's home page."""
    settings = service(request).settings
    try:
        check_login_csrf(request, csrf)
        principal = await run_in_threadpool(
            authenticate, settings, username, password, client_address(request)
        )
    except SohoaError as e:
        form_token = secrets.token_urlsafe(24)
        status = 429 if e.code == "login_throttled" else 401
        response = render(
            request,
            "login.html",
            None,
            status_code=status,
            login_csrf=form_token,
            next=_safe_next(next),
            error=e.hint_vi,
            username=username,
        )
        _set_login_csrf(response, request, form_token)
        return response
    issued = await run_in_threadpool(issue_token, settings, principal, TokenKind.SESSION)
    target = "/account" if principal.must_change_password else None
    redirect = RedirectResponse(target or _safe_next(next) or HOME[principal.role], status_code=303)
    set_session_cookie(redirect, request, issued)
    return redirect


@router.post("/logout")
async def logout(request: Request, _: Annotated[Principal, page(Action.PROFILE_READ)]) -> Response:
    """Sign out (the form's CSRF token checked): the session ends on the server, and its
    cookie is dropped."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await run_in_threadpool(revoke, service(request).settings, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
