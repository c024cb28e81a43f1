"""Lists paged by cursor: a page of rows with the cursor of the next, and the links pages
and the API name the next and first pages by (the clerk's dossiers set the pattern).

A cursor is the id of the last row shown; a list sorted by something else than its ids
(accounts by unit and name, records by a deadline) finds that row's place again. Ranked
search results, which have no stable place, count the hits before instead (an offset).
A page showing several lists names each list's cursor parameter (`key`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import urlencode

from config.errors import InvalidRequest

Row = TypeVar("Row")
Found = TypeVar("Found")


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page of a list, and the cursor of the next (None: this is the last). A cursor
    is the id of the last row shown; the next page starts after that row."""

    rows: list[Row] = field(default_factory=list)
    next_cursor: int | None = None


def cut(
    found: list[Found], limit: int, cursor_of: Callable[[Found], int]
) -> tuple[list[Found], int | None]:
    """The first `limit` of `found` (read with one row more than a page) and the next
    cursor: the last kept row's, when a row was left over."""
    if len(found) > limit:
        return found[:limit], cursor_of(found[limit - 1])
    return found, None


def after_row(found: list[Found], cursor: int | None, id_of: Callable[[Found], int]) -> list[Found]:
    """The rows of a list sorted in memory that follow the row whose id is `cursor` (every
    row for None); InvalidRequest if that row has left the list (start again at the first
    page)."""
    if cursor is None:
        return found
    for n, row in enumerate(found):
        if id_of(row) == cursor:
            return found[n + 1 :]
    raise InvalidRequest(f"no row with id {cursor} in the list to page after")


def page_url(
    path: str, params: Mapping[str, str], cursor: int | None = None, key: str = "cursor"
) -> str:
    """The URL of a page of a list: its path, the list's own parameters, and the cursor."""
    given = {k: v for k, v in params.items() if v}
    if cursor is not None:
        given[key] = str(cursor)
    return f"{path}?{urlencode(given)}" if given else path


@dataclass(frozen=True)
class PageLinks:
    """A page's pager: the next page (None on the last) and the first (None on it)."""

    next_url: str | None
    first_url: str | None


def page_links(
    path: str,
    params: Mapping[str, str],
    cursor: int | None,
    next_cursor: int | None,
    key: str = "cursor",
) -> PageLinks:
    """The links a paged page shows under its list, keeping the list's own parameters."""
    return PageLinks(
        next_url=page_url(path, params, next_cursor, key) if next_cursor is not None else None,
        first_url=page_url(path, params) if cursor is not None else None,
    )


def next_link(path: str, params: Mapping[str, str], next_cursor: int | None) -> str | None:
    """An API reply's `Link` header naming its next page (rel="next"), None on the last."""
    if next_cursor is None:
        return None
    return f'<{page_url(path, params, next_cursor)}>; rel="next"'
