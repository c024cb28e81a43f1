"""What the type model reads: OCR text folded and cleaned, and the catalogue's title/keyword rules.

Both the training corpus and a live document go through these functions, so what the
model learnt from is exactly what it is shown. Folding (config.text.fold) removes the
diacritics that OCR gets wrong most often and that users and old keyboards drop; digits
become 0 so that numbers, dates and IDs never look like evidence of a type; dotted leaders
and the junk Tesseract reads into them collapse to a space.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from config.catalogue import OTHER_TYPE, DocumentType
from config.text import fold

HEAD_LINES = 12
"""Lines at the top of the first page where a document's printed title is looked for
(after the national header and an agency's two-column header)."""

MAX_CHARS = 12_000
"""Characters of a document the model reads: the first pages carry everything that tells
a type apart, and a 500-page file must not cost more than a short one."""

RULES_PER_TYPE = 3
"""Rule features per catalogue type: title containment in a head line, how closely a head
line is the title and nothing else, and the share of the type's keywords in the text."""

_DIGITS = re.compile(r"\d+")
_LEADER_JUNK = re.compile(r"[.…·_\-:;,'\"`~^*+=<>«»|©®£€‡¬$%&#@!?()\[\]{}\\/]{3,}\S*")
_NON_WORD = re.compile(r"[^\w]+")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Folded, lower-case, digits as 0, leader junk and punctuation runs as one space."""
    folded = fold(text[:MAX_CHARS])
    folded = _LEADER_JUNK.sub(" ", folded)
    folded = _DIGITS.sub("0", folded)
    return _SPACES.sub(" ", folded).strip()


def document_text(page_texts: Sequence[str]) -> str:
    """The model's input for a document: its pages normalized, joined by spaces."""
    return normalize("\n".join(page_texts))


def _words(text: str) -> str:
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text))).strip()


@lru_cache(maxsize=16384)
def _trigrams(text: str) -> frozenset[str]:
    """Character trigrams of a folded line; cached, since each head line is scored against
    every type's titles in turn."""
    padded = f" {text} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


@lru_cache(maxsize=4096)
def _keyword(keyword: str) -> str:
    """A catalogue keyword folded to words, once (the same keywords for every document)."""
    return _words(keyword)


@lru_cache(maxsize=4096)
def _title_trigrams(title: str) -> frozenset[str]:
    """A catalogue title's trigrams, folded once: every document is scored against the
    same few hundred titles (folding and cutting them again and again, with each head
    line's trigrams, was most of the classifier's time)."""
    return _trigrams(_words(title))


@dataclass(frozen=True)
class _TitleLine:
    text: str
    grams: frozenset[str]


def head_lines(page_texts: Sequence[str]) -> list[str]:
    """The first non-empty lines of the first page, folded to words."""
    first = page_texts[0] if page_texts else ""
    lines = (_words(line) for line in first.splitlines())
    return [line for line in lines if len(line) >= 3][:HEAD_LINES]


def title_scores(head: Sequence[str], titles: Sequence[str]) -> tuple[float, float]:
    """(containment, exactness) of the best-matching head line for a type's titles, 0-1.

    Containment is the share of a title's character trigrams found in one line, so a title
    read with OCR errors ("dang ki" for "dang ky") or merged with a column beside it still
    scores high. Exactness also divides by the line's own trigrams: a head line that is the
    title and nothing else scores 1, a long line that mentions it in passing far less.
    """
    lines = [_TitleLine(line, _trigrams(line)) for line in head]
    best_contain = best_exact = 0.0
    for title in titles:
        wanted = _title_trigrams(title)
        if not wanted:
            continue
        for line in lines:
            shared = len(wanted & line.grams)
            contain = shared / len(wanted)
            exact = 2 * shared / (len(wanted) + len(line.grams))
            best_contain = max(best_contain, contain)
            best_exact = max(best_exact, exact)
    return best_contain, best_exact


def keyword_share(words_text: str, keywords: Sequence[str]) -> float:
    """Share of a type's keywords found in the text (folded, word-wise)."""
    if not keywords:
        return 0.0
    padded = f" {words_text} "
    return sum(1 for k in keywords if f" {_keyword(k)} " in padded) / len(keywords)


def rule_features(
    page_texts: Sequence[str], types: Sequence[DocumentType | None]
) -> npt.NDArray[np.float32]:
    """RULES_PER_TYPE scores per type, in the given order; a None type (one the model knows
    but the live catalogue no longer has) scores zeros."""
    head = head_lines(page_texts)
    words_text = _words("\n".join(page_texts)[:MAX_CHARS])
    out = np.zeros(RULES_PER_TYPE * len(types), dtype=np.float32)
    for index, doc_type in enumerate(types):
        if doc_type is None or doc_type.code == OTHER_TYPE:
            continue
        contain, exact = title_scores(head, doc_type.titles)
        base = RULES_PER_TYPE * index
        out[base] = contain
        out[base + 1] = exact
        out[base + 2] = keyword_share(words_text, doc_type.keywords)
    return out
