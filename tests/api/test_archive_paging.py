"""The archivist's lists that grew without bound, or stopped short, paged like every other
list (api.paging): fixity alerts (once cut at 500), dossiers due for the archive, records
past retention, search hits, on the archive page and in the API; and `sohoa user list` and
`sohoa fixity alerts`.
Following the next links shows every row exactly once, in the list's order."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.accounts import Principal
from api.cli import main
from config import defaults
from config.settings import Settings
from storage.accounts import add_user, list_users
from storage.db import open_database
from storage.enums import AlertKind, ArchiveCopy, UserRole
from storage.models import ArchivePackage, Dossier, FixityAlert
from tests.api.inbox_support import session_of
from tests.api.test_list_paging import _flat, _walk_api
from tests.storage.archive_support import archive, build_dossier

Headers = Callable[[str], dict[str, str]]
LONG_AGO = datetime(2020, 1, 2, 3, 0, tzinfo=UTC)


def _archived(settings: Settings, count: int) -> list[str]:
    """`count` archived dossiers of unit xa-a; their codes."""
    db = open_database(settings)
    codes = []
    for seed in range(1, count + 1):
        built = build_dossier(db, settings, unit="xa-a", seed=seed)
        archive(db, settings, built.code)
        codes.append(built.code)
    return codes


def _alerts(settings: Settings, count: int) -> list[int]:
    """`count` open fixity alerts on the first package; their ids, newest first."""
    with open_database(settings).session() as session:
        package = session.scalars(select(ArchivePackage.id)).first()
        made = [
            FixityAlert(
                package_id=package,
                copy=ArchiveCopy.REPLICA,
                kind=AlertKind.MISSING,
                path=f"data/{n}.pdf",
                repaired=True,
            )
            for n in range(count)
        ]
        session.add_all(made)
        session.flush()
        return sorted((a.id for a in made), reverse=True)


def _expired(settings: Settings, days: list[int]) -> list[str]:
    """Packages (new versions of the first) whose retention ran out `days` ago each; the
    record codes, longest overdue first (ties in the order made)."""
    with open_database(settings).session() as session:
        first = session.scalars(select(ArchivePackage)).first()
        assert first is not None
        made = []
        for n, ago in enumerate(days):
            package = ArchivePackage(
                dossier_id=first.dossier_id, version=100 + n, record_code=f"HET-{n:02d}",
                title=first.title, path=first.path, status=first.status, retention="10",
                retain_until=date.today() - timedelta(days=ago), access_regime="open",
                start_date=first.start_date, end_date=first.end_date, document_count=1,
                page_count=1, file_count=1, total_bytes=1, files={}, record={},
                created_by="test",
            )  # fmt: skip
            session.add(package)
            made.append((-ago, n, package.record_code))
    return [code for _ago, _n, code in sorted(made)]


def test_fixity_alerts_page_on_the_archive_page_and_in_the_api(
    app_client: TestClient, accounts: dict[str, Principal], bearer: Headers,
    api_settings: Settings,
) -> None:  # fmt: skip
    """GIVEN more open fixity alerts than a page holds (the list once stopped at 500)
    WHEN the archivist follows the alerts' next link on the archive page, and the API's
    THEN each alert shows exactly once, newest first, and the last page links no further."""
    _archived(api_settings, 1)
    made = _alerts(api_settings, defaults.LIST_PAGE_SIZE + 3)
    headers, _csrf = session_of(api_settings, accounts["archivist"])
    app_client.cookies.clear()
    first = app_client.get("/archive", headers=headers).text
    rows = re.compile(r'name="ids" value="(\d+)"')
    link = re.search(r'<a href="([^"]*alerts_cursor=\d+[^"]*)" rel="next">', first)
    assert link is not None
    second = app_client.get(link.group(1).replace("&amp;", "&"), headers=headers).text
    assert rows.findall(first) + rows.findall(second) == [str(a) for a in made]
    section = second.split('id="alerts"')[1].split("</section>")[0]
    assert 'rel="next"' not in section and "Trang đầu" in section
    pages = _walk_api(app_client, bearer("archivist"), "/api/archive/alerts?limit=20", "id")
    assert [len(p) for p in pages] == [20, 20, 13]
    assert _flat(pages) == [str(a) for a in made]


def test_retention_lists_page_in_their_order(
    app_client: TestClient, bearer: Headers, api_settings: Settings
) -> None:
    """GIVEN dossiers long closed and not archived, and records past retention made out of
    order, two of them on the same day
    WHEN the archivist follows the API's next links of each list, two rows a page
    THEN the dossiers due show soonest first and the records longest overdue first (a tie
    in the order made), each exactly once."""
    codes = _archived(api_settings, 1)
    db = open_database(api_settings)
    due = [build_dossier(db, api_settings, unit="xa-a", seed=10 + n).code for n in range(3)]
    with db.session() as session:
        for n, code in enumerate(due):
            dossier = session.scalars(select(Dossier).where(Dossier.code == code)).one()
            dossier.finished_at = LONG_AGO + timedelta(days=n)
    expired = _expired(api_settings, [40, 400, 40, 7, 1000])
    who = bearer("archivist")
    pages = _walk_api(app_client, who, "/api/archive/retention/due?limit=2", "code")
    assert [len(p) for p in pages] == [2, 1] and _flat(pages) == due
    assert codes[0] not in _flat(pages)
    pages = _walk_api(app_client, who, "/api/archive/retention/expired?limit=2", "code")
    assert [len(p) for p in pages] == [2, 2, 1] and _flat(pages) == expired
    bad = app_client.get("/api/archive/retention/due?cursor=999999", headers=who)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_request"


def test_search_hits_page_past_the_first_hundred_keeping_the_query(
    app_client: TestClient, bearer: Headers, api_settings: Settings
) -> None:
    """GIVEN archived records with several documents each
    WHEN the archivist searches one hit a page and follows the Link headers
    THEN the hits are the one-page search's, each once, in its order, every next link
    keeping the query and filters."""
    _archived(api_settings, 2)
    who = bearer("archivist")
    whole = app_client.get("/api/search?q=khai+sinh&unit=xa-a&limit=100", headers=who)
    assert whole.status_code == 200 and "link" not in whole.headers
    everything = [str(h["document_id"]) for h in whole.json()]
    assert len(everything) >= 3
    pages = _walk_api(app_client, who, "/api/search?q=khai+sinh&unit=xa-a&limit=1", "document_id")
    assert _flat(pages) == everything
    link = app_client.get("/api/search?q=khai+sinh&unit=xa-a&limit=1", headers=who)
    assert "q=khai+sinh" in link.headers["link"] and "unit=xa-a" in link.headers["link"]


def test_sohoa_user_list_pages_by_unit_then_name(
    accounts: dict[str, Principal], api_settings: Settings, password_hash: str
) -> None:
    """GIVEN accounts in several units WHEN `sohoa user list --limit 3` is run again with
    each cursor it prints THEN every account shows exactly once, by unit then name, and
    the last page prints no cursor."""
    with open_database(api_settings).session() as session:
        for n in range(7):
            add_user(
                session, username=f"nv{(n * 5) % 7}", full_name=f"Nhân viên {n}",
                role=UserRole.CLERK, unit_code=f"xa-{'cab'[n % 3]}",
                password_hash=password_hash, signer_profile=None, actor="test",
            )  # fmt: skip
    with open_database(api_settings).session(readonly=True) as session:
        everyone = [u.username for u in list_users(session)]
    assert _walk_cli(["user", "list", "--json", "--limit", "3"], "username") == everyone


def test_sohoa_fixity_alerts_pages_newest_first(api_settings: Settings) -> None:
    """GIVEN more open fixity alerts than a page holds (the command once stopped at 1,000)
    WHEN `sohoa fixity alerts --limit 4` is run again with each cursor it prints
    THEN every alert shows exactly once, newest first, and the last page prints no cursor."""
    _archived(api_settings, 1)
    made = _alerts(api_settings, 10)
    assert _walk_cli(["fixity", "alerts", "--json", "--limit", "4"], "id") == made


def _walk_cli(args: list[str], key: str) -> list[object]:
    """The `key` of every row a paged command prints as JSON lines, run again with each
    cursor it prints on stderr until it prints none."""
    runner, shown, asked = CliRunner(), [], args
    for _ in range(10):
        result = runner.invoke(main, asked)
        assert result.exit_code == 0, result.output
        shown += [json.loads(line)[key] for line in result.stdout.splitlines()]
        more = re.search(r"--cursor (\d+)", result.stderr)
        if more is None:
            return shown
        asked = [*args, "--cursor", more.group(1)]
    raise AssertionError(f"{args[:2]} never printed its last page")
