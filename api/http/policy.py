"""Who may do what: one table of actions by role, and the unit rule, for every route.

Every route names its action through `allow(Action.X)`; nothing else decides access. A role
missing from an action's row is refused with 403. For unit-scoped actions a record of
another unit is reported exactly as a record that does not exist (404), so guessing
dossier codes or document ids tells a clerk nothing about other units.
`route_actions(app)` lists every route with its action, for tests that walk them all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute

from api.accounts import Principal
from config.errors import Forbidden, NotFound, PasswordChangeRequired
from storage.enums import UserRole

CLERK, LEADER, ARCHIVIST, ADMIN, EXCHANGE = (
    UserRole.CLERK,
    UserRole.LEADER,
    UserRole.ARCHIVIST,
    UserRole.ADMIN,
    UserRole.EXCHANGE,
)


class Action(StrEnum):
    """Everything a signed-in user can ask of the service."""

    PROFILE_READ = "profile.read"
    PROFILE_UPDATE = "profile.update"
    """One's own account: a new password."""
    DOSSIER_LIST = "dossier.list"
    DOSSIER_CREATE = "dossier.create"
    DOSSIER_READ = "dossier.read"
    DOSSIER_UPLOAD = "dossier.upload"
    DOSSIER_SUPPLEMENT = "dossier.supplement"
    """Ask the citizen for a supplement (the clock stops), and record that it arrived."""
    DOSSIER_APOLOGIZE = "dossier.apologize"
    """Record an overdue (or soon due) dossier's apology letter and its new date."""
    DOSSIER_PAY = "dossier.pay"
    """Record that the dossier's fees were paid (online or at the counter)."""
    DOSSIER_RATE = "dossier.rate"
    """Record the citizen's rating of the service, after the return."""
    DOSSIER_RETURN = "dossier.return"
    """Hand the result back to the citizen: the dossier is finished."""
    DOSSIER_NATIONAL_CHECK = "dossier.national_check"
    """Record that a component was checked against a national database instead of a paper."""
    DOSSIER_ROUTE = "dossier.route"
    """Send the dossier to the competent unit that resolves it (Decree 118/2025/NĐ-CP)."""
    DOSSIER_END = "dossier.end"
    """Refuse, withdraw or stop the dossier, with its reason."""
    DOSSIER_REUSE = "dossier.reuse"
    """List the applicant's still-valid digitization results of the unit, and serve a
    component with one instead of a new scan."""
    DOCUMENT_READ = "document.read"
    FILE_READ = "file.read"
    """A stored file by its SHA-256, as the exchange's messages link it. Whoever may not read
    documents (a provincial system's account) gets only the files its unit's feed links."""
    DOCUMENT_CORRECT = "document.correct"
    DOCUMENT_SPLIT = "document.split"
    """Cut a digitized upload into documents at the pages a clerk chose (or merge parts)."""
    RESCAN_REQUEST = "document.rescan_request"
    BACKLOG_READ = "backlog.read"
    """The unit's open dossiers overdue, due by the next working day, or waiting for a
    supplement, with the apology letters owed."""
    INBOX_READ = "inbox.read"
    """The scanner inbox's files waiting for a clerk, and their page images."""
    INBOX_ASSIGN = "inbox.assign"
    """File a waiting scanner file into a dossier."""
    INBOX_SPLIT = "inbox.split"
    """Cut a waiting scanner file into several at the pages a clerk chose."""
    INBOX_ROTATE = "inbox.rotate"
    """Turn a page of a waiting scanner file a quarter turn."""
    SIGN_INBOX = "sign.inbox"
    SIGN = "sign.sign"
    RESULT_READ = "result.read"
    ARCHIVE_READ = "archive.read"
    ARCHIVE_SEAL = "archive.seal"
    ARCHIVE_EXPORT = "archive.export"
    ARCHIVE_DISPOSE = "archive.dispose"
    """Destroy a record past its retention period, by a recorded decision (a tombstone stays)."""
    FIXITY_ACK = "archive.fixity_ack"
    SEARCH = "search"
    """Archived records (and tombstones) of every unit, each record found logged."""
    SEARCH_LIVE = "search.live"
    """Documents of dossiers not archived, in search results: a live dossier is its unit's."""
    STATS_READ = "stats.read"
    JOB_READ = "job.read"
    USER_MANAGE = "user.manage"
    CATALOGUE_READ = "catalogue.read"
    """The unit register, the procedure catalogue and the signer profiles, read-only (the
    operator edits them in the catalogue files)."""
    EXCHANGE_READ = "exchange.read"
    """Page through the data-exchange feed of one's unit (a provincial system pulling it)."""
    EXCHANGE_ACK = "exchange.ack"
    """Acknowledge the feed's messages up to one: the feed then starts after it."""


