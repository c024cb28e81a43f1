"""A unit's dossiers searched and paged: by code, applicant (with or without diacritics),
ID number, procedure, state and reception dates; newest first, a page at a time by cursor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session, selectinload

from api.paging import Page, cut
from api.worklists import dossier_row
from config import defaults
from config.errors import InvalidRequest
from config.settings import Settings
from config.text import fold
from storage.db import open_database
from storage.enums import DossierStatus
from storage.models import Dossier, SearchEntry, SearchIdNumber


@dataclass(frozen=True)
class DossierQuery:
    """What a clerk looks for among the unit's dossiers (every field optional)."""

    text: str = ""
    """A dossier code or part of one, an applicant's name (diacritics optional), or a
    12-digit ID number."""
    procedure: str = ""
    status: str = ""
    received_from: date | None = None
    received_to: date | None = None
    """Reception days, inclusive, in the office's time zone."""

    @classmethod
    def parse(
        cls, text: str, procedure: str, status: str, received_from: str, received_to: str
    ) -> DossierQuery:
        """The query from a form's or URL's strings, an empty one meaning "any";
        InvalidRequest for a state or a date that is none."""
        if status and status not in {s.value for s in DossierStatus}:
            raise InvalidRequest(f"no dossier state {status!r}")
        try:
            start = date.fromisoformat(received_from) if received_from else None
            end = date.fromisoformat(received_to) if received_to else None
        except ValueError as e:
            raise InvalidRequest(f"not a date (YYYY-MM-DD): {e}") from e
        return cls(text.strip(), procedure.strip(), status, start, end)

    def params(self) -> dict[str, str]:
        """The query as the URL parameters that ask it again (for page links)."""
        pairs = {
            "q": self.text,
            "procedure": self.procedure,
            "status": self.status,
            "received_from": self.received_from.isoformat() if self.received_from else "",
            "received_to": self.received_to.isoformat() if self.received_to else "",
        }
        return {k: v for k, v in pairs.items() if v}


def _text_filter(
    session: Session, stmt: Select[Dossier], unit_code: str | None, text: str
) -> Select[Dossier]:
    """Code contains it, or the applicant's name does, diacritics or not (folded here: the
    unit's names are read in one two-column query, a few milliseconds for years of a unit's
    dossiers), or a document's metadata does (the search index, folded), or it is the
    applicant's or a document's ID number."""
    words = text.strip()
    folded = fold(words)
    names = select(Dossier.id, Dossier.applicant_name)
    if unit_code is not None:
        names = names.where(Dossier.unit_code == unit_code)
    named = [i for i, name in session.execute(names) if folded in fold(name)]
    indexed = select(SearchEntry.dossier_id).where(SearchEntry.meta.like(f"%{folded}%"))
    matches: list[ColumnElement[bool]] = [
        Dossier.code.ilike(f"%{words}%"),
        Dossier.id.in_(named),
        Dossier.id.in_(indexed),
    ]
    if words.isdigit() and len(words) == 12:
        by_id = select(SearchEntry.dossier_id).join(SearchIdNumber)
        matches += [
            Dossier.applicant_id_number == words,
            Dossier.id.in_(by_id.where(SearchIdNumber.id_number == words)),
        ]
    return stmt.where(or_(*matches))


def _day_start(settings: Settings, day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=settings.zone)


def search_dossiers(
    settings: Settings,
    unit_code: str | None,
    query: DossierQuery,
    *,
    cursor: int | None = None,
    limit: int = defaults.LIST_PAGE_SIZE,
) -> Page[dict[str, Any]]:
    """A page of the unit's dossiers (every unit's when None) matching the query, newest
    first, after `cursor` (the previous page's next_cursor)."""
    stmt = select(Dossier).options(
        selectinload(Dossier.components), selectinload(Dossier.documents)
    )
    if unit_code is not None:
        stmt = stmt.where(Dossier.unit_code == unit_code)
    if query.procedure:
        stmt = stmt.where(Dossier.procedure_code == query.procedure)
    if query.status:
        stmt = stmt.where(Dossier.status == DossierStatus(query.status))
    if query.received_from:
        stmt = stmt.where(Dossier.received_at >= _day_start(settings, query.received_from))
    if query.received_to:
        end = _day_start(settings, query.received_to + timedelta(days=1))
        stmt = stmt.where(Dossier.received_at < end)
    if cursor is not None:
        stmt = stmt.where(Dossier.id < cursor)
    with open_database(settings).session(readonly=True) as session:
        if query.text:
            stmt = _text_filter(session, stmt, unit_code, query.text)
        found = list(session.scalars(stmt.order_by(Dossier.id.desc()).limit(limit + 1)))
        shown, next_cursor = cut(found, limit, lambda d: d.id)
        return Page([dossier_row(settings, d) for d in shown], next_cursor)
