"""Every route of the app, API and pages, asked by every role and by nobody, about records of
the asker's own unit and of another unit, through real HTTP requests on a real database.

The routes are enumerated from the app itself (`route_actions`); each needs a recipe here
(how to ask it something real), so a new route without one fails, and a route without a
policy action must be listed as public. The expected answer comes from the policy table
alone: nobody signed in is 401 (a page GET goes to the login page), a role missing from
the action's row is 403, a unit-scoped action on another unit's record is the 404 of a
record that does not exist, anything else succeeds; listings of a unit-scoped action
never show another unit's record.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from api.accounts import IssuedToken, Principal, issue_token
from api.dossier_views import dossier_view
from api.http.app import create_app
from api.http.auth import SESSION_COOKIE
from api.http.policy import POLICY, Action, route_actions
from api.services import ask_supplement, open_dossier, return_result
from api.sign_service import parse_seen, seen_form
from config.settings import Settings
from signing.flow.results import current_result
from storage.accounts import add_user
from storage.archive.fixity import check_package
from storage.archive.layout import ArchiveRoots
from storage.db import open_database
from storage.enums import TokenKind, UserRole
from storage.models import (
    ArchivePackage,
    Dossier,
    ExchangeMessage,
    FixityAlert,
    SignatureRequest,
)
from tests.api.conftest import PASSWORD
from tests.api.disposal_support import expired_record
from tests.api.exchange_support import publish
from tests.api.inbox_support import open_dossier_of, waiting_file
from tests.api.reuse_support import Reusable, reusable_card
from tests.storage.archive_support import archive, build_dossier, jpeg_bytes, pdf_bytes
from workers.jobs import JobKind, enqueue

OWN, OTHER = "xa-a", "xa-b"
ROLES: dict[str, tuple[UserRole, str | None]] = {
    "clerk": (UserRole.CLERK, None),
    "leader": (UserRole.LEADER, "chu-tich"),
    "archivist": (UserRole.ARCHIVIST, None),
    "admin": (UserRole.ADMIN, None),
    "exchange": (UserRole.EXCHANGE, None),
}
"""One account per role, all of unit OWN; "anonymous" asks with no credentials."""
ANONYMOUS = "anonymous"

PUBLIC = {
    ("GET", "/api/health"),
    ("POST", "/api/auth/token"),
    ("POST", "/api/verify"),
    ("GET", "/"),
    ("POST", "/login"),
    ("GET", "/verify"),
    ("GET", "/docs"),
    ("GET", "/redoc"),
}
"""Routes anyone may call: everything else must name an action of the policy."""


@dataclass(frozen=True)
class Records:
    """Real records of one unit, for recipes to point at."""

    unit: str
    work: str
    """A dossier with every component digitized and its result signed."""
    document: int
    """A digitized document of `work`."""
    unsigned: str
    """A complete dossier whose result waits for its leader's signature."""
    shown: str
    """That result as its preview shows it (CODE:DOCUMENT_ID:SHA256), as signing names it."""
    archived: str
    """A dossier sealed into the archive."""
    job: str
    """A queued job about `work`."""
    alert: int
    """An open fixity alert on `archived`'s package."""
    user: str
    """An account of the unit nobody signs in with, for admins to disable, enable and reset."""
    file: str
    """The SHA-256 of `work`'s signed result, as the exchange's messages link it."""
    message: int
    """The event id of an exchange message about `work`."""
    counter: dict[str, str]
    """Dossiers for the counter's actions, one per route ("asked/api", "asked/page"...): being
    processed (to ask a supplement of), waiting for its supplement, signed not returned,
    overdue (to apologize for: "late/..."), owing a fee ("payable/..."), returned (to rate:
    "returned/..."), just received (to route, to end;
    "checkable/...": "CODE/components/ID", its card)."""
    inbox: dict[str, int]
    """Files waiting in the unit's scanner inbox: "shown" (listed, its pages drawn and
    turned), and one for each assign route ("api", "page") and split route ("split-...")."""
    received: str
    """A dossier just received, nothing uploaded: where inbox files are assigned."""
    reuse: dict[str, Reusable]
    """Per reuse route ("api", "page"): a dossier missing the applicant's ID card, and the
    card's earlier result in the unit."""
    expired: dict[str, str]
    """Per disposal route ("api", "page"): an archived record past its retention period."""


@dataclass(frozen=True)
class Ask:
    """What a recipe sends."""

    url: str
    json: Any = None
    form: dict[str, Any] | None = None
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None


