"""The archivist's work from the web and the command line: search and its index, the
retention lists and disposal, fixity alerts (each list a page at a time for the web,
api.paging), and access copies (as a bag, or one zip file for the web), each access logged
with who and why."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Collection, Iterable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from api.paging import Page, after_row, cut
from config import defaults
from config.retention import get_retention_policy
from config.settings import Settings
from storage.archive.access import AccessCopy, archived_among, export_access_copy, log_access
from storage.archive.fixity import acknowledge_alerts, open_alerts
from storage.archive.layout import ArchiveRoots
from storage.archive.nightly import retention_lists as stored_retention_lists
from storage.archive.records import reindex_records
from storage.archive.retention import Disposal, dispose_record, due_for_transfer, past_retention
from storage.blobs import blob_store
from storage.db import open_database
from storage.search.engine import SearchFilters, SearchHit, search
from storage.search.index import reindex_all


def log_record_access(
    settings: Settings, codes: Iterable[str], *, by: str, how: str, **detail: Any
) -> list[str]:
    """Log the access of every archived record among these dossiers (one record.accessed
    event each: who, how, what was asked); a read of anything else writes nothing."""
    codes = list(codes)
    with open_database(settings).session(readonly=True) as session:
        if not archived_among(session, codes):
            return []
    with open_database(settings).session() as session:
        return log_access(session, codes, by=by, how=how, detail=detail)


def logged_search(
    settings: Settings,
    q: str,
    filters: SearchFilters,
    limit: int,
    *,
    by: str,
    live_units: Collection[str] | None = None,
) -> list[SearchHit]:
    """Ranked hits, diacritics ignored both ways, snippets with <mark>ed matches. Hits of
    archived records are accesses of them: each such record gets its event (by whom, the
    query and filters), as a record's text and metadata are in its hit. Documents not
    archived yet are found only in `live_units` (None: every unit, for the operator)."""
    hits, _more = _search_logged(settings, q, filters, limit, 0, by=by, live_units=live_units)
    return hits


def _search_logged(
    settings: Settings,
    q: str,
    filters: SearchFilters,
    limit: int,
    offset: int,
    *,
    by: str,
    live_units: Collection[str] | None,
) -> tuple[list[SearchHit], bool]:
    """At most `limit` hits after the first `offset`, each archived one logged, and whether
    more follow (one hit more is read to know, neither shown nor logged)."""
    with open_database(settings).session(readonly=True) as session:
        found = search(session, q, filters, limit=limit + 1, offset=offset, live_units=live_units)
    hits = found[:limit]
    asked = {k: str(v) for k, v in asdict(filters).items() if v}
    log_record_access(
        settings, (h.dossier_code for h in hits), by=by, how="search", query=q, filters=asked
    )
    return hits, len(found) > limit


def run_search(
    settings: Settings,
    q: str,
    filters: SearchFilters,
    *,
    cursor: int | None = None,
    limit: int = defaults.SEARCH_LIMIT,
    by: str,
    live_units: Collection[str] | None,
) -> Page[dict[str, Any]]:
    """`logged_search` for the web, a page of at most 100 hits as JSON-ready dicts; ranked
    hits have no stable place, so the cursor counts the hits shown before (an offset). The
    caller says which units' live documents the asker may see."""
    offset = cursor or 0
    hits, more = _search_logged(
        settings, q, filters, min(limit, 100), offset, by=by, live_units=live_units
    )
    return Page([h.to_dict() for h in hits], offset + len(hits) if more else None)


def due_for_archive(
    settings: Settings, *, cursor: int | None = None, limit: int = defaults.LIST_PAGE_SIZE
) -> Page[dict[str, Any]]:
    """A page of the dossiers due for the archive within the notice period (or overdue),
    soonest first, after the dossier `cursor`."""
    today = datetime.now(settings.zone).date()
    with open_database(settings).session(readonly=True) as session:
        due = due_for_transfer(
            session, get_retention_policy(), today, defaults.RETENTION_NOTICE_DAYS, settings.zone
        )
    shown, next_cursor = cut(after_row(due, cursor, _row_id), limit, _row_id)
    return Page(shown, next_cursor)


def expired_records(
    settings: Settings, *, cursor: int | None = None, limit: int = defaults.LIST_PAGE_SIZE
) -> Page[dict[str, Any]]:
    """A page of the archived records past their retention period, longest overdue first,
    after the package `cursor`."""
    today = datetime.now(settings.zone).date()
    with open_database(settings).session(readonly=True) as session:
        found = past_retention(session, today, after=cursor, limit=limit + 1)
    shown, next_cursor = cut(found, limit, _row_id)
    return Page(shown, next_cursor)


def alerts(
    settings: Settings, *, cursor: int | None = None, limit: int = defaults.LIST_PAGE_SIZE
) -> Page[dict[str, Any]]:
    """A page of the open fixity alerts, newest first, after the alert `cursor`."""
    with open_database(settings).session(readonly=True) as session:
        found = open_alerts(session, limit + 1, before=cursor)
    shown, next_cursor = cut(found, limit, _row_id)
    return Page(shown, next_cursor)


def _row_id(row: dict[str, Any]) -> int:
    return int(row["id"])


def retention_lists(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Records due for the archive within the notice period (or overdue), and records past
    their retention period, whole (storage.archive.nightly; `sohoa retention`)."""
    today = datetime.now(settings.zone).date()
    return stored_retention_lists(
        open_database(settings), get_retention_policy(), today, settings.zone
    )


def acknowledge(settings: Settings, ids: list[int], *, by: str, note: str | None) -> int:
    """Close alerts an archivist looked into; how many were open."""
    with open_database(settings).session() as session:
        return acknowledge_alerts(session, ids, by=by, note=note)


def access_copy(
    settings: Settings,
    code: str,
    out: Path,
    *,
    by: str,
    reason: str,
    combined: bool = False,
    version: int | None = None,
) -> AccessCopy:
    """A record's access copy written as a BagIt bag at `out` (storage.archive.access), the
    access logged on the record (who, when, why) before anything is written."""
    with open_database(settings).session() as session:
        return export_access_copy(
            session, ArchiveRoots.from_settings(settings), code, out,
            by=by, reason=reason, combined=combined, version=version,
        )  # fmt: skip


def rebuild_search_index(settings: Settings) -> int:
    """The search index rebuilt from the documents and the archived records; how many."""
    with open_database(settings).session() as session:
        return reindex_all(session) + reindex_records(session)


def access_copy_zip(settings: Settings, code: str, *, by: str, reason: str) -> Path:
    """A record's access copy (BagIt bag, with the whole record as one PDF) zipped into a
    file of its own under the data directory's tmp/; the caller deletes it when sent. The
    access is logged on the record (who, when, why) before anything is written."""
    work = settings.data_path / "tmp" / "access" / uuid.uuid4().hex
    work.mkdir(parents=True)
    try:
        access_copy(settings, code, work / "copy", by=by, reason=reason, combined=True)
        archive = shutil.make_archive(str(work / "access-copy"), "zip", work / "copy")
        shutil.rmtree(work / "copy")
        return Path(archive)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def dispose(
    settings: Settings, code: str, *, decision: str, decided_by: str, actor: str
) -> Disposal:
    """Destroy a record past its retention period by a recorded decision (storage.archive.
    retention: metadata, event log and a tombstone stay)."""
    with open_database(settings).session() as session:
        return dispose_record(
            session,
            ArchiveRoots.from_settings(settings),
            blob_store(settings),
            code,
            decision=decision,
            decided_by=decided_by,
            actor=actor,
            today=datetime.now(settings.zone).date(),
        )
