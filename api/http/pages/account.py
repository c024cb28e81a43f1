"""Every user's own account page: who they are, and changing their password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.accounts import Principal, account_notices, change_password
from api.http.auth import SESSION_COOKIE, page
from api.http.context import service
from api.http.errors import status_of
from api.http.pages.common import render
from api.http.policy import Action
from api.http.routes_accounts import client_address
from config.errors import LoginThrottled, WeakPassword, WrongPassword

router = APIRouter(include_in_schema=False)


@router.get("/account")
def account_page(
    request: Request,
    principal: Annotated[Principal, page(Action.PROFILE_READ)],
    changed: int = 0,
) -> HTMLResponse:
    """The user's name, role and unit, the recent changes to their account (by whom), and
    the form to change their password (the only thing to do with a one-time password)."""
    notices = account_notices(service(request).settings, principal.username)
    return render(request, "account.html", principal, changed=bool(changed), notices=notices)


@router.post("/account/password")
async def change_own_password(
    request: Request,
    principal: Annotated[Principal, page(Action.PROFILE_UPDATE)],
    current_password: Annotated[str, Form()],
    new_password: Annotated[str, Form()],
    new_password_again: Annotated[str, Form()],
) -> Response:
    """Change the password; this browser's session goes on, every other one ends. A wrong
    current password or a short new one shows the form again with the reason."""
    if new_password != new_password_again:
        return _form_again(request, principal, 400, "Mật khẩu mới nhập lại không khớp.")
    try:
        await run_in_threadpool(
            change_password,
            service(request).settings,
            principal,
            current_password,
            new_password,
            address=client_address(request),
            keep_token=request.cookies.get(SESSION_COOKIE),
        )
    except (WrongPassword, WeakPassword, LoginThrottled) as e:
        return _form_again(request, principal, status_of(e), e.hint_vi)
    return RedirectResponse("/account?changed=1", status_code=303)


def _form_again(request: Request, principal: Principal, status: int, reason: str) -> HTMLResponse:
    notices = account_notices(service(request).settings, principal.username)
    return render(request, "account.html", principal, status, error=reason, notices=notices)
