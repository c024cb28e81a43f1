"""Who is asking: a bearer token (API) or a session cookie with its CSRF token (pages).

Pages and the scripts on them use the HttpOnly, SameSite=Lax session cookie; any request
that changes something with it must echo the session's CSRF token (a form field `csrf`,
or the `X-CSRF-Token` header from a page's script). API clients send
`Authorization: Bearer <token>` and need no CSRF token: no browser adds that header by
itself. Each route declares its action with `allow` (API) or `page` (pages).
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Any

from fastapi import Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from api.accounts import IssuedToken, Principal, principal_for
from api.http.context import service
from api.http.policy import Action, Allow
from config.errors import ConfigurationError, CsrfRejected, NotAuthenticated
from config.settings import Settings
from storage.enums import TokenKind

SESSION_COOKIE = "sohoa_session"
LOGIN_CSRF_COOKIE = "sohoa_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _cached(request: Request, principal: Principal) -> Principal:
    request.state.principal = principal
    return principal


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def presented_token(request: Request) -> str | None:
    """The bearer token the request carries, else its session cookie."""
    return _bearer(request) or request.cookies.get(SESSION_COOKIE) or None


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


async def _session(request: Request, *, form_field: bool) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotAuthenticated("not signed in")
    principal = await run_in_threadpool(
        principal_for, service(request).settings, token, TokenKind.SESSION
    )
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and form_field and _is_form(request):
            sent = str((await request.form()).get("csrf") or "")
        if not _same(sent, principal.csrf_token):
            raise CsrfRejected(f"{request.method} {request.url.path} without the session's token")
    return principal


def _is_form(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    )


async def api_principal(request: Request) -> Principal:
    """The bearer token's holder, else the session's (a page's script calling the API)."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    token = _bearer(request)
    if token is not None:
        settings = service(request).settings
        principal = await run_in_threadpool(principal_for, settings, token, TokenKind.API)
        return _cached(request, principal)
    return _cached(request, await _session(request, form_field=False))


async def page_principal(request: Request) -> Principal:
    """The session's holder; a posted form must carry the session's CSRF token."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    return _cached(request, await _session(request, form_field=True))


def allow(action: Action) -> Any:
    """An API route's dependency: the principal, if the policy allows them the action."""
    return Depends(Allow(action, api_principal))


def page(action: Action) -> Any:
    """A page route's dependency: the principal, if the policy allows them the action."""
    return Depends(Allow(action, page_principal))


def cookie_secure(request: Request) -> bool:
    """Whether a cookie set in answer to this request is Secure: as configured, else when
    the request came over HTTPS (its scheme, a trusted proxy's X-Forwarded-Proto
    included: uvicorn applies it for the addresses in forwarded_allow_ips)."""
    configured = service(request).settings.cookie_secure
    return request.url.scheme == "https" if configured is None else configured


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address in ("localhost", "unix:")


def check_cookie_transport(settings: Settings) -> None:
    """Refuse a server whose sessions would go in clear behind a remote proxy: a proxy on
    another machine (forwarded_allow_ips) with neither cookie_secure nor an explicit
    allow_insecure_cookie. Without this the Secure flag silently depended on a header the
    server did not trust."""
    remote = [
        a
        for a in (p.strip() for p in settings.forwarded_allow_ips.split(","))
        if a and not _loopback(a)
    ]
    if remote and settings.cookie_secure is not True and not settings.allow_insecure_cookie:
        raise ConfigurationError(
            f"a remote proxy ({', '.join(remote)}) is trusted but session cookies are not "
            "Secure: set SOHOA_COOKIE_SECURE=true (HTTPS at the proxy), or "
            "SOHOA_ALLOW_INSECURE_COOKIE=true to serve sessions over plain HTTP on purpose"
        )


def set_session_cookie(response: Response, request: Request, issued: IssuedToken) -> None:
    """Hand a new session to the browser: HttpOnly, SameSite=Lax, Secure over HTTPS."""
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=int(service(request).settings.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")


def check_login_csrf(request: Request, sent: str | None) -> None:
    """The login form echoes the value of its own cookie (double submit): a form posted
    from another site cannot read it."""
    if not _same(sent, request.cookies.get(LOGIN_CSRF_COOKIE)):
        raise CsrfRejected("login form without its token")
