"""Splitting a scanned batch into documents: where each starts, and the type its pages share.

A clerk scans a dossier's 6 to 20 pages in one go. A page starts a new document when its
numbering says so ("Trang 1/2"), when it opens like a first page (the national header
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" or a catalogue title in its first lines), or when it
is confidently of another type than the document before it. Numbering that continues
("Trang 2/2"), a page number heading a page ("2", "-3-"), a page opening on a later numbered
section ("II. Thửa đất", "III. QUÁ TRÌNH HỌC TẬP"), and blank backs of duplex scans never
start one; nor does an ID card's back after its front (its "Đặc điểm nhân dạng" title, or
no national motto on a page of the card's type), nor a certified copy's certification page
without a header after the copy. The motto is recognised with a misread letter or two
(MOTTO_LIKENESS), since on a hard scan it is what tells the next document's first page.
Measured on generated documents read through the OCR-noise model (bench.stacks, two seeds
held out): multi-page documents cut 13/57 and 19/60 before these rules, 1/57 and 0/60
after; stacks of three cut exactly right 87 % and 92 % before, 100 % after.

The run of pages decides, not each page alone: an official document
(digitize.classifier.structure) ends only where a new header starts, except a draft it
attaches (a header with a blank number or "DỰ THẢO"); a certified copy's pages are of the
copied paper's type, so no page of it starts a document by its type alone. Each document is then
classified on all its pages together, and its later pages inherit that type. A clerk who
disagrees gives the first page of each document (and types, if they wish) to
override_split.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from config.catalogue import OTHER_TYPE, Catalogue
from config.errors import InvalidRequest
from config.text import fold
from digitize.classifier.features import head_lines, title_scores
from digitize.classifier.model import TypeModel
from digitize.classifier.structure import structure_vote
from digitize.doctype import classify, classify_pages
from digitize.extraction.admin import read_header
from digitize.extraction.text import pages_of
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

_TOP_NUMBER = re.compile(r"^\s*[-–—(]?\s*(\d{1,2})\s*[-–—)]?\s*$")
"""A page number alone on a top line: "2", "-2-", "- 3 -", "(4)"."""
_DRAFT = re.compile(r"\bdu thao\b")
_LATER_SECTION = re.compile(r"^\s*(?:[il1|]{2,3}|[il1|]v|v[il1|]{0,3}|[il1|]x)\s*[.:]\s*\S")
"""A page opening on a numbered section past the first ("II. Thửa đất", "III. QUÁ TRÌNH
HỌC TẬP", OCR reading I as l or 1): a later page of a document, as a land-use certificate's
or a CV's second page."""
COPY_TYPE = "ban_sao_chung_thuc"
"""A certified copy: its pages are of the copied paper's type, so none of them starts a
document by its type alone."""
BACK_SIDES = {"cccd_mat_sau": "cccd"}
"""Types printed on the back of another's sheet: after the front they are its second page."""
_NUMBERING = re.compile(r"\b(?:trang|page|to)\s*(\d{1,2})\s*(?:/|tren|of)\s*(\d{1,2})\b")
_MOTTO = ("conghoaxahoichunghiavietnam", "doclaptudohanhphuc")
"""The national motto's two lines, folded, without spaces (OCR drops and adds them)."""
MOTTO_LIKENESS = 0.85
"""How alike (difflib ratio) a stretch of a head line must be to a motto line: on a hard
scan OCR misreads a letter or two of it ("CỘNGHÒAXÃ", "Độc lẩp - Tự đo")."""


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
    continued: bool = False
    """A page number above 1 heads the page ("2", "-3-"): a later page of a document."""
    draft: bool = False
    """An official header with a blank number or marked "DỰ THẢO": a draft attached to the
    document before it (a tờ trình submits its draft resolution), not a document of its own."""
    national: bool = False
    """The national motto heads the page."""
    official: bool = False
    """The page opens an official document (digitize.classifier.structure): its later pages
    carry no header, so only a new header ends it."""
    back_of: frozenset[str] = frozenset()
    """Types whose back side's title heads the page ("Đặc điểm nhân dạng": an ID card's)."""


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


def _top_number(lines: Sequence[str]) -> int | None:
    """The page number printed alone on one of the page's first (non-blank) lines, if any."""
    for line in lines[:HEADER_LINES]:
        match = _TOP_NUMBER.match(line)
        if match:
            return int(match.group(1))
    return None


def _motto(line: str) -> bool:
    """Whether a folded head line holds a line of the national motto, give or take a
    misread letter or two."""
    squeezed = "".join(ch for ch in line if ch.isalpha())
    for motto in _MOTTO:
        if motto in squeezed:
            return True
        matcher = difflib.SequenceMatcher(None, b=motto)  # the motto's analysis, made once
        width = len(motto)
        for start in range(max(1, len(squeezed) - width + 1)):
            matcher.set_seq1(squeezed[start : start + width])
            if matcher.quick_ratio() >= MOTTO_LIKENESS and matcher.ratio() >= MOTTO_LIKENESS:
                return True
    return False


def _facts(text: str, catalogue: Catalogue) -> _PageFacts:
    blank = sum(1 for ch in text if not ch.isspace()) < BLANK_CHARS
    head = head_lines([text])
    national = any(_motto(line) for line in head[:HEADER_LINES])
    heading = {
        t.code
        for t in catalogue.document_types
        if title_scores(head, t.titles)[1] >= TITLE_EXACTNESS
    }
    titled = bool(heading)
    backs = {BACK_SIDES[code] for code in heading if code in BACK_SIDES}
    lines = [line for line in text.splitlines() if line.strip()]
    number = _top_number(lines)
    later_section = bool(lines) and _LATER_SECTION.match(fold(lines[0]).lower()) is not None
    header = read_header(pages_of([text])[0]) if national or titled else None
    draft = (
        header is not None
        and header.symbol is not None
        and (header.blank_number or any(_DRAFT.search(line) for line in head))
    )
    official = structure_vote([text], catalogue) is not None
    continued = ((number is not None and number > 1) or later_section) and not official
    return _PageFacts(
        blank,
        page_numbering(text),
        national or titled,
        continued,
        draft,
        national,
        official,
        frozenset(backs),
    )


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
    current: tuple[str, bool],
    threshold: float,
) -> Boundary | None:
    """Whether page `index` (0-based) starts a document, and why; `current` is the type of
    the document it would continue and whether that one is an official document."""
    here = facts[index]
    if here.blank or here.continued:
        return None
    before = next((f for f in reversed(facts[:index]) if not f.blank), None)
    numbered = _numbered(here, before)
    if numbered is not None:
        return numbered if isinstance(numbered, Boundary) else None
    return _by_content(here, pages[index], current, threshold)


def _by_content(
    here: _PageFacts, page: Classification, current: tuple[str, bool], threshold: float
) -> Boundary | None:
    """Whether an unnumbered page starts a document by its header or its type."""
    kind, official = current
    if BACK_SIDES.get(page.document_type) == kind or kind in here.back_of:
        return None
    if kind in BACK_SIDES.values() and page.document_type == kind and not here.national:
        return None  # a card's back: only a front carries the national motto
    if page.document_type == COPY_TYPE and not here.opens:
        return None  # a copy's certification page ends the copy before it
    if here.opens:
        # an official document's pages quote titles ("(báo cáo);" in its list of recipients);
        # only a header with the motto starts the next one, unless it is a draft it attaches
        starts = not (official and (here.draft or not here.national))
        return Boundary.HEADER if starts else None
    sure_change = page.document_type != kind and page.source == "model"
    if official or kind == COPY_TYPE or not sure_change:
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
    current, official = pages[0].document_type, facts[0].official
    for index in range(1, len(page_texts)):
        why = _boundary(index, facts, pages, (current, official), threshold)
        if why is not None:
            starts.append((index, why))
            current, official = pages[index].document_type, facts[index].official
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