@dataclass(frozen=True)
class Recipe:
    """How to ask a route something real about a unit's records."""

    ask: Callable[[Records, int], Ask]
    ok: int
    """The status of a request the policy allows."""
    lists: Callable[[Records], str] | None = None
    """For a listing: the record of the unit it must show, or hide from other units."""
    fresh: bool = False
    """The request ends its credentials (logout), or the user's others (a password change):
    give it credentials of its own, and the role fresh ones afterwards."""
    public: tuple[int, int] | None = None
    """For a public route: the status for nobody, and for anyone signed in."""
    unit_free: bool = False
    """The request names no record (it creates one in the asker's unit, or reads the
    catalogue): a unit-scoped action is never 404 for it."""


def _get(url: Callable[[Records], str], ok: int = 200, **kw: Any) -> Recipe:
    return Recipe(lambda r, n: Ask(url(r)), ok, **kw)


def _shown(r: Records) -> dict[str, Any]:
    seen = parse_seen(r.shown)
    return {"code": seen.code, "document_id": seen.document_id, "sha256": seen.sha256}


def _json(url: Callable[[Records], str], body: Callable[[Records, int], Any], ok: int) -> Recipe:
    return Recipe(lambda r, n: Ask(url(r), json=body(r, n)), ok)


def _form(url: Callable[[Records], str], form: Callable[[Records, int], dict[str, Any]]) -> Recipe:
    return Recipe(lambda r, n: Ask(url(r), form=form(r, n)), 303)


def _new_user(r: Records, n: int) -> dict[str, Any]:
    return {"username": f"nv{n}", "password": PASSWORD, "full_name": f"Nhân viên {n}",
            "role": "clerk", "unit": r.unit}  # fmt: skip


SAME_PASSWORD = {"current_password": PASSWORD, "new_password": PASSWORD}
"""A password change that leaves every role's password as the other recipes know it."""
NEW_DOSSIER = {"procedure": "1.001193", "applicant_name": "Lê Thị Hoa"}
ROUTE_TO = "xa-tan-phu"
"""A commune of the province other than OWN and OTHER: a birth registration may go there."""
SEARCH = "q=khai+sinh&unit={}"
BOOK = "from=2026-03-01&to=2026-03-31"
"""The tracking book's month: the asker's own unit's, whatever unit the records are of."""
LAST_MONTH = datetime.now(UTC) - timedelta(days=30)
"""A same-day procedure received then is overdue now, and may be apologized for: a month
back, so that even the longest run of holidays (Tết, about nine days) cannot leave its
deadline still ahead when the test runs."""

