"""Running a search: full text ranked by the database's engine, filtered by metadata columns.

SQLite ranks with FTS5's bm25 (title, metadata and text weighted 4:2:1), PostgreSQL with
ts_rank over the generated tsvector (title A, metadata B, text D). Scores are each engine's
own, higher is better; they order one result list and mean nothing across engines.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, selectinload

from config import defaults
from config.errors import InvalidRequest
from storage.enums import IndexState
from storage.models import Document, SearchEntry, SearchIdNumber
from storage.search.index import entry_parts
from storage.search.query import Clause, fts5_expression, parse_query, tsquery_expression
from storage.search.schema import FTS_TABLE, FTS_WEIGHTS, TSV_COLUMN
from storage.search.snippets import opening, snippet


@dataclass(frozen=True)
class SearchFilters:
    """What results must be, besides matching the words (every given one must hold)."""

    procedure: str | None = None
    document_type: str | None = None
    unit: str | None = None
    date_from: date | None = None
    """The document's date (its issue date, else the day its dossier was received), inclusive."""
    date_to: date | None = None
    id_number: str | None = None
    """A personal ID number the document or its dossier's applicant carries."""
    dossier_code: str | None = None

    def given(self) -> bool:
        """Whether any filter is set."""
        return any(v is not None for v in asdict(self).values())


@dataclass(frozen=True)
class SearchHit:
    """One result, best first."""

    dossier_code: str
    document_id: int
    document_type: str | None
    title: str
    score: float
    snippet: str
    """HTML-escaped text around the matches, each between <mark> and </mark>."""
    state: str
    """digitized, archived, or disposed (a tombstone: metadata only)."""
    record_code: str | None
    procedure: str
    unit: str
    date: date | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


