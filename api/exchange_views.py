"""The data-exchange feed as a provincial system pulls it over HTTP: its unit's messages a
page at a time, its acknowledgements, the files the feed links, and the service account and
bearer token the operator issues it (`sohoa exchange token`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from api.accounts import IssuedToken, Principal, issue_token
from api.paging import cut
from config.errors import InvalidRequest
from config.settings import Settings
from storage import accounts
from storage.db import open_database
from storage.enums import TokenKind, UserRole
from storage.exchange_feed import acknowledge, acknowledged, links_file, unit_messages
from storage.outbox import catch_up_outbox

log = logging.getLogger(__name__)

NO_PASSWORD = "!no password: tokens from sohoa exchange token"  # noqa: S105  # not a hash
"""A service account's password hash: no Argon2 hash, so no password ever matches it and
the account cannot sign in on the login page or at POST /api/auth/token."""


@dataclass(frozen=True)
class FeedPage:
    """A page of a unit's feed, the cursor of the next (None: the last) and where the
    account's acknowledgements stand."""

    messages: list[dict[str, Any]]
    next_cursor: int | None
    acknowledged: int


def unit_feed(
    settings: Settings, principal: Principal, *, cursor: int | None, limit: int
) -> FeedPage:
    """The messages about the principal's unit's dossiers after `cursor` (an event id; None:
    after the last message the account acknowledged), oldest first. The outbox first catches
    up with the event log, as `sohoa exchange feed` does."""
    catch_up_outbox(settings)
    with open_database(settings).session(readonly=True) as session:
        acked = acknowledged(session, principal.user_id)
        after = acked if cursor is None else cursor
        found = unit_messages(session, principal.unit_code, after=after, limit=limit + 1)
        shown, next_cursor = cut(found, limit, lambda m: m.event_id)
        return FeedPage([m.payload for m in shown], next_cursor, acked)


def acknowledge_feed(settings: Settings, principal: Principal, through: int) -> int:
    """Acknowledge the unit's messages up to the event id `through` (one of them); the
    account's position afterwards."""
    with open_database(settings).session() as session:
        return acknowledge(session, principal.user_id, principal.unit_code, through)


def feed_links(settings: Settings, unit: str, sha256: str) -> bool:
    """Whether the unit's feed links the stored file with this SHA-256."""
    with open_database(settings).session(readonly=True) as session:
        return links_file(session, unit, sha256)


def exchange_token(settings: Settings, *, unit: str, username: str, actor: str) -> IssuedToken:
    """A new bearer token for the provincial system's account of the unit, made first if
    there is none (role exchange, no password). Refused if the name is another kind of
    account or of another unit."""
    with open_database(settings).session() as session:
        user = accounts.find_user(session, username)
        if user is None:
            user = accounts.add_user(
                session, username=username, full_name=f"Liên thông {unit}",
                role=UserRole.EXCHANGE, unit_code=unit, password_hash=NO_PASSWORD,
                signer_profile=None, actor=actor,
            )  # fmt: skip
        elif user.role is not UserRole.EXCHANGE or user.unit_code != unit:
            raise InvalidRequest(
                f"{username!r} is a {user.role.value} account of unit {user.unit_code}, "
                f"not the exchange account of {unit}"
            )
        elif not user.active:
            raise InvalidRequest(f"{username!r} is deactivated: sohoa user activate {username}")
        principal = Principal.of(user)
    log.info("exchange token for %s (%s) issued by %s", username, unit, actor)
    return issue_token(settings, principal, TokenKind.API)