RECIPES: dict[tuple[str, str], Recipe] = {
    ("GET", "/api/health"): Recipe(lambda r, n: Ask("/api/health"), 200, public=(200, 200)),
    ("POST", "/api/auth/token"): Recipe(
        lambda r, n: Ask("/api/auth/token", json={"username": "clerk", "password": PASSWORD}),
        200,
        public=(200, 200),
    ),
    ("POST", "/api/verify"): Recipe(
        lambda r, n: Ask(
            "/api/verify", files=[("file", ("x.pdf", pdf_bytes(1, 5), "application/pdf"))]
        ),
        200,
        public=(200, 200),
    ),
    ("GET", "/"): Recipe(lambda r, n: Ask("/"), 200, public=(200, 303)),
    ("GET", "/verify"): Recipe(lambda r, n: Ask("/verify"), 200, public=(200, 200)),
    ("GET", "/docs"): Recipe(lambda r, n: Ask("/docs"), 200, public=(200, 200)),
    ("GET", "/redoc"): Recipe(lambda r, n: Ask("/redoc"), 200, public=(200, 200)),
    ("GET", "/api/files/{sha256}"): _get(lambda r: f"/api/files/{r.file}"),
    ("GET", "/api/exchange/feed"): _get(
        lambda r: "/api/exchange/feed?cursor=0&limit=500", lists=lambda r: r.work
    ),
    ("POST", "/api/exchange/ack"): _json(
        lambda r: "/api/exchange/ack", lambda r, n: {"through": r.message}, 200
    ),
    ("POST", "/login"): Recipe(
        lambda r, n: Ask("/login", form={"username": "clerk", "password": PASSWORD}),
        303,
        public=(401, 401),  # without the login form's own token
    ),
    ("DELETE", "/api/auth/token"): Recipe(lambda r, n: Ask("/api/auth/token"), 204, fresh=True),
    ("POST", "/logout"): Recipe(lambda r, n: Ask("/logout", form={}), 303, fresh=True),
    ("GET", "/api/me"): _get(lambda r: "/api/me"),
    ("POST", "/api/me/password"): Recipe(
        lambda r, n: Ask("/api/me/password", json=SAME_PASSWORD), 204, fresh=True
    ),
    ("POST", "/api/users/{username}/password"): _json(
        lambda r: f"/api/users/{r.user}/password", lambda r, n: {"password": PASSWORD}, 204
    ),
    ("POST", "/api/users/{username}/deactivate"): _json(
        lambda r: f"/api/users/{r.user}/deactivate", lambda r, n: None, 200
    ),
    ("POST", "/api/users/{username}/activate"): _json(
        lambda r: f"/api/users/{r.user}/activate", lambda r, n: None, 200
    ),
    ("GET", "/api/users"): _get(lambda r: "/api/users"),
    ("POST", "/api/users"): _json(lambda r: "/api/users", _new_user, 201),
    ("GET", "/api/jobs/{job_id}"): _get(lambda r: f"/api/jobs/{r.job}"),
    ("GET", "/api/procedures"): _get(lambda r: "/api/procedures", unit_free=True),
    ("GET", "/api/document-types"): _get(lambda r: "/api/document-types", unit_free=True),
    ("GET", "/api/dossiers"): _get(lambda r: "/api/dossiers", lists=lambda r: r.work),
    ("POST", "/api/dossiers"): Recipe(
        lambda r, n: Ask("/api/dossiers", json=NEW_DOSSIER), 201, unit_free=True
    ),
    ("GET", "/api/dossiers/{code}"): _get(lambda r: f"/api/dossiers/{r.work}"),
    ("GET", "/api/dossiers/{code}/status"): _get(lambda r: f"/api/dossiers/{r.work}/status"),
    ("GET", "/api/dossiers/{code}/history"): _get(lambda r: f"/api/dossiers/{r.work}/history"),
    ("POST", "/api/dossiers/{code}/files"): Recipe(
        lambda r, n: Ask(
            f"/api/dossiers/{r.unsigned}/files",  # `work`'s signed result refuses new files
            files=[("files", (f"scan-{n}.jpg", jpeg_bytes(n), "image/jpeg"))],
        ),
        201,
    ),
    ("GET", "/api/documents/{document_id}"): _get(lambda r: f"/api/documents/{r.document}"),
    ("GET", "/api/documents/{document_id}/{which}"): _get(
        lambda r: f"/api/documents/{r.document}/pdf"
    ),
    ("POST", "/api/documents/{document_id}/rescan"): _json(
        lambda r: f"/api/documents/{r.document}/rescan", lambda r, n: {"reason": "mờ trang 1"}, 201
    ),
    ("POST", "/api/documents/{document_id}/type"): _json(
        lambda r: f"/api/documents/{r.document}/type",
        lambda r, n: {"document_type": "to_khai_khai_sinh"},
        200,
    ),
    ("POST", "/api/dossiers/{code}/supplement"): _json(
        lambda r: f"/api/dossiers/{r.counter['asked/api']}/supplement",
        lambda r, n: {"reason": "thiếu giấy"},
        200,
    ),
    ("GET", "/api/dossiers/{code}/forms/{number}"): _get(
        lambda r: f"/api/dossiers/{r.work}/forms/06"
    ),
    ("POST", "/api/dossiers/{code}/apology"): _json(
        lambda r: f"/api/dossiers/{r.counter['late/api']}/apology",
        lambda r, n: {"reason": "chờ xác minh thông tin", "new_date": "2027-01-15"},
        200,
    ),
    ("POST", "/api/dossiers/{code}/payment"): _json(
        lambda r: f"/api/dossiers/{r.counter['payable/api']}/payment",
        lambda r, n: {"status": "paid_online"},
        200,
    ),
    ("POST", "/api/dossiers/{code}/rating"): _json(
        lambda r: f"/api/dossiers/{r.counter['returned/api']}/rating",
        lambda r, n: {"rating": "satisfied"},
        200,
    ),
    ("POST", "/api/documents/{document_id}/split"): _json(
        lambda r: f"/api/documents/{r.document}/split", lambda r, n: {"starts": [1]}, 202
    ),
    ("POST", "/api/dossiers/{code}/resume"): _json(
        lambda r: f"/api/dossiers/{r.counter['paused/api']}/resume", lambda r, n: None, 200
    ),
    ("POST", "/api/dossiers/{code}/return"): _json(
        lambda r: f"/api/dossiers/{r.counter['returnable/api']}/return", lambda r, n: None, 200
    ),
    ("POST", "/api/dossiers/{code}/route"): _json(
        lambda r: f"/api/dossiers/{r.counter['routable/api']}/route",
        lambda r, n: {"to": ROUTE_TO, "reason": "Nơi cư trú của người yêu cầu"},
        200,
    ),
    ("POST", "/api/dossiers/{code}/end"): _json(
        lambda r: f"/api/dossiers/{r.counter['ending/api']}/end",
        lambda r, n: {"state": "withdrawn", "reason": "Công dân xin rút hồ sơ"},
        200,
    ),
    ("POST", "/api/dossiers/{code}/components/{component_id}/national-check"): _json(
        lambda r: f"/api/dossiers/{r.counter['checkable/api']}/national-check",
        lambda r, n: {"source": "vneid", "reference": f"VNeID-{n}"},
        200,
    ),
    ("GET", "/api/dossiers/{code}/reusable"): _get(
        lambda r: f"/api/dossiers/{r.reuse['api'].code}/reusable"
    ),
    ("POST", "/api/dossiers/{code}/components/{component_id}/reuse"): _json(
        lambda r: f"/api/dossiers/{r.reuse['api'].path}/reuse",
        lambda r, n: {"result": r.reuse["api"].result},
        200,
    ),
    ("POST", "/api/documents/{document_id}/fields"): _json(
        lambda r: f"/api/documents/{r.document}/fields",
        lambda r, n: {"name": "issuing_body", "value": f"UBND phường {n}"},
        200,
    ),
    ("GET", "/api/signing/inbox"): _get(lambda r: "/api/signing/inbox", lists=lambda r: r.unsigned),
    ("POST", "/api/signing"): _json(
        lambda r: "/api/signing", lambda r, n: {"results": [_shown(r)]}, 200
    ),
    ("POST", "/api/signing/agent/prepare"): _json(  # a leader's own: refused as not a certificate
        lambda r: "/api/signing/agent/prepare",
        lambda r, n: {"results": [_shown(r)], "certificates": ["AAAA"]},
        400,
    ),
    ("POST", "/api/signing/agent/finish"): _json(  # a leader's own: refused as never prepared
        lambda r: "/api/signing/agent/finish",
        lambda r, n: {"signatures": [{"code": r.unsigned, "id": "1." + "0" * 64, "signature": ""}]},
        409,
    ),
    ("GET", "/api/dossiers/{code}/result"): _get(lambda r: f"/api/dossiers/{r.work}/result"),
    ("GET", "/api/search"): _get(
        lambda r: "/api/search?" + SEARCH.format(r.unit), lists=lambda r: r.archived
    ),
    ("GET", "/api/archive"): _get(lambda r: "/api/archive"),
    ("GET", "/api/archive/candidates"): _get(lambda r: "/api/archive/candidates"),
    ("GET", "/api/archive/retention/due"): _get(lambda r: "/api/archive/retention/due"),
    ("GET", "/api/archive/retention/expired"): _get(lambda r: "/api/archive/retention/expired"),
    ("GET", "/api/archive/alerts"): _get(lambda r: "/api/archive/alerts"),
    ("POST", "/api/archive/alerts/acknowledge"): _json(
        lambda r: "/api/archive/alerts/acknowledge", lambda r, n: {"ids": [r.alert]}, 200
    ),
    ("GET", "/api/archive/records/{code}"): _get(lambda r: f"/api/archive/records/{r.archived}"),
    ("POST", "/api/archive/records/{code}"): _json(
        lambda r: f"/api/archive/records/{r.work}", lambda r, n: None, 202
    ),
    ("POST", "/api/archive/records/{code}/access-copy"): _json(
        lambda r: f"/api/archive/records/{r.archived}/access-copy",
        lambda r, n: {"reason": "công dân xin bản sao"},
        200,
    ),
    ("POST", "/api/archive/records/{code}/dispose"): _json(
        lambda r: f"/api/archive/records/{r.expired['api']}/dispose",
        lambda r, n: {"decision": f"QĐ số {n}/QĐ-UBND", "decided_by": "Chủ tịch UBND"},
        200,
    ),
    ("GET", "/api/stats"): _get(lambda r: f"/api/stats?unit={r.unit}"),
    ("GET", "/api/stats.csv"): _get(lambda r: f"/api/stats.csv?unit={r.unit}"),
    ("GET", "/clerk"): _get(lambda r: "/clerk", lists=lambda r: r.work),
    ("POST", "/clerk/dossiers"): Recipe(
        lambda r, n: Ask("/clerk/dossiers", form=NEW_DOSSIER), 303, unit_free=True
    ),
    ("GET", "/clerk/dossiers/{code}"): _get(lambda r: f"/clerk/dossiers/{r.work}"),
    ("GET", "/clerk/documents/{document_id}"): _get(lambda r: f"/clerk/documents/{r.document}"),
    ("GET", "/documents/{document_id}/pages/{number}.png"): _get(
        lambda r: f"/documents/{r.document}/pages/1.png?w=300"
    ),
    ("POST", "/clerk/documents/{document_id}/rescan"): _form(
        lambda r: f"/clerk/documents/{r.document}/rescan", lambda r, n: {"reason": "mờ trang 2"}
    ),
    ("POST", "/clerk/documents/{document_id}/type"): _form(
        lambda r: f"/clerk/documents/{r.document}/type",
        lambda r, n: {"document_type": "to_khai_khai_sinh"},
    ),
    ("GET", "/clerk/dossiers/{code}/receipt.pdf"): _get(
        lambda r: f"/clerk/dossiers/{r.work}/receipt.pdf"
    ),
    ("POST", "/clerk/dossiers/{code}/supplement"): _form(
        lambda r: f"/clerk/dossiers/{r.counter['asked/page']}/supplement",
        lambda r, n: {"reason": "thiếu giấy"},
    ),
    ("GET", "/clerk/dossiers/{code}/forms/{number}.pdf"): _get(
        lambda r: f"/clerk/dossiers/{r.work}/forms/06.pdf"
    ),
    ("POST", "/clerk/dossiers/{code}/apology"): _form(
        lambda r: f"/clerk/dossiers/{r.counter['late/page']}/apology",
        lambda r, n: {"reason": "chờ xác minh thông tin", "new_date": "2027-01-15"},
    ),
    ("POST", "/clerk/dossiers/{code}/payment"): _form(
        lambda r: f"/clerk/dossiers/{r.counter['payable/page']}/payment",
        lambda r, n: {"status": "paid_direct"},
    ),
    ("POST", "/clerk/dossiers/{code}/rating"): _form(
        lambda r: f"/clerk/dossiers/{r.counter['returned/page']}/rating",
        lambda r, n: {"rating": "neutral"},
    ),
    ("POST", "/clerk/documents/{document_id}/split"): _form(
        lambda r: f"/clerk/documents/{r.document}/split", lambda r, n: {"starts": "1"}
    ),
    ("POST", "/clerk/dossiers/{code}/resume"): _form(
        lambda r: f"/clerk/dossiers/{r.counter['paused/page']}/resume", lambda r, n: {}
    ),
    ("POST", "/clerk/dossiers/{code}/return"): _form(
        lambda r: f"/clerk/dossiers/{r.counter['returnable/page']}/return", lambda r, n: {}
    ),
    ("POST", "/clerk/dossiers/{code}/route"): _form(
        lambda r: f"/clerk/dossiers/{r.counter['routable/page']}/route",
        lambda r, n: {"to": ROUTE_TO, "reason": ""},
    ),
    ("POST", "/clerk/dossiers/{code}/end"): _form(
        lambda r: f"/clerk/dossiers/{r.counter['ending/page']}/end",
        lambda r, n: {"state": "refused", "reason": "Không thuộc trường hợp giải quyết"},
    ),
    ("POST", "/clerk/dossiers/{code}/components/{component_id}/national-check"): _form(
        lambda r: f"/clerk/dossiers/{r.counter['checkable/page']}/national-check",
        lambda r, n: {"source": "population", "reference": f"TRA-{n}"},
    ),
    ("POST", "/clerk/dossiers/{code}/components/{component_id}/reuse"): _form(
        lambda r: f"/clerk/dossiers/{r.reuse['page'].path}/reuse",
        lambda r, n: {"result": r.reuse["page"].result},
    ),
    ("POST", "/clerk/documents/{document_id}/fields"): _form(
        lambda r: f"/clerk/documents/{r.document}/fields",
        lambda r, n: {"name": "issuing_body", "value": f"UBND xã {n}"},
    ),
    ("GET", "/leader"): _get(lambda r: "/leader", lists=lambda r: r.unsigned),
    ("GET", "/leader/dossiers/{code}"): _get(lambda r: f"/leader/dossiers/{r.unsigned}"),
    ("POST", "/leader/sign"): _form(lambda r: "/leader/sign", lambda r, n: {"results": r.shown}),
    ("GET", "/archive"): _get(
        lambda r: "/archive?" + SEARCH.format(r.unit), lists=lambda r: r.archived
    ),
    ("POST", "/archive/seal"): _form(lambda r: "/archive/seal", lambda r, n: {"code": r.work}),
    ("GET", "/archive/records/{code}"): _get(lambda r: f"/archive/records/{r.archived}"),
    ("POST", "/archive/records/{code}/access-copy"): Recipe(
        lambda r, n: Ask(
            f"/archive/records/{r.archived}/access-copy", form={"reason": "thanh tra xem lại"}
        ),
        200,
    ),
    ("POST", "/archive/records/{code}/dispose"): _form(
        lambda r: f"/archive/records/{r.expired['page']}/dispose",
        lambda r, n: {"decision": f"QĐ số {n}/QĐ-UBND", "decided_by": "Chủ tịch UBND"},
    ),
    ("POST", "/archive/alerts/ack"): _form(
        lambda r: "/archive/alerts/ack", lambda r, n: {"ids": r.alert}
    ),
    ("GET", "/admin"): _get(lambda r: "/admin"),
    ("GET", "/backlog"): _get(lambda r: "/backlog", lists=lambda r: r.work),
    ("GET", "/book.pdf"): _get(lambda r: f"/book.pdf?{BOOK}", unit_free=True),
    ("GET", "/api/book"): _get(lambda r: f"/api/book?{BOOK}", unit_free=True),
    ("GET", "/api/backlog"): _get(lambda r: "/api/backlog", lists=lambda r: r.work),
    ("GET", "/admin/catalogue"): _get(lambda r: "/admin/catalogue"),
    ("GET", "/api/catalogue"): _get(lambda r: "/api/catalogue"),
    ("POST", "/admin/users"): _form(lambda r: "/admin/users", _new_user),
    ("POST", "/admin/users/{username}/deactivate"): _form(
        lambda r: f"/admin/users/{r.user}/deactivate", lambda r, n: {}
    ),
    ("POST", "/admin/users/{username}/activate"): _form(
        lambda r: f"/admin/users/{r.user}/activate", lambda r, n: {}
    ),
    ("POST", "/admin/users/{username}/password"): _form(
        lambda r: f"/admin/users/{r.user}/password", lambda r, n: {"password": PASSWORD}
    ),
    ("GET", "/account"): _get(lambda r: "/account"),
    ("POST", "/account/password"): Recipe(
        lambda r, n: Ask(
            "/account/password",
            form=SAME_PASSWORD | {"new_password_again": PASSWORD},
        ),
        303,
        fresh=True,
    ),
    ("GET", "/dashboard"): _get(lambda r: f"/dashboard?unit={r.unit}"),
    ("GET", "/api/inbox"): _get(lambda r: "/api/inbox", lists=lambda r: f"quet-{r.unit}-shown"),
    ("POST", "/api/inbox/{item_id}/assign"): _json(
        lambda r: f"/api/inbox/{r.inbox['api']}/assign",
        lambda r, n: {"dossier_code": r.received},
        200,
    ),
    ("GET", "/clerk/inbox"): _get(lambda r: "/clerk/inbox", lists=lambda r: f"quet-{r.unit}-"),
    ("GET", "/inbox/{item_id}/pages/{number}.png"): _get(
        lambda r: f"/inbox/{r.inbox['shown']}/pages/1.png?w=160"
    ),
    ("POST", "/clerk/inbox/{item_id}/assign"): _form(
        lambda r: f"/clerk/inbox/{r.inbox['page']}/assign",
        lambda r, n: {"dossier_code": r.received},
    ),
    ("GET", "/clerk/inbox/{item_id}"): _get(
        lambda r: f"/clerk/inbox/{r.inbox['shown']}?dossier={r.received}"
    ),
    ("POST", "/api/inbox/{item_id}/split"): _json(
        lambda r: f"/api/inbox/{r.inbox['split-api']}/split", lambda r, n: {"starts": [2]}, 200
    ),
    ("POST", "/clerk/inbox/{item_id}/split"): _form(
        lambda r: f"/clerk/inbox/{r.inbox['split-page']}/split", lambda r, n: {"starts": "2"}
    ),
    ("POST", "/api/inbox/{item_id}/rotate"): _json(
        lambda r: f"/api/inbox/{r.inbox['shown']}/rotate",
        lambda r, n: {"page": 2, "degrees": 180},
        200,
    ),
    ("POST", "/clerk/inbox/{item_id}/rotate"): _form(
        lambda r: f"/clerk/inbox/{r.inbox['shown']}/rotate",
        lambda r, n: {"page": "1", "degrees": "180"},
    ),
}


