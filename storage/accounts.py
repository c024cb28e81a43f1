"""Users, their sessions and API tokens, and login attempts: the records behind the web
service's accounts. Hashing passwords and making tokens is the caller's (api.accounts)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config.errors import InvalidRequest, NotFound
from config.text import collapse_whitespace, nfc
from storage.enums import EventKind, TokenKind, UserRole
from storage.events import append_event
from storage.models import AuthToken, Event, LoginAttempt, User
from storage.types import utcnow


def normalize_username(username: str) -> str:
    """Login names compare as NFC, trimmed, lower case."""
    return nfc(username).strip().casefold()


def add_user(
    session: Session,
    *,
    username: str,
    full_name: str,
    role: UserRole,
    unit_code: str,
    password_hash: str,
    signer_profile: str | None,
    actor: str,
    one_time: bool = False,
) -> User:
    """A new account; InvalidRequest if the name is taken or empty, or if the signer profile
    is already someone's: a profile is one person's key, so it has one account."""
    name = normalize_username(username)
    if not name or any(c.isspace() for c in name):
        raise InvalidRequest(f"user name {username!r} must be one word")
    if session.scalars(select(User.id).where(User.username == name)).first() is not None:
        raise InvalidRequest(f"a user named {name!r} already exists")
    holder = profile_holder(session, signer_profile) if signer_profile else None
    if holder is not None:
        raise InvalidRequest(f"signer profile {signer_profile!r} is {holder.username!r}'s")
    user = User(
        username=name,
        full_name=collapse_whitespace(nfc(full_name)) or name,
        role=role,
        unit_code=unit_code.strip(),
        signer_profile=signer_profile,
        password_hash=password_hash,
        active=True,
        must_change_password=one_time,
        created_by=actor,
    )
    session.add(user)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as e:  # another admin took the name or the profile just now
        raise InvalidRequest(f"user {name!r} or signer profile {signer_profile!r} is taken") from e
    append_event(
        session,
        EventKind.USER_ADDED,
        actor=actor,
        data={"username": name, "role": role.value, "unit": user.unit_code},
    )
    return user


def profile_holder(session: Session, signer_profile: str) -> User | None:
    """The account that signs with this profile (active or not: a deactivated leader's
    signatures stay theirs), if any."""
    return session.scalars(
        select(User).where(User.signer_profile == signer_profile).order_by(User.id)
    ).first()


def find_user(session: Session, username: str) -> User | None:
    """The account with this login name, if any."""
    return session.scalars(
        select(User).where(User.username == normalize_username(username))
    ).one_or_none()


def get_user(session: Session, user_id: int) -> User:
    """The account with this id; NotFound otherwise."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


def list_users(session: Session) -> list[User]:
    """Every account, by unit then name."""
    return list(session.scalars(select(User).order_by(User.unit_code, User.username)))


def users_after(session: Session, after: int | None, limit: int) -> list[User]:
    """At most `limit` accounts by unit then name, from the one after the account with id
    `after` (None: from the first); InvalidRequest if there is no such account."""
    stmt = select(User)
    if after is not None:
        last = session.get(User, after)
        if last is None:
            raise InvalidRequest(f"no account with id {after} to page after")
        stmt = stmt.where(
            or_(
                User.unit_code > last.unit_code,
                and_(User.unit_code == last.unit_code, User.username > last.username),
            )
        )
    return list(session.scalars(stmt.order_by(User.unit_code, User.username).limit(limit)))


def store_token(
    session: Session,
    user: User,
    *,
    token_sha256: str,
    kind: TokenKind,
    expires_at: datetime,
    csrf_token: str | None = None,
) -> AuthToken:
    """Record a session or API token by its digest."""
    token = AuthToken(
        token_sha256=token_sha256,
        user_id=user.id,
        kind=kind,
        csrf_token=csrf_token,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    return token


def live_token(session: Session, token_sha256: str, kind: TokenKind) -> AuthToken | None:
    """The unexpired, unrevoked token of an active user with this digest, its user loaded."""
    token = session.scalars(
        select(AuthToken)
        .join(User)
        .where(
            AuthToken.token_sha256 == token_sha256,
            AuthToken.kind == kind,
            AuthToken.revoked_at.is_(None),
            AuthToken.expires_at > utcnow(),
            User.active.is_(True),
        )
    ).one_or_none()
    if token is not None:
        _ = token.user  # loaded while the session is open
    return token


def revoke_token(session: Session, token_sha256: str) -> bool:
    """End a session or token; whether there was one to end."""
    token = session.scalars(
        select(AuthToken).where(AuthToken.token_sha256 == token_sha256)
    ).one_or_none()
    if token is None or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    return True


def revoke_user_tokens(session: Session, user: User, *, keep_sha256: str | None = None) -> int:
    """End every live session and token of a user (but the one kept); how many ended."""
    tokens = session.scalars(
        select(AuthToken).where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None))
    )
    ended = 0
    now = utcnow()
    for token in tokens:
        if token.token_sha256 != keep_sha256:
            token.revoked_at = now
            ended += 1
    return ended


