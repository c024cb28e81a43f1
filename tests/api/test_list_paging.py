"""Lists that grow are paged by cursor, on pages and in the API: the leader's signing inbox,
the archivist's signed dossiers to archive, the admin's accounts. Following the next links
to the end shows every row exactly once, in the list's order, and the last page links no
further."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.accounts import Principal, issue_token
from api.http.auth import SESSION_COOKIE
from config import defaults
from config.catalogue import get_catalogue
from config.settings import Settings
from storage.accounts import add_user, list_users
from storage.db import open_database
from storage.documents import DigitizedOutcome, add_document, record_digitized
from storage.dossiers import receive_dossier
from storage.enums import DossierStatus, TokenKind, UserRole
from storage.models import Dossier
from storage.types import utcnow

Headers = Callable[[str], dict[str, str]]
PROCEDURE = "1.001193"
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


def _dossiers(settings: Settings, unit: str, count: int, *, result: bool = False,
              status: DossierStatus | None = None) -> list[str]:  # fmt: skip
    """`count` dossiers of the unit, oldest first: with a digitized result to sign, or put
    in a state, if asked."""
    spec = get_catalogue().procedure(PROCEDURE)
    codes = []
    with open_database(settings).session() as session:
        for n in range(count):
            dossier = receive_dossier(
                session, settings, procedure=spec, applicant_name=f"Công dân {n}",
                applicant_id_number=None, unit_code=unit, received_at=utcnow(), actor="test",
            )  # fmt: skip
            if result:
                _add_result(session, dossier, spec.result_type, dossier.code)
            if status is not None:
                dossier.status = status
            codes.append(dossier.code)
    return codes


def _add_result(session: Session, dossier: Dossier, result_type: str, seed: str) -> None:
    """A digitized result (its files' digests only: no list reads the files)."""
    document, _ = add_document(
        session, dossier, filename="kq.pdf", sha256=hashlib.sha256(seed.encode()).hexdigest(),
        size=1, media_type="application/pdf", actor="clerk",
    )  # fmt: skip
    outcome = DigitizedOutcome(
        pdf_sha256=hashlib.sha256(f"pdf {seed}".encode()).hexdigest(), pdf_size=1, pdfa=True,
        text="Kết quả", page_count=1, document_type=result_type, type_confidence=0.95,
        component_label=result_type,
    )  # fmt: skip
    record_digitized(session, document.id, outcome, actor="worker")


def _walk_pages(
    client: TestClient, settings: Settings, who: Principal, url: str, rows: re.Pattern[str]
) -> list[list[str]]:
    """Each page's rows (as `rows` finds them), following the next links from `url`; every
    page but the first links back to it."""
    token = issue_token(settings, who, TokenKind.SESSION).token
    client.cookies.clear()
    pages: list[list[str]] = []
    next_url: str | None = url
    while next_url is not None:
        reply = client.get(next_url, headers={"Cookie": f"{SESSION_COOKIE}={token}"})
        assert reply.status_code == 200, reply.text
        pages.append(rows.findall(reply.text))
        assert ("Trang đầu" in reply.text) == (len(pages) > 1)
        found = NEXT.search(reply.text)
        next_url = html.unescape(found.group(1)) if found else None
        assert len(pages) < 10, "the next links go round"
    return pages


def _walk_api(client: TestClient, headers: dict[str, str], url: str, key: str) -> list[list[str]]:
    """Each API page's `key` values, following the Link headers from `url`."""
    pages: list[list[str]] = []
    next_url: str | None = url
    while next_url is not None:
        reply = client.get(next_url, headers=headers)
        assert reply.status_code == 200, reply.text
        pages.append([str(row[key]) for row in reply.json()])
        link = reply.headers.get("link")
        next_url = link[1 : link.index(">")] if link else None
        assert len(pages) < 50, "the next links go round"
    return pages


def _flat(pages: list[list[str]]) -> list[str]:
    return [row for page in pages for row in page]


def test_the_leaders_inbox_pages_every_result_once_newest_first(
    app_client: TestClient, accounts: dict[str, Principal], bearer: Headers,
    api_settings: Settings,
) -> None:  # fmt: skip
    """GIVEN more results of leader_a's unit than two pages hold, dossiers without a result
    between them and results of another unit
    WHEN the leader follows the inbox's next links, and the API's
    THEN each result of the unit shows exactly once, newest first, on full pages but the
    last, which links no further; the others never show."""
    size = defaults.LIST_PAGE_SIZE
    made = _dossiers(api_settings, "xa-a", size, result=True)
    _dossiers(api_settings, "xa-a", 4)  # no result yet: passed over
    made += _dossiers(api_settings, "xa-a", size + 3, result=True)
    _dossiers(api_settings, "xa-b", 2, result=True)
    rows = re.compile(r'name="results" value="([^:"]+):')
    pages = _walk_pages(app_client, api_settings, accounts["leader_a"], "/leader", rows)
    assert [len(p) for p in pages] == [size, size, 3]
    assert _flat(pages) == list(reversed(made))
    api = _walk_api(app_client, bearer("leader_a"), "/api/signing/inbox?limit=7", "code")
    assert [len(p) for p in api] == [7] * 14 + [5]
    assert _flat(api) == list(reversed(made))


def test_the_archivists_signed_dossiers_page_every_one_once_newest_first(
    app_client: TestClient, accounts: dict[str, Principal], bearer: Headers,
    api_settings: Settings,
) -> None:  # fmt: skip
    """GIVEN more signed dossiers than two pages hold, among others not signed
    WHEN the archivist follows the archive page's next links, and the API's
    THEN each signed dossier shows exactly once, newest first, and the last page links no
    further."""
    size = defaults.LIST_PAGE_SIZE
    made = _dossiers(api_settings, "xa-a", size + 1, status=DossierStatus.SIGNED)
    _dossiers(api_settings, "xa-a", 3)
    made += _dossiers(api_settings, "xa-b", size, status=DossierStatus.SIGNED)
    rows = re.compile(r'<input type="hidden" name="code" value="([^"]+)">')
    who = accounts["archivist"]
    pages = _walk_pages(app_client, api_settings, who, "/archive?q=&unit=", rows)
    assert [len(p) for p in pages] == [size, size, 1]
    assert _flat(pages) == list(reversed(made))
    api = _walk_api(app_client, bearer("archivist"), "/api/archive/candidates?limit=40", "code")
    assert [len(p) for p in api] == [40, 40, 21]
    assert _flat(api) == list(reversed(made))


def test_the_admins_accounts_page_every_one_once_by_unit_then_name(
    app_client: TestClient, accounts: dict[str, Principal], bearer: Headers,
    api_settings: Settings, password_hash: str,
) -> None:  # fmt: skip
    """GIVEN more accounts than two pages hold, in several units, made out of order
    WHEN the admin follows the accounts page's next links, and the API's
    THEN each account shows exactly once, by unit then name, and the last page links no
    further."""
    size = defaults.LIST_PAGE_SIZE
    with open_database(api_settings).session() as session:
        for n in range(2 * size):
            add_user(
                session, username=f"user{(n * 37) % 101:03d}", full_name=f"Người dùng {n}",
                role=UserRole.CLERK, unit_code=f"xa-{'cab'[n % 3]}",
                password_hash=password_hash, signer_profile=None, actor="test",
            )  # fmt: skip
    with open_database(api_settings).session(readonly=True) as session:
        everyone = [u.username for u in list_users(session)]
    assert len(everyone) == 2 * size + len(accounts)
    rows = re.compile(r"<tr>\s*<td>([^<]+)</td>")
    pages = _walk_pages(app_client, api_settings, accounts["admin"], "/admin", rows)
    assert [len(p) for p in pages] == [size, size, len(accounts)]
    assert _flat(pages) == everyone
    api = _walk_api(app_client, bearer("admin"), "/api/users?limit=30", "username")
    assert [len(p) for p in api] == [30, 30, 30, 15]
    assert _flat(api) == everyone