def _records(settings: Settings, conn: redis.Redis, unit: str, seed: int) -> Records:
    db = open_database(settings)
    work = build_dossier(db, settings, unit=unit, seed=seed)
    unsigned = build_dossier(db, settings, unit=unit, seed=seed + 1, signed=False)
    archived = build_dossier(db, settings, unit=unit, seed=seed + 2)
    sealed = archive(db, settings, archived.code)
    lost = Path(sealed.replica) / "data" / "metadata" / "record.xml"
    lost.parent.chmod(0o755)
    lost.unlink()  # the nightly check puts it back from the primary, and raises an alert
    lost.parent.chmod(0o555)
    with db.session(readonly=True) as session:
        package = session.scalars(
            select(ArchivePackage.id).join(Dossier).where(Dossier.code == archived.code)
        ).one()
    check_package(db, ArchiveRoots.from_settings(settings), package, actor="test")
    with db.session(readonly=True) as session:
        alert = session.scalars(
            select(FixityAlert.id).where(FixityAlert.package_id == package)
        ).one()
    job = enqueue(conn, settings, JobKind.ARCHIVE, work.code, "test")
    with db.session() as session:
        user = add_user(
            session, username=f"nv-{unit}", full_name="Nhân viên", role=UserRole.CLERK,
            unit_code=unit, password_hash="never-signs-in", signer_profile=None, actor="test",
        ).username  # fmt: skip
    shown = seen_form(current_result(settings, unsigned.code))
    document = work.documents["to_khai_khai_sinh"]
    publish(settings)
    with db.session(readonly=True) as session:
        file = session.scalars(
            select(SignatureRequest.output_sha256)
            .join(Dossier, SignatureRequest.dossier_id == Dossier.id)
            .where(Dossier.code == work.code)
            .order_by(SignatureRequest.id.desc())
            .limit(1)
        ).one()
        message = session.scalars(
            select(ExchangeMessage.event_id).join(Dossier).where(Dossier.code == work.code)
        ).first()
    assert file is not None and message is not None
    counter = {}
    for n, (state, via) in enumerate(itertools.product(("asked", "paused", "returnable"),
                                                       ("api", "page"))):  # fmt: skip
        signed = state == "returnable"
        built = build_dossier(db, settings, unit=unit, seed=seed + 10 + n, signed=signed)
        counter[f"{state}/{via}"] = built.code
        if state == "paused":
            ask_supplement(settings, built.code, reason="thiếu bản sao", actor="test")
    for via in ("api", "page"):
        counter[f"late/{via}"] = open_dossier(
            settings, procedure_code="1.001193", applicant_name="Lê Thị Hoa",
            applicant_id_number=None, unit_code=unit, actor="test", received_at=LAST_MONTH,
        )  # fmt: skip
        counter[f"routable/{via}"] = open_dossier_of(settings, unit)
        counter[f"payable/{via}"] = open_dossier(
            settings, procedure_code="1.001612", applicant_name="Lê Văn Nam",
            applicant_id_number=None, unit_code=unit, actor="test",
        )  # fmt: skip
        counter[f"returned/{via}"] = open_dossier_of(settings, unit)
        return_result(settings, counter[f"returned/{via}"], actor="test")
        counter[f"ending/{via}"] = open_dossier_of(settings, unit)
        checkable = open_dossier_of(settings, unit)
        card = next(c["id"] for c in dossier_view(settings, checkable)["components"]
                    if c["expected_type"] == "cccd")  # fmt: skip
        counter[f"checkable/{via}"] = f"{checkable}/components/{card}"
    keys = ("shown", "api", "page", "split-api", "split-page")
    inbox = {key: waiting_file(settings, unit, f"quet-{unit}-{key}.pdf", seed=seed * 10 + n)
             for n, key in enumerate(keys)}  # fmt: skip
    received = open_dossier_of(settings, unit)
    reuse = {via: reusable_card(settings, unit, f"036098{seed:03d}{n:03d}", seed=seed * 10 + n)
             for n, via in enumerate(("api", "page"))}  # fmt: skip
    expired = {via: expired_record(settings, unit, seed=seed + 30 + n)
               for n, via in enumerate(("api", "page"))}  # fmt: skip
    return Records(unit, work.code, document, unsigned.code, shown, archived.code, job, alert,
                   user, file, message, counter, inbox, received, reuse, expired)  # fmt: skip


