"""What the API answers about accounts and jobs: who am I, a new bearer token, an account
as admins see it, a queued job."""

from __future__ import annotations

from typing import Any

from api.http.schemas_dossiers import Answer


class Me(Answer):
    """The signed-in user (routes_accounts.me_view)."""

    username: str
    full_name: str
    role: str
    unit: str
    signer_profile: str | None
    must_change_password: bool


class AccountNotice(Answer):
    """A recent change to an account: when, by whom, which account, what changed."""

    at: str
    actor: str
    username: str
    change: str


class MeWithNotices(Me):
    """The signed-in user and the recent changes to their account."""

    notices: list[AccountNotice]


class IssuedTokenAnswer(Answer):
    """A new bearer token, shown once."""

    token: str
    token_type: str
    expires_at: str
    user: Me


class UserView(Answer):
    """An account as admins see it (GET /api/users: a page of these, the next page in the
    `Link` header)."""

    id: int
    username: str
    full_name: str
    role: str
    unit: str
    signer_profile: str | None
    active: bool


class JobView(Answer):
    """A queued job's status and, when finished, its result."""

    id: str
    status: str
    description: str | None
    result: Any