def _filtered(stmt: Select[*tuple[Any, ...]], filters: SearchFilters) -> Select[*tuple[Any, ...]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.procedure:
        conditions.append(SearchEntry.procedure_code == filters.procedure)
    if filters.document_type:
        conditions.append(SearchEntry.document_type == filters.document_type)
    if filters.unit:
        conditions.append(SearchEntry.unit_code == filters.unit)
    if filters.dossier_code:
        conditions.append(SearchEntry.dossier_code == filters.dossier_code.strip())
    if filters.date_from:
        conditions.append(SearchEntry.doc_date >= filters.date_from)
    if filters.date_to:
        conditions.append(SearchEntry.doc_date <= filters.date_to)
    if filters.id_number:
        conditions.append(
            exists().where(
                SearchIdNumber.entry_id == SearchEntry.id,
                SearchIdNumber.id_number == filters.id_number.strip(),
            )
        )
    return stmt.where(*conditions)


_SHOWN = (
    SearchEntry.id,
    SearchEntry.document_id,
    SearchEntry.dossier_code,
    SearchEntry.document_type,
    SearchEntry.display_title,
    SearchEntry.state,
    SearchEntry.record_code,
    SearchEntry.procedure_code,
    SearchEntry.unit_code,
    SearchEntry.doc_date,
)
"""The columns a result shows: never the folded text, which sorting would drag along."""


def _ranked_sqlite(clauses: list[Clause]) -> Select[*tuple[Any, ...]]:
    fts = table(FTS_TABLE, column("rowid"))
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    rank: ColumnElement[Any] = literal_column(f"bm25({FTS_TABLE}, {weights})")
    return (
        select(*_SHOWN, (-rank).label("score"))
        .join(fts, fts.c.rowid == SearchEntry.id)
        .where(sql_text(f"{FTS_TABLE} MATCH :match").bindparams(match=fts5_expression(clauses)))
        .order_by(rank, SearchEntry.id)
    )


def _top_sqlite(clauses: list[Clause], limit: int, offset: int) -> Select[*tuple[Any, ...]]:
    """With no filter: rank within the FTS5 table alone and join only the page of results
    (joining every match before sorting costs a third more on 100,000 documents)."""
    fts = table(FTS_TABLE, column("rowid"))
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    rank: ColumnElement[Any] = literal_column(f"bm25({FTS_TABLE}, {weights})")
    match = sql_text(f"{FTS_TABLE} MATCH :match").bindparams(match=fts5_expression(clauses))
    page = (
        select(fts.c.rowid.label("entry_id"), rank.label("rank"))
        .where(match)
        .order_by(rank, fts.c.rowid)
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    return (
        select(*_SHOWN, (-page.c.rank).label("score"))
        .join(page, page.c.entry_id == SearchEntry.id)
        .order_by(page.c.rank, SearchEntry.id)
    )


def _ranked_postgresql(clauses: list[Clause]) -> Select[*tuple[Any, ...]]:
    query = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery_expression(clauses))
    vector: ColumnElement[Any] = literal_column(f"{SearchEntry.__tablename__}.{TSV_COLUMN}")
    rank = func.ts_rank(vector, query)
    return (
        select(*_SHOWN, rank.label("score"))
        .where(vector.op("@@")(query))
        .order_by(rank.desc(), SearchEntry.id)
    )


def _statement(session: Session, clauses: list[Clause]) -> Select[*tuple[Any, ...]]:
    if not clauses:
        newest = select(*_SHOWN, literal_column("0.0").label("score"))
        return newest.order_by(SearchEntry.doc_date.desc(), SearchEntry.id.desc())
    dialect = session.get_bind().dialect.name
    return _ranked_postgresql(clauses) if dialect == "postgresql" else _ranked_sqlite(clauses)


def _snippets(
    session: Session, ids: list[int], clauses: list[Clause], width: int
) -> dict[int, str]:
    """Per document: around matches in its text, else in its metadata, else its opening."""
    documents = session.scalars(
        select(Document).where(Document.id.in_(ids)).options(selectinload(Document.dossier))
    ).all()
    found: dict[int, str] = {}
    for document in documents:
        text = document.text or ""
        cut = snippet(text, clauses, width) if clauses else None
        if cut is None and clauses:
            meta = " · ".join(entry_parts(document).meta)
            cut = snippet(meta, clauses, width)
        found[document.id] = cut if cut is not None else opening(text, width)
    return found


def search(
    session: Session,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = defaults.SEARCH_LIMIT,
    offset: int = 0,
    snippet_chars: int = defaults.SEARCH_SNIPPET_CHARS,
    live_units: Collection[str] | None = None,
) -> list[SearchHit]:
    """Documents matching every word and phrase of the query and every filter, best first.

    An empty query lists the filtered documents, newest first; a query and no filter at
    all is needed for anything to be listed (InvalidRequest otherwise). snippet_chars=0
    leaves snippets out (a caller that only wants the documents). `live_units`: the units
    whose documents not archived yet may be found (None: every unit's; archived records
    and tombstones are found whatever their unit)."""
    filters = filters or SearchFilters()
    clauses = parse_query(query)
    if not clauses and not filters.given():
        raise InvalidRequest(f"search for {query!r}: give words to look for or a filter")
    unscoped = not filters.given() and live_units is None
    if clauses and unscoped and session.get_bind().dialect.name == "sqlite":
        stmt = _top_sqlite(clauses, limit, offset)
    else:
        stmt = _filtered(_statement(session, clauses), filters)
        if live_units is not None:
            stmt = stmt.where(
                or_(
                    SearchEntry.state != IndexState.DIGITIZED,
                    SearchEntry.unit_code.in_(sorted(live_units)),
                )
            )
        stmt = stmt.limit(limit).offset(offset)
    rows = session.execute(stmt).all()
    ids = [row.document_id for row in rows]
    snippets = _snippets(session, ids, clauses, snippet_chars) if ids and snippet_chars else {}
    return [
        SearchHit(
            dossier_code=row.dossier_code,
            document_id=row.document_id,
            document_type=row.document_type,
            title=row.display_title,
            score=float(row.score),
            snippet=snippets.get(row.document_id, ""),
            state=str(row.state),
            record_code=row.record_code,
            procedure=row.procedure_code,
            unit=row.unit_code,
            date=row.doc_date,
        )
        for row in rows
    ]