@dataclass
class World:
    """The app, its accounts and the records of both units."""

    client: TestClient
    settings: Settings
    principals: dict[str, Principal]
    records: dict[str, Records]
    bearers: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, IssuedToken] = field(default_factory=dict)
    serial: Iterator[int] = field(default_factory=lambda: itertools.count(100))

    def bearer(self, role: str, fresh: bool) -> str:
        if fresh or role not in self.bearers:
            token = issue_token(self.settings, self.principals[role], TokenKind.API).token
            if fresh:
                return token
            self.bearers[role] = token
        return self.bearers[role]

    def session(self, role: str, fresh: bool) -> IssuedToken:
        if fresh or role not in self.sessions:
            issued = issue_token(self.settings, self.principals[role], TokenKind.SESSION)
            if fresh:
                return issued
            self.sessions[role] = issued
        return self.sessions[role]

    def send(self, method: str, path: str, role: str, unit: str) -> Response:
        """The recipe's request, as `role` (bearer for the API, session and CSRF for pages)."""
        recipe = RECIPES[(method, path)]
        ask = recipe.ask(self.records[unit], next(self.serial))
        headers: dict[str, str] = {}
        form = dict(ask.form) if ask.form is not None else None
        if role != ANONYMOUS and path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {self.bearer(role, recipe.fresh)}"
        elif role != ANONYMOUS:
            issued = self.session(role, recipe.fresh)
            headers["Cookie"] = f"{SESSION_COOKIE}={issued.token}"
            if form is not None and (method, path) not in PUBLIC:
                form["csrf"] = issued.principal.csrf_token
        self.client.cookies.clear()
        reply: Response = self.client.request(
            method, ask.url, json=ask.json, data=form, files=ask.files, headers=headers,
            follow_redirects=False,
        )  # fmt: skip
        if recipe.fresh:  # a password change ended the role's other credentials
            self.bearers.pop(role, None)
            self.sessions.pop(role, None)
        return reply