@dataclass(frozen=True)
class Rule:
    """Which roles may take an action, and whether only on their own unit's records."""

    roles: frozenset[UserRole]
    unit_scoped: bool = False
    every_unit: frozenset[UserRole] = frozenset()
    """Roles of a unit-scoped row that take the action on every unit's records (archivists
    keep the whole agency's archive)."""

    def scoped(self, role: UserRole) -> bool:
        """Whether this role takes the action on its own unit's records only."""
        return self.unit_scoped and role not in self.every_unit


def _rule(
    *roles: UserRole, unit_scoped: bool = False, every_unit: tuple[UserRole, ...] = ()
) -> Rule:
    return Rule(frozenset(roles), unit_scoped, frozenset(every_unit))


POLICY: dict[Action, Rule] = {
    Action.PROFILE_READ: _rule(CLERK, LEADER, ARCHIVIST, ADMIN),
    Action.PROFILE_UPDATE: _rule(CLERK, LEADER, ARCHIVIST, ADMIN),
    Action.DOSSIER_LIST: _rule(CLERK, LEADER, unit_scoped=True),
    Action.DOSSIER_CREATE: _rule(CLERK, unit_scoped=True),
    Action.DOSSIER_READ: _rule(CLERK, LEADER, unit_scoped=True),
    Action.DOSSIER_UPLOAD: _rule(CLERK, unit_scoped=True),
    Action.DOSSIER_SUPPLEMENT: _rule(CLERK, unit_scoped=True),
    Action.DOSSIER_APOLOGIZE: _rule(CLERK, unit_scoped=True),
    Action.DOSSIER_PAY: _rule(CLERK, unit_scoped=True),
    Action.DOSSIER_RATE: _rule(CLERK, unit_scoped=True),
    Action.DOSSIER_RETURN: _rule(CLERK, unit_scoped=True),
    Action.DOSSIER_NATIONAL_CHECK: _rule(CLERK, unit_scoped=True),
    Action.DOSSIER_ROUTE: _rule(CLERK, unit_scoped=True),
    Action.DOSSIER_END: _rule(CLERK, unit_scoped=True),
    Action.DOSSIER_REUSE: _rule(CLERK, unit_scoped=True),
    Action.DOCUMENT_READ: _rule(CLERK, LEADER, unit_scoped=True),
    Action.FILE_READ: _rule(CLERK, LEADER, EXCHANGE, unit_scoped=True),
    Action.DOCUMENT_CORRECT: _rule(CLERK, unit_scoped=True),
    Action.DOCUMENT_SPLIT: _rule(CLERK, unit_scoped=True),
    Action.RESCAN_REQUEST: _rule(CLERK, unit_scoped=True),
    Action.BACKLOG_READ: _rule(CLERK, LEADER, unit_scoped=True),
    Action.INBOX_READ: _rule(CLERK, unit_scoped=True),
    Action.INBOX_ASSIGN: _rule(CLERK, unit_scoped=True),
    Action.INBOX_SPLIT: _rule(CLERK, unit_scoped=True),
    Action.INBOX_ROTATE: _rule(CLERK, unit_scoped=True),
    Action.SIGN_INBOX: _rule(LEADER, unit_scoped=True),
    Action.SIGN: _rule(LEADER, unit_scoped=True),
    Action.RESULT_READ: _rule(CLERK, LEADER, unit_scoped=True),
    Action.ARCHIVE_READ: _rule(ARCHIVIST),
    Action.ARCHIVE_SEAL: _rule(ARCHIVIST),
    Action.ARCHIVE_EXPORT: _rule(ARCHIVIST),
    Action.ARCHIVE_DISPOSE: _rule(ARCHIVIST),
    Action.FIXITY_ACK: _rule(ARCHIVIST),
    Action.SEARCH: _rule(ARCHIVIST),
    Action.SEARCH_LIVE: _rule(ARCHIVIST, unit_scoped=True),
    Action.STATS_READ: _rule(
        LEADER, ARCHIVIST, ADMIN, unit_scoped=True, every_unit=(ARCHIVIST, ADMIN)
    ),
    Action.JOB_READ: _rule(CLERK, LEADER, ARCHIVIST, unit_scoped=True, every_unit=(ARCHIVIST,)),
    Action.USER_MANAGE: _rule(ADMIN),
    Action.CATALOGUE_READ: _rule(ADMIN),
    Action.EXCHANGE_READ: _rule(EXCHANGE, unit_scoped=True),
    Action.EXCHANGE_ACK: _rule(EXCHANGE, unit_scoped=True),
}
"""The whole policy. Archivists keep the agency's archive, so they see every unit's archived
records (and every access is logged); a dossier not archived yet is its unit's, so their
search shows live documents of their own unit only. Admins manage accounts but read no
dossier. A leader reads the figures of their own unit; archivists and admins, who work for
the whole agency, every unit's. A job is read as the dossier it works on: by its unit's
clerks and leaders, and by archivists. A provincial system's account (exchange) pulls its
unit's feed, acknowledges it and downloads the files it links, and is refused everything
else; staff do not read the feed over HTTP (the operator has `sohoa exchange feed`)."""


