"""Snippets of a result's own text, with the words that matched marked, diacritics intact.

The index holds folded words, so snippets are cut from the original text instead: matched
in its config.text.fold_aligned() copy (folded character for character, same length), then marked at
the same positions in the original. Both engines get the same snippets this way.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from config.text import collapse_whitespace, fold
from storage.search.query import Clause

MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"
ELLIPSIS = "…"


class _AlignedFold(dict[int, str]):
    """str.translate table doing what config.text.fold_aligned does, character by character
    (the fold's first character, or the character itself), filled as characters are met:
    a snippet then costs a dictionary lookup per character, not a Unicode normalization."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = value = (fold(char) or char)[:1]
        return value


_ALIGNED = _AlignedFold()


def aligned_fold(text: str) -> str:
    """config.text.fold_aligned(text), fast: folded, the same length, position for position."""
    return text.translate(_ALIGNED)


def _pattern(clause: Clause) -> re.Pattern[str]:
    inner = r"[\W_]+".join(re.escape(w) for w in clause.words)
    end = "" if clause.prefix else r"(?![^\W_])"
    return re.compile(r"(?<![^\W_])" + inner + end)


def match_spans(text: str, clauses: Sequence[Clause]) -> list[tuple[int, int, int]]:
    """(start, end, clause index) of every match of a positive clause in text, in order."""
    aligned = aligned_fold(text)
    spans = [
        (m.start(), m.end(), i)
        for i, clause in enumerate(clauses)
        if not clause.negated
        for m in _pattern(clause).finditer(aligned)
    ]
    return sorted(spans)


def _window(spans: list[tuple[int, int, int]], width: int) -> int:
    """Where the window of `width` characters showing the most different clauses starts."""
    best_start, best_count = spans[0][0], 0
    for start, _, _ in spans:
        count = len({i for s, _, i in spans if start <= s < start + width})
        if count > best_count:
            best_start, best_count = start, count
    return best_start


def _cut(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a cut to whole words."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def snippet(text: str, clauses: Sequence[Clause], width: int) -> str | None:
    """About `width` characters of text around its matches, HTML-escaped, each match between
    <mark> and </mark>; None if the text has no match."""
    spans = match_spans(text, clauses)
    if not spans:
        return None
    first = _window(spans, width)
    start, end = _cut(text, max(0, first - width // 4), min(len(text), first + width))
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