@pytest.fixture
def world(api_settings: Settings, redis_conn: redis.Redis, password_hash: str) -> Iterator[World]:
    """Accounts of every role in unit OWN; three dossiers in each unit, one archived."""
    principals = {}
    with open_database(api_settings).session() as session:
        for name, (role, profile) in ROLES.items():
            user = add_user(
                session, username=name, full_name=name.title(), role=role, unit_code=OWN,
                password_hash=password_hash, signer_profile=profile, actor="test",
            )  # fmt: skip
            principals[name] = Principal.of(user)
    records = {
        OWN: _records(api_settings, redis_conn, OWN, 1),
        OTHER: _records(api_settings, redis_conn, OTHER, 4),
    }
    with TestClient(create_app(api_settings, redis_conn)) as client:
        yield World(client, api_settings, principals, records)


def expected(
    action: Action | None, recipe: Recipe, role: str, unit: str, api: bool, get: bool
) -> int:
    """The status the policy table and the unit rule call for."""
    if action is None:
        assert recipe.public is not None
        return recipe.public[role != ANONYMOUS]
    if role == ANONYMOUS:
        return 303 if get and not api else 401
    rule = POLICY[action]
    asker = ROLES[role][0]
    if asker not in rule.roles:
        return 403
    if rule.scoped(asker) and unit != OWN and recipe.lists is None and not recipe.unit_free:
        return 404
    return recipe.ok


