"""Accounts of the web service: Argon2 password hashes, throttled logins, sessions and
bearer tokens. Shared by the HTTP app and `sohoa user`.

A token is 256 random bits handed to the client once; the database keeps its SHA-256, so a
leaked copy of the database opens no session. A login is refused without checking the
password when the user name has too many recent failures from the address, or the address
too many overall (api.throttle), and the refusal is the same whether or not the account
exists.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from api.paging import Page, cut
from api.throttle import login_attempt
from config import defaults
from config.errors import (
    InvalidRequest,
    NotAuthenticated,
    NotFound,
    WeakPassword,
    WrongPassword,
)
from config.settings import Settings
from signing.profiles import Role, signer_registry
from storage import accounts
from storage.db import open_database
from storage.enums import EventKind, TokenKind, UserRole
from storage.models import User
from storage.types import utcnow

log = logging.getLogger(__name__)

_hasher = PasswordHasher()
"""argon2-cffi's defaults: Argon2id, RFC 9106's low-memory profile (64 MiB, 3 passes)."""

_DUMMY_HASH = _hasher.hash("not a password of anyone")
"""Checked against when the user does not exist, so both refusals take as long."""


@dataclass(frozen=True)
class Principal:
    """Who is asking: the signed-in user as the policy sees them."""

    user_id: int
    username: str
    full_name: str
    role: UserRole
    unit_code: str
    signer_profile: str | None
    csrf_token: str | None = None
    """The session's anti-forgery token (None for a bearer token: no cookie, no CSRF)."""
    must_change_password: bool = False
    """Signed in with a password someone else set: only changing it is allowed."""

    @classmethod
    def of(cls, user: User, csrf_token: str | None = None) -> Principal:
        """The principal of a stored user."""
        return cls(
            user.id,
            user.username,
            user.full_name,
            user.role,
            user.unit_code,
            user.signer_profile,
            csrf_token,
            user.must_change_password,
        )


@dataclass(frozen=True)
class IssuedToken:
    """A token as handed to its holder, once."""

    token: str
    expires_at: datetime
    principal: Principal


def hash_password(password: str) -> str:
    """An Argon2id hash of a new password; WeakPassword if it is too short."""
    if len(password) < defaults.PASSWORD_MIN_LENGTH:
        raise WeakPassword(
            f"a password must have at least {defaults.PASSWORD_MIN_LENGTH} characters"
        )
    return _hasher.hash(password)


def digest(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    settings: Settings,
    *,
    username: str,
    password: str,
    full_name: str,
    role: UserRole,
    unit_code: str,
    signer_profile: str | None = None,
    actor: str,
    one_time: bool = True,
) -> Principal:
    """Make an account. A leader needs the signer profile they will sign with, of their own
    unit when the profile names one. The password is one-time: whoever chose it is not the
    account's holder, who must change it at first login (`one_time=False` only where the
    holder chose it themselves: tests that play the holders)."""
    if role is UserRole.EXCHANGE:
        raise InvalidRequest(
            "an exchange account has no password: the operator issues its token "
            "(sohoa exchange token UNIT)"
        )
    if role is UserRole.LEADER and not signer_profile:
        raise InvalidRequest(f"leader {username!r} needs a signer profile (signers.yaml)")
    if role is not UserRole.LEADER and signer_profile:
        raise InvalidRequest("only leaders have a signer profile")
    profile = signer_registry(settings).get(signer_profile) if signer_profile else None
    if profile is not None and profile.role is not Role.LEADER:
        raise InvalidRequest(f"{signer_profile!r} is a {profile.role.value}'s profile")
    hashed = hash_password(password)
    with open_database(settings).session() as session:
        user = accounts.add_user(
            session,
            username=username,
            full_name=full_name,
            role=role,
            unit_code=unit_code,
            password_hash=hashed,
            signer_profile=signer_profile,
            actor=actor,
            one_time=one_time,
        )
        if profile is not None and profile.unit_code not in (None, user.unit_code):
            raise InvalidRequest(  # rolls the account back
                f"{signer_profile!r} signs for unit {profile.unit_code}, not {user.unit_code}"
            )
        return Principal.of(user)