def set_active(session: Session, user: User, active: bool, *, actor: str) -> bool:
    """Deactivate (or reactivate) an account; whether it changed. A deactivated user's
    sessions and tokens end with it: reactivating opens none of them again."""
    if user.active == active:
        return False
    user.active = active
    ended = 0 if active else revoke_user_tokens(session, user)
    append_event(
        session,
        EventKind.USER_CHANGED,
        actor=actor,
        data={"username": user.username, "active": active, "tokens_ended": ended},
    )
    return True


def set_password_hash(
    session: Session, user: User, password_hash: str, *, actor: str, keep_sha256: str | None
) -> int:
    """Give an account a new password hash; every other session and token of the user ends
    (a stolen one stops working). A password set by anyone but the holder is one-time: the
    account must change it before doing anything else. Returns how many ended."""
    user.password_hash = password_hash
    user.must_change_password = actor != user.username
    ended = revoke_user_tokens(session, user, keep_sha256=keep_sha256)
    change = "changed" if actor == user.username else "reset"
    append_event(
        session,
        EventKind.USER_CHANGED,
        actor=actor,
        data={
            "username": user.username,
            "password": change,
            "one_time": user.must_change_password,
            "tokens_ended": ended,
        },
    )
    return ended


ACCOUNT_EVENTS = (EventKind.USER_ADDED.value, EventKind.USER_CHANGED.value)


def account_changes(
    session: Session, since: datetime, username: str | None = None, limit: int = 50
) -> list[Event]:
    """Changes to accounts (made, password set or changed, switched off or on) since
    `since`, newest first: of one account, or of all. Shown to the account's holder and to
    admins, so a privileged change (an admin resetting a leader's password) is seen."""
    stmt = (
        select(Event)
        .where(Event.kind.in_(ACCOUNT_EVENTS), Event.at >= since)
        .order_by(Event.id.desc())
    )
    found = []
    for event in session.scalars(stmt):
        if username is None or event.data.get("username") == normalize_username(username):
            found.append(event)
            if len(found) == limit:
                break
    return found


_LOGIN_LOCK_CLASS = 0x4C_4F_47_49  # "LOGI": PostgreSQL advisory locks of login reservations


def lock_address(session: Session, address: str) -> None:
    """Serialize login reservations from one address until the transaction ends, so a count
    and the attempt it admits are one step: on PostgreSQL a transaction-scoped advisory lock
    on the address; on SQLite every writer already holds the database's write lock (BEGIN
    IMMEDIATE, storage.db)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(address.encode()).digest()[:4], "big", signed=True)
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:cls, :key)"),
            {"cls": _LOGIN_LOCK_CLASS, "key": key},
        )


def reserve_attempt(session: Session, username: str, address: str) -> int:
    """Log a login attempt as failed before its password is checked (a check that never
    finishes stays a failure); `settle_attempt` records a success. Returns its id."""
    attempt = LoginAttempt(
        username=normalize_username(username)[:64], address=address[:64], success=False
    )
    session.add(attempt)
    session.flush()
    return attempt.id


def settle_attempt(session: Session, attempt_id: int, *, success: bool) -> None:
    """Record how a reserved attempt ended."""
    attempt = session.get(LoginAttempt, attempt_id)
    if attempt is not None:
        attempt.success = success


@dataclass(frozen=True)
class AttemptHistory:
    """Recent logins of one user name from one address, and from the address overall."""

    failures: tuple[datetime, ...]
    """When the pair's attempts failed (or are still being checked), oldest first."""
    last_success: datetime | None
    """The pair's latest successful login in the same span, if any."""
    address_failures: int
    """Failures from the address, any user name, since `window_start`."""


def attempt_history(
    session: Session, *, username: str, address: str, since: datetime, window_start: datetime
) -> AttemptHistory:
    """The attempts a login throttle decides on (api.throttle.login_attempt)."""
    name, where = normalize_username(username)[:64], address[:64]
    pair = select(LoginAttempt.at, LoginAttempt.success).where(
        LoginAttempt.username == name, LoginAttempt.address == where, LoginAttempt.at >= since
    )
    rows = session.execute(pair.order_by(LoginAttempt.at)).all()
    from_address = select(func.count()).select_from(LoginAttempt)
    from_address = from_address.where(
        LoginAttempt.address == where,
        LoginAttempt.at >= window_start,
        LoginAttempt.success.is_(False),
    )
    return AttemptHistory(
        failures=tuple(at for at, success in rows if not success),
        last_success=max((at for at, success in rows if success), default=None),
        address_failures=int(session.scalar(from_address) or 0),
    )