def test_every_route_has_a_recipe_and_an_action_or_is_public(world: World) -> None:
    routes = {(m, p): a for m, p, a in route_actions(world.client.app)}  # type: ignore[arg-type]
    assert set(routes) == set(RECIPES), "routes without a recipe here, or recipes of no route"
    assert {k for k, a in routes.items() if a is None} == PUBLIC
    assert set(POLICY) == set(Action)


def test_every_route_answers_every_role_and_unit_as_the_policy_says(world: World) -> None:
    """GIVEN accounts of every role in one unit and real records in it and in another unit
    WHEN each route is asked by each role (and nobody) about each unit's records
    THEN each answer is the policy's: 401/login, 403, the 404 of an absent record, or the
    route's success; listings show another unit's record only to roles not unit-scoped."""
    wrong: list[str] = []
    cases = 0
    for method, path, action in route_actions(world.client.app):  # type: ignore[arg-type]
        recipe = RECIPES[(method, path)]
        for role in (*ROLES, ANONYMOUS):
            for unit in (OWN, OTHER):
                reply = world.send(method, path, role, unit)
                cases += 1
                api = path.startswith("/api/")
                want = expected(action, recipe, role, unit, api, method == "GET")
                problem = _check(reply, want, api, method == "GET" and role == ANONYMOUS)
                if not problem and recipe.lists and want == recipe.ok and action is not None:
                    problem = _listing(reply, recipe, action, role, unit, world)
                if problem:
                    wrong.append(f"{role:9} {unit} {method} {path}: {problem}")
    assert not wrong, f"{len(wrong)} of {cases} answers differ from the policy:\n" + "\n".join(
        wrong
    )
    assert cases == len(RECIPES) * (len(ROLES) + 1) * 2
    print(f"route x role x unit cases checked: {cases}")


def _check(reply: Response, want: int, api: bool, to_login: bool) -> str | None:
    if reply.status_code != want:
        return f"{reply.status_code} instead of {want}: {reply.text[:200]}"
    codes = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}
    if api and want in codes and reply.json()["error"]["code"] != codes[want]:
        return f"error code {reply.json()['error']['code']} instead of {codes[want]}"
    if want == 303 and to_login and not reply.headers["location"].startswith("/?next="):
        return f"sent to {reply.headers['location']}, not to the login page"
    return None


def _listing(
    reply: Response, recipe: Recipe, action: Action, role: str, unit: str, world: World
) -> str | None:
    assert recipe.lists is not None
    code = recipe.lists(world.records[unit])
    shown = code in reply.text
    should = unit == OWN or not POLICY[action].scoped(ROLES[role][0])
    if shown != should:
        return f"{code} of {unit} {'shown' if shown else 'missing'}"
    return None