OWN_ACCOUNT = frozenset({Action.PROFILE_READ, Action.PROFILE_UPDATE})
"""All an account signed in with a one-time password may do (see its page, change it)."""


def permits(principal: Principal, action: Action) -> bool:
    """Whether the principal's role may take the action at all."""
    return principal.role in POLICY[action].roles


def check(principal: Principal, action: Action) -> None:
    """Forbidden unless the principal's role may take the action."""
    if not permits(principal, action):
        raise Forbidden(f"{principal.username} ({principal.role.value}) may not {action.value}")


def check_unit(principal: Principal, action: Action, unit_code: str | None, what: str) -> None:
    """For a unit-scoped action, a record of another unit (or of none: None) is NotFound,
    as if absent."""
    check(principal, action)
    if POLICY[action].scoped(principal.role) and unit_code != principal.unit_code:
        raise NotFound(f"no {what}")


def unit_filter(principal: Principal, action: Action) -> str | None:
    """The unit a listing must be limited to (None: every unit)."""
    check(principal, action)
    return principal.unit_code if POLICY[action].scoped(principal.role) else None


def asked_unit(principal: Principal, action: Action, asked: str | None) -> str | None:
    """The unit a unit-scoped read is limited to: the one asked for (None: every unit the
    principal may see), or, for a role scoped to its unit, its own; another unit asked for
    is NotFound, as if it had no records."""
    check(principal, action)
    if not POLICY[action].scoped(principal.role):
        return asked
    if asked is not None and asked != principal.unit_code:
        raise NotFound(f"no unit {asked!r}")
    return principal.unit_code


def unit_scope(principal: Principal, action: Action) -> list[str] | None:
    """The units whose records the principal takes an action on, for a filter: None for
    every unit, [] for none (the role may not take it at all)."""
    if not permits(principal, action):
        return []
    return [principal.unit_code] if POLICY[action].scoped(principal.role) else None


class Allow:
    """A route dependency: the signed-in principal, refused unless the policy allows the
    action. `resolve` (who is asking) is set by the app: sessions or bearer tokens."""

    def __init__(self, action: Action, resolve: Callable[[Request], Awaitable[Principal]]) -> None:
        self.action = action
        self._resolve = resolve

    async def __call__(self, request: Request) -> Principal:
        principal = await self._resolve(request)
        check(principal, self.action)
        if principal.must_change_password and self.action not in OWN_ACCOUNT:
            raise PasswordChangeRequired(
                f"{principal.username} must change the password someone else set first"
            )
        return principal


def _api_routes(routes: Iterable[object]) -> Iterator[APIRoute]:
    """Routes, including those of included routers (FastAPI wraps them since 0.16x)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _api_routes(inner.routes)


def route_actions(app: FastAPI) -> Iterator[tuple[str, str, Action | None]]:
    """Every route's method, path and action (None: public)."""
    for route in _api_routes(app.routes):
        actions = [d.call.action for d in route.dependant.dependencies if isinstance(d.call, Allow)]
        for method in sorted(route.methods or ()):
            yield method, route.path, actions[0] if actions else None
