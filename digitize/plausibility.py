"""How much a reading looks like real text: Vietnamese syllables that can exist, MRZ codes,
numbers and dates, rather than the junk a page read upside down (or a scanner's poor text
layer) is made of. Cheap: a pattern per word, no dictionary file.

Vietnamese is written one syllable per word, and its syllables follow a closed pattern: an
optional initial consonant from a short list, one to three vowels, an optional final from
another, and at most one tone mark. Junk rarely fits: consonant clusters, mixed case,
symbols inside words, two tone marks on one syllable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from config import defaults

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
"""Combining grave, acute, tilde, hook above and dot below: Vietnamese's five tones."""
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ng|nh|ch|[cmnpt])?"
)
_NUMBER = re.compile(r"\d+(?:[.,/:-]\d+)*")
_MRZ = re.compile(r"[A-Z0-9<]{5,44}")
_EDGE_PUNCTUATION = "\"'“”‘’()[]{}.,;:!?…-–—/"
PLAUSIBLE_SYMBOLS = frozenset("/-–—:;,.()\"'“”‘’%&+=*§…")
"""Tokens made only of these are punctuation, not junk (a 'Số: /UBND' keeps its slash)."""
GARBAGE = frozenset("¬¦¤¢£¥€©®°±µ¶·¸¹²³¼½¾×÷ßþðæøåÆØÅ|\\^`~_¨´ÿ¡¿¯ÐÞ")
"""Characters Vietnamese administrative text does not use but broken text layers and
upside-down OCR are full of."""


def is_syllable(word: str) -> bool:
    """Whether a word (edge punctuation aside) is a possible Vietnamese syllable in lower,
    Capitalized or UPPER case."""
    core = word.strip(_EDGE_PUNCTUATION)
    if not core or not (core.islower() or core.isupper() or core.istitle()):
        return False
    decomposed = unicodedata.normalize("NFD", core.lower())
    if sum(ch in TONE_MARKS for ch in decomposed) > 1:
        return False
    toneless = unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS)
    )
    return _SYLLABLE.fullmatch(toneless) is not None


def is_plausible(word: str) -> bool:
    """A Vietnamese syllable, a number or date, an MRZ code (with its `<` fillers) or
    punctuation on its own."""
    core = word.strip(_EDGE_PUNCTUATION)
    if not core:
        return all(ch in PLAUSIBLE_SYMBOLS for ch in word)
    if _NUMBER.fullmatch(core):
        return True
    if _MRZ.fullmatch(word) and "<" in word:
        return True
    return is_syllable(word)


def plausible_share(words: Iterable[str]) -> float:
    """Share of words that are plausible (0 when there are none)."""
    listed = [w for w in words if w]
    return sum(map(is_plausible, listed)) / len(listed) if listed else 0.0


def garbage_share(text: str) -> float:
    """Share of non-space characters that are control characters, replacement characters,
    private-use glyphs or symbols Vietnamese text does not use."""
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return 0.0
    bad = sum(
        ch in GARBAGE or ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn")
        for ch in chars
    )
    return bad / len(chars)


def reading_score(words: Iterable[tuple[str, float]]) -> float:
    """How much sound text a reading holds: the confidence (0-100) of its plausible words,
    summed. Junk read the wrong way up scores little however confident Tesseract was."""
    return sum(max(confidence, 0.0) for text, confidence in words if is_plausible(text))


@dataclass(frozen=True)
class LayerJudgement:
    """Whether a PDF page's own text layer is worth reading, and the measures behind it."""

    good: bool
    reason: str
    """What was measured, in English, for the page report."""


def _marked(word: str) -> bool:
    return any(ch in "đĐ" or unicodedata.normalize("NFD", ch) != ch for ch in word)


def judge_text_layer(text: str) -> LayerJudgement:
    """Judge a text layer by what a page of Vietnamese looks like: its words' shapes, the
    marks on them, and no junk characters. A scanner's own OCR (Kodak, HP) fails on one of
    the three; a Word export passes all three."""
    words = text.split()
    if len(words) < defaults.TEXT_LAYER_JUDGED_WORDS:
        return LayerJudgement(True, f"{len(words)} words, too few to judge")
    plausible = plausible_share(words)
    lettered = [w for w in words if sum(ch.isalpha() for ch in w) >= 2]
    marked = sum(map(_marked, lettered)) / len(lettered) if lettered else 0.0
    garbage = garbage_share(text)
    reason = (
        f"{plausible:.0%} plausible words, {marked:.0%} with Vietnamese marks, "
        f"{garbage:.1%} garbage characters"
    )
    good = (
        plausible >= defaults.TEXT_LAYER_MIN_PLAUSIBLE
        and marked >= defaults.TEXT_LAYER_MIN_DIACRITICS
        and garbage <= defaults.TEXT_LAYER_MAX_GARBAGE
    )
    return LayerJudgement(good, reason)
