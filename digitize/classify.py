"""Naming a document's type from its text, by the catalogue's printed titles and keywords."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from config.catalogue import OTHER_TYPE, Catalogue, DocumentType
from config.text import fold
from digitize.result import Classification

HEAD_LINES = 30
"""Titles are looked for in the first lines of the first page, where forms print them."""

TITLE_WEIGHT = 3.0
KEYWORD_WEIGHT = 1.0
OTHER_BASELINE = 1.0
"""The score `khac` starts with: a type must show more evidence than this to be chosen."""
SHARPNESS = 2.0
"""Softmax sharpness turning scores into confidences."""

_NON_WORD = re.compile(r"[^\w]+")


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", fold(text)).strip()


def _title_score(head_lines: Sequence[str], head_text: str, doc_type: DocumentType) -> float:
    """1 and a little more for longer titles when a line starts with one; less when it only
    appears somewhere near the top."""
    best = 0.0
    for title in doc_type.titles:
        wanted = _norm(title)
        if not wanted:
            continue
        bonus = 0.02 * len(wanted)
        if any(line.startswith(wanted) for line in head_lines):
            best = max(best, 1.0 + bonus)
        elif wanted in head_text:
            best = max(best, 0.5 + bonus)
    return best


def _keyword_score(body: str, doc_type: DocumentType) -> float:
    if not doc_type.keywords:
        return 0.0
    found = sum(1 for keyword in doc_type.keywords if _norm(keyword) in body)
    return found / len(doc_type.keywords)


def classify(
    page_texts: Sequence[str], catalogue: Catalogue, *, threshold: float
) -> Classification:
    """The most likely type with a confidence; `khac` (with the candidates) below threshold."""
    first = page_texts[0] if page_texts else ""
    head_lines = [n for n in (_norm(line) for line in first.splitlines()) if n][:HEAD_LINES]
    head_text = " ".join(head_lines)
    body = _norm(" ".join(page_texts))
    scores = {OTHER_TYPE: OTHER_BASELINE}
    for doc_type in catalogue.document_types:
        if doc_type.code == OTHER_TYPE:
            continue
        scores[doc_type.code] = TITLE_WEIGHT * _title_score(
            head_lines, head_text, doc_type
        ) + KEYWORD_WEIGHT * _keyword_score(body, doc_type)
    top = max(scores.values())
    weights = {code: math.exp(SHARPNESS * (s - top)) for code, s in scores.items()}
    total = sum(weights.values())
    ranked = sorted(((c, w / total) for c, w in weights.items()), key=lambda cw: -cw[1])
    candidates = tuple((c, round(p, 4)) for c, p in ranked[:3])
    best, confidence = ranked[0]
    if best != OTHER_TYPE and confidence < threshold:
        return Classification(OTHER_TYPE, confidence, candidates)
    return Classification(best, confidence, candidates)
