"""Splitting a scanned batch into documents: where each starts, and the type its pages share.

A clerk scans a dossier's 6 to 20 pages in one go. A page starts a new document when its
numbering says so ("Trang 1/2"), when it opens like a first page (the national header
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" or a catalogue title in its first lines), or when it
is confidently of another type than the document before it. Numbering that continues
("Trang 2/2") and blank backs of duplex scans never start one. Each document is then
classified on all its pages together, and its later pages inherit that type. A clerk who
disagrees gives the first page of each document (and types, if they wish) to
override_split.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from config.catalogue import OTHER_TYPE, Catalogue
from config.errors import InvalidRequest
from config.text import fold
from digitize.classifier.features import head_lines, title_scores
from digitize.classifier.model import TypeModel
from digitize.classify import classify, classify_pages
from digitize.result import Classification

BLANK_CHARS = 25
"""A page with fewer non-space characters is blank (the back of a one-sided sheet)."""
TITLE_EXACTNESS = 0.8
"""How closely a head line must read as a catalogue title for the page to open a document."""
HEADER_LINES = 4
"""Lines at the top of a page where the national header marks a first page."""
KHAC_CHANGE = 0.8
"""Confidence a page needs to start a `khac` document after a typed one: higher than for a
catalogue type, since an unreadable page of a document is also read as `khac`."""

_NUMBERING = re.compile(r"\b(?:trang|page|to)\s*(\d{1,2})\s*(?:/|tren|of)\s*(\d{1,2})\b")
_NATION = "cong hoa xa hoi chu nghia viet nam"


class Boundary(StrEnum):
    """Why a document starts where it does."""

    FIRST = "first"
    """The first page of the batch."""
    NUMBERING = "numbering"
    """The page says it is page 1 of n, or the previous one was the last of its n."""
    HEADER = "header"
    """The page opens with the national header or a catalogue title."""
    TYPE_CHANGE = "type_change"
    """The page is confidently of another type than the document before it."""
    CLERK = "clerk"
    """A clerk said so."""


@dataclass(frozen=True)
class Segment:
    """One document of a batch: its pages (1-based, inclusive) and the type they share."""

    first: int
    last: int
    classification: Classification
    boundary: Boundary

    @property
    def pages(self) -> range:
        """The 1-based page numbers of the document."""
        return range(self.first, self.last + 1)

    @property
    def doc_type(self) -> str:
        """The document's type code."""
        return self.classification.document_type


@dataclass(frozen=True)
class _PageFacts:
    blank: bool
    numbering: tuple[int, int] | None
    opens: bool


def page_numbering(text: str) -> tuple[int, int] | None:
    """(k, n) when a page says it is page k of n ("Trang 2/3", "Page 1 of 2")."""
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines[:3] + lines[-3:]:
        match = _NUMBERING.search(fold(line))
        if match:
            k, n = int(match.group(1)), int(match.group(2))
            if 1 <= k <= n:
                return k, n
    return None


def _facts(text: str, catalogue: Catalogue) -> _PageFacts:
    blank = sum(1 for ch in text if not ch.isspace()) < BLANK_CHARS
    head = head_lines([text])
    national = any(_NATION in line for line in head[:HEADER_LINES])
    titled = any(
        title_scores(head, t.titles)[1] >= TITLE_EXACTNESS for t in catalogue.document_types
    )
    return _PageFacts(blank, page_numbering(text), national or titled)


def _numbered(here: _PageFacts, before: _PageFacts | None) -> Boundary | bool | None:
    """What page numbering says: a boundary, False for "continues", None for nothing."""
    if here.numbering is not None:
        return Boundary.NUMBERING if here.numbering[0] == 1 else False
    if before is not None and before.numbering is not None:
        k, n = before.numbering
        return Boundary.NUMBERING if k == n else False
    return None


def _boundary(
    index: int,
    facts: Sequence[_PageFacts],
    pages: Sequence[Classification],
    current: str,
    threshold: float,
) -> Boundary | None:
    """Whether page `index` (0-based) starts a document, and why."""
    here = facts[index]
    if here.blank:
        return None
    before = next((f for f in reversed(facts[:index]) if not f.blank), None)
    numbered = _numbered(here, before)
    if numbered is not None:
        return numbered if isinstance(numbered, Boundary) else None
    if here.opens:
        return Boundary.HEADER
    page = pages[index]
    if page.document_type == current or page.source != "model":
        return None
    needed = max(threshold, KHAC_CHANGE) if page.document_type == OTHER_TYPE else threshold
    return Boundary.TYPE_CHANGE if page.confidence >= needed else None


def _segments(
    page_texts: Sequence[str],
    starts: Sequence[tuple[int, Boundary]],
    catalogue: Catalogue,
    threshold: float,
    model: TypeModel | None,
) -> list[Segment]:
    out = []
    bounds = [*(s for s, _ in starts), len(page_texts)]
    for (start, why), end in zip(starts, bounds[1:], strict=True):
        texts = page_texts[start:end]
        kind = classify(texts, catalogue, threshold=threshold, model=model)
        out.append(Segment(start + 1, end, kind, why))
    return out


def split_batch(
    page_texts: Sequence[str],
    catalogue: Catalogue,
    *,
    threshold: float,
    page_classifications: Sequence[Classification] | None = None,
    model: TypeModel | None = None,
) -> list[Segment]:
    """The documents of a scanned batch, in order; every page belongs to exactly one."""
    if not page_texts:
        return []
    pages = list(
        page_classifications
        or classify_pages(page_texts, catalogue, threshold=threshold, model=model)
    )
    facts = [_facts(text, catalogue) for text in page_texts]
    starts: list[tuple[int, Boundary]] = [(0, Boundary.FIRST)]
    current = pages[0].document_type
    for index in range(1, len(page_texts)):
        why = _boundary(index, facts, pages, current, threshold)
        if why is not None:
            starts.append((index, why))
            current = pages[index].document_type
        elif pages[index].confidence >= threshold and current == OTHER_TYPE:
            current = pages[index].document_type
    return _segments(page_texts, starts, catalogue, threshold, model)


def override_split(
    page_texts: Sequence[str],
    first_pages: Sequence[int],
    catalogue: Catalogue,
    *,
    threshold: float,
    types: Mapping[int, str] | None = None,
    model: TypeModel | None = None,
) -> list[Segment]:
    """The batch split where a clerk said: `first_pages` are the 1-based first pages of the
    documents; `types` maps some of them to the type the clerk chose (confidence 1), the
    others are classified. InvalidRequest names what is wrong with the clerk's input."""
    count = len(page_texts)
    starts = sorted(set(first_pages))
    if not starts or starts[0] != 1 or starts[-1] > count:
        raise InvalidRequest(
            f"document starts {list(first_pages)} must begin at page 1 and end by page {count}"
        )
    known = {t.code for t in catalogue.document_types}
    for page, doc_type in (types or {}).items():
        if page not in starts:
            raise InvalidRequest(f"a type is given for page {page}, which starts no document")
        if doc_type not in known:
            raise InvalidRequest(f"document type {doc_type!r} is not in the catalogue")
    segments = _segments(
        page_texts, [(s - 1, Boundary.CLERK) for s in starts], catalogue, threshold, model
    )
    chosen = types or {}
    return [
        Segment(
            s.first,
            s.last,
            Classification(chosen[s.first], 1.0, s.classification.candidates, source="clerk"),
            Boundary.CLERK,
        )
        if s.first in chosen
        else s
        for s in segments
    ]