def _password_matches(user: User | None, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and bool(
            user and user.active
        )
    except (VerificationError, InvalidHashError):
        return False


def authenticate(settings: Settings, username: str, password: str, address: str) -> Principal:
    """The user whose name and password these are; NotAuthenticated otherwise. The attempt
    is reserved (counted as failed) before the password is checked, so concurrent guesses
    cannot outrun the throttle: LoginThrottled or LoginBusy without looking at it."""
    with login_attempt(settings, username, address) as attempt_id:
        with open_database(settings).session(readonly=True) as session:
            user = accounts.find_user(session, username)
        ok = _password_matches(user, password)
    with open_database(settings).session() as session:
        accounts.settle_attempt(session, attempt_id, success=ok)
        if ok and user is not None and _hasher.check_needs_rehash(user.password_hash):
            accounts.get_user(session, user.id).password_hash = _hasher.hash(password)
    if not ok or user is None:
        raise NotAuthenticated(f"wrong user name or password for {username!r}")
    return Principal.of(user)


def issue_token(settings: Settings, principal: Principal, kind: TokenKind) -> IssuedToken:
    """A new session (with its CSRF token) or API bearer token for a signed-in user."""
    token = secrets.token_urlsafe(32)
    lifetime = (
        timedelta(hours=settings.session_hours)
        if kind is TokenKind.SESSION
        else timedelta(days=settings.api_token_days)
    )
    csrf = secrets.token_urlsafe(24) if kind is TokenKind.SESSION else None
    expires_at = utcnow() + lifetime
    with open_database(settings).session() as session:
        user = accounts.get_user(session, principal.user_id)
        accounts.store_token(
            session,
            user,
            token_sha256=digest(token),
            kind=kind,
            expires_at=expires_at,
            csrf_token=csrf,
        )
    return IssuedToken(token, expires_at, Principal.of(user, csrf))


def principal_for(settings: Settings, token: str, kind: TokenKind) -> Principal:
    """Who holds this session or bearer token; NotAuthenticated if it is unknown, expired,
    revoked, or its user was deactivated."""
    with open_database(settings).session(readonly=True) as session:
        found = accounts.live_token(session, digest(token), kind)
        if found is None:
            raise NotAuthenticated("the session or token is unknown, expired or revoked")
        return Principal.of(found.user, found.csrf_token)


def revoke(settings: Settings, token: str) -> None:
    """Log out: the session or token stops working at once."""
    with open_database(settings).session() as session:
        accounts.revoke_token(session, digest(token))


def active_principal(settings: Settings, username: str) -> Principal:
    """The active account of this name as a principal (a command run on its behalf);
    NotFound if there is none or it is deactivated."""
    with open_database(settings).session(readonly=True) as session:
        user = accounts.find_user(session, username)
        if user is None or not user.active:
            raise NotFound(f"no active account {username!r}")
        return Principal.of(user)


def _user_named(session: Session, username: str) -> User:
    user = accounts.find_user(session, username)
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def set_user_active(
    settings: Settings, username: str, active: bool, *, actor: str, by: Principal | None = None
) -> User:
    """An admin (`by`; None: the command line) deactivates or reactivates an account.
    Deactivated, its sessions and tokens stop working at once and it cannot sign in; an
    admin cannot lock themselves out."""
    with open_database(settings).session() as session:
        user = _user_named(session, username)
        if not active and by is not None and user.id == by.user_id:
            raise InvalidRequest(f"{actor!r} cannot deactivate their own account")
        if accounts.set_active(session, user, active, actor=actor):
            log.info("account %s %s by %s", user.username, "on" if active else "off", actor)
        return user


def change_password(
    settings: Settings,
    principal: Principal,
    current: str,
    new: str,
    *,
    address: str,
    keep_token: str | None,
) -> int:
    """A user changes their own password, giving the current one (checked, throttled and
    counted as a login is). Their other sessions and tokens end; the one the request
    carries is kept. Returns how many ended."""
    try:
        authenticate(settings, principal.username, current, address)
    except NotAuthenticated as e:
        raise WrongPassword(f"wrong current password for {principal.username!r}") from e
    hashed = hash_password(new)
    with open_database(settings).session() as session:
        user = accounts.get_user(session, principal.user_id)
        keep = digest(keep_token) if keep_token else None
        return accounts.set_password_hash(
            session, user, hashed, actor=principal.username, keep_sha256=keep
        )


def reset_password(settings: Settings, username: str, new: str, *, actor: str) -> int:
    """An admin sets a user's password (forgotten, or handed over); every session and
    token of the user ends, and the new password is one-time: it lets the account do
    nothing but choose another (an admin who knows it cannot sign as a leader with it).
    Recorded as an event and shown to the holder and to admins. Returns how many ended."""
    hashed = hash_password(new)
    with open_database(settings).session() as session:
        user = _user_named(session, username)
        ended = accounts.set_password_hash(session, user, hashed, actor=actor, keep_sha256=None)
        log.warning(
            "password of %s (%s, %s) reset by %s: one-time until they change it",
            user.username, user.role.value, user.unit_code, actor,
        )  # fmt: skip
        return ended


def _change(event_kind: str, data: dict[str, object]) -> str:
    if event_kind == EventKind.USER_ADDED.value:
        return "added"
    if "password" in data:
        by_holder = data["password"] == "changed"  # noqa: S105 (what happened, not a secret)
        return "password_changed" if by_holder else "password_reset"
    return "activated" if data.get("active") else "deactivated"


def account_notices(settings: Settings, username: str | None = None) -> list[dict[str, str]]:
    """Changes to an account (or to every account: None) in the last
    ACCOUNT_NOTICE_DAYS, newest first: when, by whom, which account, what changed
    (added, password_reset, password_changed, deactivated, activated). The holder sees
    their own at login and on their page, admins see everyone's: a password an admin reset,
    or changed while signed in as its holder, does not pass unseen."""
    since = utcnow() - timedelta(days=defaults.ACCOUNT_NOTICE_DAYS)
    with open_database(settings).session(readonly=True) as session:
        events = accounts.account_changes(session, since, username)
        return [
            {
                "at": e.at.isoformat(timespec="seconds"),
                "actor": e.actor,
                "username": str(e.data.get("username", "")),
                "change": _change(e.kind, e.data),
            }
            for e in events
        ]


def user_view(user: User) -> dict[str, Any]:
    """An account as admins see it (never its password hash)."""
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "unit": user.unit_code,
        "signer_profile": user.signer_profile,
        "active": user.active,
    }


def users_page(
    settings: Settings, *, cursor: int | None = None, limit: int = defaults.LIST_PAGE_SIZE
) -> Page[dict[str, Any]]:
    """A page of the accounts, by unit then name, after the account `cursor` names (the
    previous page's next_cursor)."""
    with open_database(settings).session(readonly=True) as session:
        found = accounts.users_after(session, cursor, limit + 1)
        shown, next_cursor = cut(found, limit, lambda u: u.id)
        return Page([user_view(u) for u in shown], next_cursor)
