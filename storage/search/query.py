"""What a user types into the search box, read once and written for either engine.

    giay khai sinh          every word, anywhere (diacritics and case never matter)
    "giay khai sinh"        the words next to each other, in this order
    nguy*                   a word starting so
    -uy quyen / -"uy quyen" without that word or phrase
    036185000123            a word; 000.00.12.H42-250314-0012 or 15/QĐ-UBND, whose parts
                            are several words, is matched as a phrase

The words are folded as the index is (storage.search.index.words), so they can only be
letters and digits: nothing a user types reaches the engines' own query syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.search.index import words

_TERM = re.compile(r'(-?)"([^"]*)"(\*?)|(-?)(\S+)')


@dataclass(frozen=True)
class Clause:
    """One term of a query: a word or a phrase (several words in order)."""

    words: tuple[str, ...]
    prefix: bool = False
    """The last word may be the start of a longer one."""
    negated: bool = False


def parse_query(text: str) -> list[Clause]:
    """The clauses of a query; negations are dropped when nothing positive is asked for
    (neither engine can list "everything without X" from its index)."""
    clauses: list[Clause] = []
    for match in _TERM.finditer(text):
        if match.group(2) is not None:
            negated, raw, star = match.group(1) == "-", match.group(2), match.group(3) == "*"
        else:
            negated, raw = match.group(4) == "-", match.group(5)
            star = raw.endswith("*")
        found = tuple(words(raw))
        if found:
            clauses.append(Clause(found, prefix=star, negated=negated))
    if not any(not c.negated for c in clauses):
        return []
    return clauses


def _fts5_clause(clause: Clause) -> str:
    return f'"{" ".join(clause.words)}"' + ("*" if clause.prefix else "")


def fts5_expression(clauses: list[Clause]) -> str:
    """The query in SQLite FTS5's syntax: `"a" AND "b c"*`, then `NOT "d"` for negations."""
    expression = " AND ".join(_fts5_clause(c) for c in clauses if not c.negated)
    for clause in clauses:
        if clause.negated:
            expression = f"({expression}) NOT {_fts5_clause(clause)}"
    return expression


def _tsquery_clause(clause: Clause) -> str:
    parts = list(clause.words)
    if clause.prefix:
        parts[-1] += ":*"
    body = " <-> ".join(parts)
    body = f"({body})" if len(parts) > 1 else body
    return f"!{body}" if clause.negated else body


def tsquery_expression(clauses: list[Clause]) -> str:
    """The query in PostgreSQL's to_tsquery syntax: `a & (b <-> c:*) & !d`."""
    return " & ".join(_tsquery_clause(c) for c in clauses)
