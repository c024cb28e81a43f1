"""API: bearer tokens, who am I and one's own password, accounts (admins: make, disable,
reset a password; read the catalogues), and job status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.accounts import (
    Principal,
    account_notices,
    authenticate,
    change_password,
    create_user,
    issue_token,
    reset_password,
    revoke,
    set_user_active,
    user_view,
    users_page,
)
from api.catalogue_views import Catalogue, catalogue_view
from api.http.auth import allow, presented_token
from api.http.context import service
from api.http.policy import Action, check_unit
from api.http.schemas_accounts import IssuedTokenAnswer, JobView, Me, MeWithNotices, UserView
from api.http.schemas_errors import ERRORS
from api.jobs import fetch_job, job_unit, job_view
from api.paging import next_link
from config import defaults
from storage.enums import TokenKind, UserRole

router = APIRouter(prefix="/api", tags=["accounts"], responses=ERRORS)


class Credentials(BaseModel):
    """A user name and password."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class NewUser(BaseModel):
    """An account to make."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    full_name: str = Field(min_length=1, max_length=200)
    role: UserRole
    unit: str = Field(min_length=1, max_length=64)
    signer_profile: str | None = None


class PasswordChange(BaseModel):
    """A user's own new password, with the current one."""

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class PasswordReset(BaseModel):
    """The password an admin gives an account."""

    password: str = Field(min_length=1, max_length=1024)


def client_address(request: Request) -> str:
    """The address logins are throttled by."""
    return request.client.host if request.client else "unknown"


def me_view(principal: Principal) -> dict[str, Any]:
    """The signed-in user, as the API shows them."""
    return {
        "username": principal.username,
        "full_name": principal.full_name,
        "role": principal.role.value,
        "unit": principal.unit_code,
        "signer_profile": principal.signer_profile,
        "must_change_password": principal.must_change_password,
    }


@router.post("/auth/token", response_model=IssuedTokenAnswer)
async def token(body: Credentials, request: Request) -> dict[str, Any]:
    """Exchange a user name and password for a bearer token (throttled after failures)."""
    settings = service(request).settings
    principal = await run_in_threadpool(
        authenticate, settings, body.username, body.password, client_address(request)
    )
    issued = await run_in_threadpool(issue_token, settings, principal, TokenKind.API)
    return {
        "token": issued.token,
        "token_type": "bearer",
        "expires_at": issued.expires_at.isoformat(timespec="seconds"),
        "user": me_view(principal),
    }


@router.delete("/auth/token", status_code=204)
def revoke_token(request: Request, _: Annotated[Principal, allow(Action.PROFILE_READ)]) -> None:
    """End the bearer token (or session) the request carries."""
    scheme, _sep, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value:
        revoke(service(request).settings, value.strip())


@router.get("/me", response_model=MeWithNotices)
def me(
    request: Request, principal: Annotated[Principal, allow(Action.PROFILE_READ)]
) -> dict[str, Any]:
    """The signed-in user: name, role, unit, signer profile, whether their password is a
    one-time one to change first, and the recent changes to their account (by whom)."""
    notices = account_notices(service(request).settings, principal.username)
    return me_view(principal) | {"notices": notices}


@router.get("/users", response_model=list[UserView])
def users(
    request: Request,
    response: Response,
    _: Annotated[Principal, allow(Action.USER_MANAGE)],
    cursor: Annotated[int | None, Query(description="The previous page's next cursor.")] = None,
    limit: Annotated[int, Query(ge=1, le=defaults.LIST_PAGE_MAX)] = defaults.LIST_PAGE_SIZE,
) -> list[dict[str, Any]]:
    """Every account, by unit then name, a page at a time: when more follow, the `Link`
    header names the next page (rel="next", a cursor)."""
    found = users_page(service(request).settings, cursor=cursor, limit=limit)
    link = next_link("/api/users", {"limit": str(limit)}, found.next_cursor)
    if link is not None:
        response.headers["Link"] = link
    return found.rows


@router.get("/catalogue")
def catalogue(request: Request, _: Annotated[Principal, allow(Action.CATALOGUE_READ)]) -> Catalogue:
    """The unit register, the procedure catalogue and the signer profiles, read-only (keys
    named by their kind only)."""
    return catalogue_view(service(request).settings)


@router.post("/users", status_code=201, response_model=Me)
def add_user(
    body: NewUser, request: Request, principal: Annotated[Principal, allow(Action.USER_MANAGE)]
) -> dict[str, Any]:
    """Make an account (a leader needs the signer profile they sign with)."""
    made = create_user(
        service(request).settings,
        username=body.username,
        password=body.password,
        full_name=body.full_name,
        role=body.role,
        unit_code=body.unit,
        signer_profile=body.signer_profile or None,
        actor=principal.username,
    )
    return me_view(made)


@router.post("/me/password", status_code=204)
def change_own_password(
    body: PasswordChange,
    request: Request,
    principal: Annotated[Principal, allow(Action.PROFILE_UPDATE)],
) -> None:
    """Change one's own password (the current one is checked, and throttled as logins are).
    Every other session and token of the user ends; the one used here keeps working."""
    change_password(
        service(request).settings,
        principal,
        body.current_password,
        body.new_password,
        address=client_address(request),
        keep_token=presented_token(request),
    )


@router.post("/users/{username}/password", status_code=204)
def reset_user_password(
    username: str,
    body: PasswordReset,
    request: Request,
    principal: Annotated[Principal, allow(Action.USER_MANAGE)],
) -> None:
    """Set an account's password (forgotten, or handed over): its sessions and tokens end."""
    reset_password(service(request).settings, username, body.password, actor=principal.username)


@router.post("/users/{username}/deactivate", response_model=UserView)
def deactivate_user(
    username: str, request: Request, principal: Annotated[Principal, allow(Action.USER_MANAGE)]
) -> dict[str, Any]:
    """Disable an account: its sessions and tokens stop working at once, it cannot sign in."""
    settings = service(request).settings
    return user_view(
        set_user_active(settings, username, False, actor=principal.username, by=principal)
    )


@router.post("/users/{username}/activate", response_model=UserView)
def activate_user(
    username: str, request: Request, principal: Annotated[Principal, allow(Action.USER_MANAGE)]
) -> dict[str, Any]:
    """Enable a disabled account again (it signs in anew: its old sessions stay ended)."""
    settings = service(request).settings
    return user_view(
        set_user_active(settings, username, True, actor=principal.username, by=principal)
    )


@router.get("/jobs/{job_id}", response_model=JobView)
def job_status(
    job_id: str, request: Request, principal: Annotated[Principal, allow(Action.JOB_READ)]
) -> dict[str, Any]:
    """A queued job's status and, when finished, its result. A job is read as the dossier it
    works on: another unit's job is the 404 of a job that does not exist."""
    svc = service(request)
    job = fetch_job(svc.conn, job_id)
    check_unit(principal, Action.JOB_READ, job_unit(svc.settings, job), f"job {job_id!r}")
    return job_view(job)
