"""The archivist's work from the web: search, the retention lists, fixity alerts, and access
copies handed out as one zip file, each access logged with who and why."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Collection, Iterable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from config import defaults
from config.retention import get_retention_policy
from config.settings import Settings
from storage.archive.access import archived_among, export_access_copy, log_access
from storage.archive.fixity import acknowledge_alerts, open_alerts
from storage.archive.layout import ArchiveRoots
from storage.archive.retention import due_for_transfer, past_retention
from storage.db import open_database
from storage.search.engine import SearchFilters, SearchHit, search


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
    with open_database(settings).session(readonly=True) as session:
        hits = search(session, q, filters, limit=limit, live_units=live_units)
    asked = {k: str(v) for k, v in asdict(filters).items() if v}
    log_record_access(
        settings, (h.dossier_code for h in hits), by=by, how="search", query=q, filters=asked
    )
    return hits


def run_search(
    settings: Settings,
    q: str,
    filters: SearchFilters,
    limit: int = defaults.SEARCH_LIMIT,
    *,
    by: str,
    live_units: Collection[str] | None,
) -> list[dict[str, Any]]:
    """`logged_search` for the web: at most 100 hits, as JSON-ready dicts; the caller says
    which units' live documents the asker may see."""
    hits = logged_search(settings, q, filters, min(limit, 100), by=by, live_units=live_units)
    return [h.to_dict() for h in hits]


def retention_lists(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Records due for the archive within the notice period (or overdue), and records past
    their retention period."""
    today = datetime.now(settings.zone).date()
    with open_database(settings).session(readonly=True) as session:
        due = due_for_transfer(
            session, get_retention_policy(), today, defaults.RETENTION_NOTICE_DAYS, settings.zone
        )
        expired = past_retention(session, today)
    return {"due_for_archive": due, "past_retention": expired}


def alerts(settings: Settings) -> list[dict[str, Any]]:
    """Open fixity alerts, newest first."""
    with open_database(settings).session(readonly=True) as session:
        return open_alerts(session, limit=500)


def acknowledge(settings: Settings, ids: list[int], *, by: str, note: str | None) -> int:
    """Close alerts an archivist looked into; how many were open."""
    with open_database(settings).session() as session:
        return acknowledge_alerts(session, ids, by=by, note=note)


def access_copy_zip(settings: Settings, code: str, *, by: str, reason: str) -> Path:
    """A record's access copy (BagIt bag, with the whole record as one PDF) zipped into a
    file of its own under the data directory's tmp/; the caller deletes it when sent. The
    access is logged on the record (who, when, why) before anything is written."""
    work = settings.data_path / "tmp" / "access" / uuid.uuid4().hex
    work.mkdir(parents=True)
    try:
        with open_database(settings).session() as session:
            export_access_copy(
                session,
                ArchiveRoots.from_settings(settings),
                code,
                work / "copy",
                by=by,
                reason=reason,
                combined=True,
            )
        archive = shutil.make_archive(str(work / "access-copy"), "zip", work / "copy")
        shutil.rmtree(work / "copy")
        return Path(archive)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
