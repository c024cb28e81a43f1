"""What the API answers to a search: hits, best first (GET /api/search: a page of these,
the next page in the `Link` header)."""

from __future__ import annotations

from pydantic import Field

from api.http.schemas_dossiers import Answer, Number


class SearchHit(Answer):
    """A document found (storage.search.engine.SearchHit)."""

    dossier_code: str
    document_id: int
    document_type: str | None
    title: str
    score: Number
    snippet: str = Field(description="HTML-escaped text around the matches, in <mark>.")
    state: str = Field(description="digitized, archived, or disposed (a tombstone).")
    record_code: str | None
    procedure: str
    unit: str
    date: str | None
