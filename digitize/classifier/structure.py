"""An official document's type from its layout: the title under the motto, the symbol's type.

Decree 30/2020 fixes how an administrative document is laid out, whoever issued it: the
type's title alone on a line under the header (QUYẾT ĐỊNH, CHỈ THỊ, TỜ TRÌNH...) and the
type's abbreviation opening the symbol ("Số: 12/QĐ-UBND"); a công văn has no title, a "V/v"
summary under its number and a symbol naming only the issuer ("Số: 574/UBND-KTTH"). Two
independent readings of the same fact rarely agree by chance, so the type they agree on is
given with high confidence; one alone with less; a disagreement below the threshold. This
needs no training and so holds on real documents the template-trained model never saw.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from config.catalogue import Catalogue
from config.text import fold
from digitize.classifier.features import title_scores
from digitize.extraction.admin import Header, read_header
from digitize.extraction.text import pages_of

CONG_VAN = "cong_van"
"""The catalogue code of a công văn (official letter), told by its layout, not a title."""
TITLE_EXACT = 0.8
"""How closely the line under the header must read as a catalogue title."""
AGREE = 0.97
"""Confidence when the title and the symbol's abbreviation name the same type."""
LETTER = 0.93
"""Confidence of a công văn: a "V/v" summary under a symbol that names no type."""
TITLE_ONLY = 0.9
"""Confidence of a title whose symbol could not be read."""
SYMBOL_ONLY = 0.8
"""Confidence of a symbol's abbreviation with no title read under the header."""
DISAGREE = 0.45
"""Confidence of the title's type when the symbol names another (below any threshold)."""


@dataclass(frozen=True)
class Vote:
    """What the structure says: a type, how sure, and why."""

    document_type: str
    confidence: float
    evidence: str
    """title+symbol, letter, title, symbol or disagree."""


def _abbreviation(symbol: str | None) -> str | None:
    """The first part of a symbol, a year of a legal document skipped: QĐ in QĐ-UBND,
    NQ in 2025/NQ-HĐND."""
    if not symbol:
        return None
    head = re.sub(r"^(?:19|20)\d\d/", "", symbol).split("-")[0]
    return fold(head).lower() or None


def _by_abbreviation(abbreviation: str | None, catalogue: Catalogue) -> str | None:
    if abbreviation is None:
        return None
    for doc_type in catalogue.document_types:
        if any(fold(a).lower() == abbreviation for a in doc_type.abbreviations):
            return doc_type.code
    return None


def _by_title(header: Header, catalogue: Catalogue) -> str | None:
    """The catalogue type whose title is the line under the header (best exactness)."""
    if header.title_line is None or header.vv:
        return None
    line = [header.lines[header.title_line]]
    best, score = None, TITLE_EXACT
    for doc_type in catalogue.document_types:
        exact = title_scores([_words(line[0])], doc_type.titles)[1] if doc_type.titles else 0.0
        if exact >= score:
            best, score = doc_type.code, exact
    return best


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(text).lower()).split())


def structure_vote(page_texts: Sequence[str], catalogue: Catalogue) -> Vote | None:
    """The type an official document's layout names, or None when its first page is not
    laid out as one (no "Số: .../SYMBOL" under an agency, no dateline)."""
    if not page_texts:
        return None
    header = read_header(pages_of([page_texts[0]])[0])
    if header is None or header.symbol is None:
        return None
    return _decide(header, catalogue)


def _decide(header: Header, catalogue: Catalogue) -> Vote | None:
    """The vote of a header's title and symbol (see the module docstring)."""
    by_symbol = _by_abbreviation(_abbreviation(header.symbol), catalogue)
    by_title = _by_title(header, catalogue)
    letter = header.vv and by_symbol is None
    if by_title and by_symbol:
        agree = by_title == by_symbol
        return Vote(by_title, AGREE if agree else DISAGREE, "title+symbol" if agree else "disagree")
    if by_title or by_symbol:
        sure = TITLE_ONLY if by_title else SYMBOL_ONLY
        return Vote(by_title or by_symbol or "", sure, "title" if by_title else "symbol")
    if letter and CONG_VAN in {t.code for t in catalogue.document_types}:
        return Vote(CONG_VAN, LETTER, "letter")
    return None
