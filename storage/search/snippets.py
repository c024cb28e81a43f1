"""Snippets of a result's own text, with the words that matched marked, diacritics intact.

The index holds folded words, so snippets are cut from the original text instead: matched
in its config.text.fold_aligned() copy (folded character for character, same length), then marked at
the same positions in the original. Both engines get the same snippets this way.
"""

from __future__ import annotations

import heapq
import html
import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence

from config import defaults
from config.text import collapse_whitespace, fold_aligned
from storage.search.query import Clause

MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"
ELLIPSIS = "…"


def _pattern(clause: Clause) -> re.Pattern[str]:
    inner = r"[\W_]+".join(re.escape(w) for w in clause.words)
    end = "" if clause.prefix else r"(?![^\W_])"
    return re.compile(r"(?<![^\W_])" + inner + end)


def match_spans(
    text: str, clauses: Sequence[Clause], *, limit: int = defaults.SEARCH_SNIPPET_MAX_MATCHES
) -> list[tuple[int, int, int]]:
    """(start, end, clause index) of the first `limit` matches of the positive clauses in
    text, in order. Each clause's matches come in order from its own scan, so they are
    merged, not sorted, and no scan goes past the `limit`-th match of its clause."""
    aligned = fold_aligned(text)
    scans = [
        itertools.islice(_scan(aligned, clause, i), limit)
        for i, clause in enumerate(clauses)
        if not clause.negated
    ]
    return list(itertools.islice(heapq.merge(*scans), limit))


def _scan(aligned: str, clause: Clause, index: int) -> Iterator[tuple[int, int, int]]:
    """A clause's matches in a folded text, lazily and in order."""
    for match in _pattern(clause).finditer(aligned):
        yield match.start(), match.end(), index


def _window(spans: list[tuple[int, int, int]], width: int) -> int:
    """Where the window of `width` characters showing the most different clauses starts: one
    pass with two pointers (each span enters and leaves the window once), counting the
    clauses inside as it slides."""
    best_start, best_count = spans[0][0], 0
    inside: Counter[int] = Counter()
    end = 0
    for start, _, clause in spans:
        while end < len(spans) and spans[end][0] < start + width:
            inside[spans[end][2]] += 1
            end += 1
        if len(inside) > best_count:
            best_start, best_count = start, len(inside)
        inside[clause] -= 1
        if not inside[clause]:
            del inside[clause]
    return best_start


def _cut(text: str, start: int, end: int, width: int) -> tuple[int, int]:
    """Widen a cut to whole words, by at most `width` characters each way (a text without
    spaces would otherwise be shown whole)."""
    floor, ceiling = max(0, start - width), min(len(text), end + width)
    while start > floor and not text[start - 1].isspace():
        start -= 1
    while end < ceiling and not text[end].isspace():
        end += 1
    return start, end


def snippet(text: str, clauses: Sequence[Clause], width: int) -> str | None:
    """About `width` characters of text around its matches, HTML-escaped, each match between
    <mark> and </mark>; None if the text has no match. One snippet per text, cut from its
    first SEARCH_SNIPPET_SCAN_CHARS characters and their first SEARCH_SNIPPET_MAX_MATCHES
    matches: a planted document of endless matches costs what a long ordinary one does."""
    spans = match_spans(text[: defaults.SEARCH_SNIPPET_SCAN_CHARS], clauses)
    if not spans:
        return None
    first = _window(spans, width)
    start, end = _cut(text, max(0, first - width // 4), min(len(text), first + width), width)
    pieces = [ELLIPSIS] if start > 0 else []
    at = start
    for s, e, _ in spans:
        if s < at or e > end:
            continue
        pieces += [html.escape(text[at:s]), MARK_OPEN, html.escape(text[s:e]), MARK_CLOSE]
        at = e
    pieces.append(html.escape(text[at:end]))
    if end < len(text):
        pieces.append(ELLIPSIS)
    return collapse_whitespace("".join(pieces))


def opening(text: str, width: int) -> str:
    """The start of a text, HTML-escaped, for results matched by metadata alone."""
    short = collapse_whitespace(text)
    cut = short[:width]
    if len(short) > width:
        cut = cut.rsplit(" ", 1)[0] + ELLIPSIS
    return html.escape(cut)
