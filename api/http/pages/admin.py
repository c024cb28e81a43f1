"""The admin's pages: every account, a form to make one, and per account: disable or enable
it, set its password; the unit register, procedures and signer profiles, read-only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.accounts import (
    Principal,
    account_notices,
    create_user,
    reset_password,
    set_user_active,
    users_page,
)
from api.catalogue_views import catalogue_view
from api.http.auth import page
from api.http.context import service
from api.http.pages.common import render
from api.http.policy import Action
from api.paging import page_links
from signing.profiles import Role, signer_registry
from storage.enums import UserRole

router = APIRouter(include_in_schema=False)


@router.get("/admin")
def accounts_page(
    request: Request,
    principal: Annotated[Principal, page(Action.USER_MANAGE)],
    added: str | None = None,
    changed: str | None = None,
    cursor: int | None = None,
) -> HTMLResponse:
    """Accounts by unit then name, a page at a time, and the leaders' signer profiles to
    link them to."""
    settings = service(request).settings
    found = users_page(settings, cursor=cursor)
    profiles = [p for p in signer_registry(settings).profiles if p.role is Role.LEADER]
    return render(
        request,
        "admin.html",
        principal,
        users=found.rows,
        pager=page_links("/admin", {}, cursor, found.next_cursor),
        roles=[r for r in UserRole if r is not UserRole.EXCHANGE],  # sohoa exchange token
        profiles=profiles,
        added=added,
        changed=changed,
        notices=account_notices(settings),
    )


@router.get("/admin/catalogue")
def catalogue_page(
    request: Request, principal: Annotated[Principal, page(Action.CATALOGUE_READ)]
) -> HTMLResponse:
    """The unit register, the procedure catalogue and the signer profiles, read-only."""
    shown = catalogue_view(service(request).settings)
    return render(request, "admin_catalogue.html", principal, catalogue=shown)


@router.post("/admin/users")
def add_account(
    *,
    request: Request,
    principal: Annotated[Principal, page(Action.USER_MANAGE)],
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    full_name: Annotated[str, Form()],
    role: Annotated[UserRole, Form()],
    unit: Annotated[str, Form()],
    signer_profile: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Make an account."""
    made = create_user(
        service(request).settings,
        username=username,
        password=password,
        full_name=full_name,
        role=role,
        unit_code=unit,
        signer_profile=signer_profile or None,
        actor=principal.username,
    )
    return RedirectResponse(f"/admin?added={made.username}", status_code=303)


@router.post("/admin/users/{username}/deactivate")
def deactivate(
    username: str, request: Request, principal: Annotated[Principal, page(Action.USER_MANAGE)]
) -> RedirectResponse:
    """Disable an account: its sessions and tokens stop working at once."""
    user = set_user_active(
        service(request).settings, username, False, actor=principal.username, by=principal
    )
    return RedirectResponse(f"/admin?changed={user.username}", status_code=303)


@router.post("/admin/users/{username}/activate")
def activate(
    username: str, request: Request, principal: Annotated[Principal, page(Action.USER_MANAGE)]
) -> RedirectResponse:
    """Enable a disabled account again."""
    user = set_user_active(
        service(request).settings, username, True, actor=principal.username, by=principal
    )
    return RedirectResponse(f"/admin?changed={user.username}", status_code=303)


@router.post("/admin/users/{username}/password")
def set_password(
    username: str,
    request: Request,
    principal: Annotated[Principal, page(Action.USER_MANAGE)],
    password: Annotated[str, Form()],
) -> RedirectResponse:
    """Give an account a new password (forgotten, or handed over); its sessions end."""
    reset_password(service(request).settings, username, password, actor=principal.username)
    return RedirectResponse(f"/admin?changed={username}", status_code=303)
