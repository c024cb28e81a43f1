"""A header's handwritten number and day blanks ("Số: __/CT-UBND", "ngày __ tháng"), read
from the ink or their OCR digits checked.

A văn thư writes the number and the day in ink into blanks of the printed page. The page's
OCR (Vietnamese model) reads that ink as junk or, now and then, as confident wrong digits
(an ink 11 read as 44 at 92). Each blank is cropped from the working copy, between the box
of its label and that of what follows it, and:

- its ink is cut into digits and read by the handwriting classifier (digitize.inkdigits);
  the same ink, set on a clean line, is read by Tesseract's English model restricted to
  digits, as a line and then as one word. Only when the two agree (the same number, or
  Tesseract's digits each ranked first or second by the classifier) on a plausible value
  (a day of two digits, as Decree 30/2020 writes it) does the blank hold it, as one word at
  INK_CONFIDENCE. On vn-admin-real's 35 ink blanks this read 15 right and none wrong,
  where either reader alone is wrong on a third or more (Tesseract: an ink 574 read as 514
  at 93 and 94; an ink 1 read as 4; the classifier: 11 as 18, 660 as 550);
- where the page read the label or what follows fused with the ink ("ngày20", "{tháng"),
  or the label's box swallowed it, the blank's edges are taken from that word's characters
  read one by one (hOCR boxes), not from its box shared evenly by its characters, which cut
  a digit in two on five of those blanks. Boxes out of order are not used, and an ink
  reading shorter than the digits the page read sure in the blank is not taken (a typed
  132 cut to 1);
- otherwise digits the page read in the number blank are kept only when Tesseract's reread
  of the blank's crop (as scanned and shrunk, REREAD_SCALES) gives the same number; if not,
  they are marked unsure (confidence 0) and the number is withheld.

A header whose day reads as sure print (PRINTED_DAY_MIN_OCR_CONFIDENCE) was typed and is not
checked. Nothing here ever adds a value the two readers did not both read.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import cv2

from config import defaults
from config.errors import ToolFailed
from config.text import fold
from digitize._exec.tesseract import Glyph, Word
from digitize.extraction.blanks import DAY_FOLLOWS, DAY_LABEL, HEADER_WORDS, NUMBER_LABEL
from digitize.inkdigits import classify_digits, cut_digits, digit_choices, digits_line
from digitize.preprocess.images import Gray, as_gray

log = logging.getLogger(__name__)

Reader = Callable[[Path, int], tuple[Word, ...]]
"""Reads digits on a crop image with a page segmentation mode (7: one line, 8: one word)."""
GlyphReader = Callable[[Path], tuple[Glyph, ...]]
"""Reads a crop holding one word character by character (Vietnamese model), each
character's left and right in the crop's pixels."""

_DIGITS = re.compile(r"^[0-9]+$")
_DIGIT_RUNS = re.compile(r"[0-9]+")
_LISTED = re.compile(r"^[,;]$")
"""A label word ending in a comma: "Ngày," in a list of what a field holds."""
_SYMBOL = re.compile(r"^/\s*([0-9]{4}\s*/\s*)?[a-z]")
"""What follows a number blank: a document symbol ("/CT-UBND", "/2025/NQ-HĐND"), not the
rest of a printed reference ("Quyển số: 03/2025")."""
MAX_DAY = 31
_BORDER = (20, 20, 20, 20)
"""White margin (top, bottom, left, right) around a line handed to Tesseract."""
INK_CONFIDENCE = 75.0
"""Confidence given to a blank's value read from ink (classifier and reread agreeing):
above HANDWRITTEN_MIN_OCR_CONFIDENCE, so extraction takes it, and below
PRINTED_DAY_MIN_OCR_CONFIDENCE, so an ink day is never taken for print."""
SECOND_READER_PSMS = (7, 8)
"""Tesseract reads the cut digits as a line, then, where that disagrees with the
classifier, as one word: on vn-admin-real's ink blanks the word reading agreed right twice
where the line reading read nothing or a digit less, and never agreed wrong."""
WORD_PAD = 10
"""White kept around a word cropped for reading its characters."""
REREAD_SCALES = (1.0, 0.6)
"""The crop is read as scanned and shrunk: either reading giving the page's number confirms
it (a right one read at 39 as scanned was read at 87 shrunk)."""


@dataclass(frozen=True)
class Blank:
    """A blank found between a label and what follows it, in working-copy pixels."""

    kind: str
    """"number" or "day"."""
    first: int
    """Index of the label's word."""
    last: int
    """Index of the word holding what follows the blank ("/CT-UBND", "tháng")."""
    box: tuple[int, int, int, int]
    """left, top, right, bottom of the blank."""
    label_chars: int = 0
    """Characters of the label word that are the label ("Số:", "ngày"); the rest is ink."""
    cut: int = 0
    """Where what follows the blank starts in the word `last` ("/" or "tháng")."""


def _split_at(word: Word, text: str, at: int) -> int:
    """The x where character `at` of a word starts, its box shared evenly by its characters."""
    return word.left + word.width * at // max(1, len(text))


def _swollen(label: Word, after: Word) -> bool:
    """Whether the label's box runs on over the word after it on its line: Tesseract's box
    for "ngày" taking in the ink written after it (170 and 294 pixels wide on real scans,
    where the word alone measures about 105), the ink read as a word inside it."""
    return after.line == label.line and after.left < label.left + label.width


def _blank(words: Sequence[Word], index: int, kind: str) -> Blank | None:
    label = words[index]
    folded = fold(label.text.strip()).lower()
    label_chars = 3 if kind == "number" else 4
    start = _split_at(label, folded, label_chars) if len(folded) > label_chars else None
    left = label.left + label.width if start is None else start
    if index + 1 < len(words) and _swollen(label, words[index + 1]):
        left = words[index + 1].left
    for at in range(index, min(index + 4, len(words))):
        text = fold(words[at].text.strip()).lower()
        cut = (
            text.find("/")
            if kind == "number"
            else (m.start() if (m := DAY_FOLLOWS.search(text)) else -1)
        )
        if at == index:
            cut = cut if cut > label_chars else -1
        if cut < 0:
            continue
        right = _split_at(words[at], text, cut)
        if right - left < label.height // 2 and at != index:
            return None  # no room for ink (in one word, the characters between are ink)
        top = min(w.top for w in words[index : at + 1])
        bottom = max(w.top + w.height for w in words[index : at + 1])
        if kind == "number" and not _SYMBOL.match(text[cut:]):
            return None
        if at == index + 1 and cut == 0 and _LISTED.match(folded[label_chars:]):
            return None  # "Ngày, tháng, năm sinh": a field's title, not a blank
        return Blank(kind, index, at, (left, top, right, bottom), label_chars, cut)
    return None


def find_blanks(words: Sequence[Word]) -> list[Blank]:
    """The header's number and day blanks (the first of each), found from the word boxes."""
    found: dict[str, Blank] = {}
    for index, word in enumerate(words[:HEADER_WORDS]):
        folded = fold(word.text).lower()
        for kind, label in (("number", NUMBER_LABEL), ("day", DAY_LABEL)):
            if kind not in found and label.match(folded):
                blank = _blank(words, index, kind)
                if blank is not None:
                    found[kind] = blank
    return list(found.values())


def _word_glyphs(
    image: Gray, word: Word, read_glyphs: GlyphReader, workdir: Path
) -> tuple[Glyph, ...]:
    """The characters of one word as Tesseract reads its crop alone, in page pixels."""
    left, top = max(0, word.left - WORD_PAD), max(0, word.top - WORD_PAD)
    right, bottom = word.left + word.width + WORD_PAD, word.top + word.height + WORD_PAD
    path = workdir / "blank-word.png"
    cv2.imwrite(str(path), image[top:bottom, left:right])
    try:
        glyphs = read_glyphs(path)
    finally:
        path.unlink(missing_ok=True)
    return tuple(replace(g, left=g.left + left, right=g.right + left) for g in glyphs)


def _label_end(blank: Blank, glyphs: Sequence[Glyph]) -> int | None:
    """Where the label's last printed character ends in a word read fused with ink: its
    right edge, or one character pitch past its left where Tesseract's box for it runs on
    into the ink (a colon's box reaching over the digits after it). None unless the word's
    first characters read as the label."""
    count = blank.label_chars
    if len(glyphs) <= count or count < 2:
        return None
    folded = "".join(fold(g.text).lower() for g in glyphs[:count])
    label = NUMBER_LABEL if blank.kind == "number" else DAY_LABEL
    if len(folded) != count or not label.match(folded):
        return None
    last, before = glyphs[count - 1], glyphs[count - 2]
    if last.left <= before.left:
        return None  # boxes out of order: Tesseract's character boxes are not to be trusted
    return min(last.right, 2 * last.left - before.left)


def _follows_start(blank: Blank, glyphs: Sequence[Glyph], start: int) -> int | None:
    """Where what follows the blank ("/CT-UBND", "tháng") starts in a word read fused with
    ink: the left of its first character (the last slash that opens a symbol, for a
    number). None where the word's characters do not show it."""
    folded = [fold(g.text).lower() for g in glyphs]
    found = None
    for at in range(start, len(glyphs)):
        rest = "".join(folded[at:])
        if blank.kind == "number" and _SYMBOL.match(rest):
            found = at
        elif blank.kind == "day" and DAY_FOLLOWS.match(rest):
            found = at
            break
    if found is None or any(g.left > glyphs[found].left for g in glyphs[:found]):
        return None  # a box starting left of the ones before it: the boxes are not trusted
    return glyphs[found].left


def _refined(
    image: Gray, words: Sequence[Word], blank: Blank, read_glyphs: GlyphReader, workdir: Path
) -> Blank:
    """The blank with its edges taken from the characters of the words the page read fused
    with its ink ("ngày20", "{tháng"), read one by one: a box shared evenly by a word's
    characters puts the edge where the ink's junk characters say, cutting a digit in two
    (on vn-admin-real, five of 34 blanks). Unchanged where nothing is fused or the
    characters do not show the label and what follows."""
    label, follows = words[blank.first], words[blank.last]
    fused = len(fold(label.text.strip())) > blank.label_chars or (
        blank.last > blank.first and _swollen(label, words[blank.first + 1])
    )
    if not fused and blank.cut == 0:
        return blank
    left, top, right, bottom = blank.box
    glyphs = _word_glyphs(image, label, read_glyphs, workdir) if fused else ()
    end = _label_end(blank, glyphs)
    left = left if end is None else end
    if blank.cut > 0:
        if blank.last != blank.first:
            glyphs, start = _word_glyphs(image, follows, read_glyphs, workdir), 0
        else:
            start = blank.label_chars
        begins = _follows_start(blank, glyphs, start)
        right = right if begins is None else begins
    if right - left < label.height // 2:
        return blank
    return replace(blank, box=(left, top, right, bottom))


def _crop(image: Gray, box: tuple[int, int, int, int], scale: float) -> Gray:
    """The blank with room above (ink rises over the line), resized by `scale`, thresholded
    and given a white border."""
    left, top, right, bottom = box
    height = bottom - top
    crop = image[max(0, top - height // 2) : bottom + height // 3, max(0, left) : right]
    if scale != 1.0:
        crop = as_gray(cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    _, binary = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return as_gray(cv2.copyMakeBorder(binary, *_BORDER, cv2.BORDER_CONSTANT, value=255))


def _digit_text(words: tuple[Word, ...]) -> str | None:
    """The one word of digits a reading holds, as read; None for none or several."""
    read = [w.text.strip() for w in words if w.text.strip()]
    return read[0] if len(read) == 1 and _DIGITS.match(read[0]) else None


def _read_line(image: Gray, path: Path, read: Reader, psm: int = 7) -> str | None:
    """The digits `read` finds on `image` as one line (or, psm 8, one word; written to
    `path` for it, then removed), or None unless it reads one word of digits."""
    cv2.imwrite(str(path), image)
    try:
        return _digit_text(read(path, psm))
    finally:
        path.unlink(missing_ok=True)


def rereads(
    image: Gray, blank: Blank, read: Reader, workdir: Path, wanted: set[int] | None = None
) -> set[int]:
    """The numbers the blank's crop reads as, at each of REREAD_SCALES, confidence aside;
    once every `wanted` number is found the later scales are not read (one small Tesseract
    run saved, the answer to "are they all read?" the same)."""
    found: set[int] = set()
    for scale in REREAD_SCALES:
        if wanted and wanted <= found:
            break
        path = workdir / f"blank-{blank.kind}-{round(scale * 100)}.png"
        number = _read_line(_crop(image, blank.box, scale), path, read)
        if number is not None:
            found.add(int(number))
    return found


def _taken(word: Word) -> bool:
    """Whether extraction would take the word as a blank's digits."""
    sure = word.confidence >= defaults.HANDWRITTEN_MIN_OCR_CONFIDENCE
    return sure and _DIGITS.match(word.text.strip(".,")) is not None


def _typed(words: Sequence[Word], blanks: Sequence[Blank]) -> bool:
    """Whether the header's day blank holds digits read as print (the blanks were typed)."""
    least = defaults.PRINTED_DAY_MIN_OCR_CONFIDENCE
    return any(
        _DIGITS.match(w.text.strip(".,")) is not None and w.confidence >= least
        for b in blanks
        if b.kind == "day"
        for w in words[b.first + 1 : b.last]
    )


def _ink_crop(image: Gray, box: tuple[int, int, int, int]) -> tuple[Gray, int]:
    """The blank with a third of its height above and below and half of it past its end
    (a 5's flag or a 7's bar runs on over the box of "tháng"), for cutting its digits
    apart; and where the blank ends in it."""
    left, top, right, bottom = box
    third, reach = (bottom - top) // 3, (bottom - top) // 2
    start = max(0, left)
    crop = image[max(0, top - third) : bottom + third, start : right + reach]
    return as_gray(crop), right - start


def _plausible(blank: Blank, value: str) -> bool:
    """A day of the month written as Decree 30/2020 has it (two digits, a leading 0 below
    10), or a document number other than 0."""
    if blank.kind == "day":
        return len(value) == 2 and 1 <= int(value) <= MAX_DAY
    return int(value) > 0


def _written(words: list[Word], blank: Blank, value: str) -> list[Word] | None:
    """The words with the blank's contents replaced by one word holding `value` (the label
    and what follows kept, cut out of the words they were read in); None where a word's
    text and its folded form differ in length, so the cut cannot be placed."""
    label, follows = words[blank.first], words[blank.last]
    if any(len(fold(w.text.strip())) != len(w.text.strip()) for w in (label, follows)):
        return None
    left, top, right, bottom = blank.box
    ink = Word(value, left, top, right - left, bottom - top, INK_CONFIDENCE, label.line)
    label_text = label.text.strip()
    head = replace(label, text=label_text[: blank.label_chars], width=max(1, left - label.left))
    rest_text = follows.text.strip()[blank.cut :]
    end = follows.left + follows.width
    tail = replace(follows, text=rest_text, left=right, width=max(1, end - right))
    return [*words[: blank.first], head, ink, tail, *words[blank.last + 1 :]]


def _agreed(value: str, choices: list[frozenset[str]], second: str) -> str | None:
    """What two readers of the same ink agree on: the classifier's digits where Tesseract
    reads the same number (it drops a leading 0 now and then: "5" for an ink 05), else
    Tesseract's own digits where the classifier ranks each of them first or second (an
    ink 87 the classifier read 81 with 7 its second choice); None otherwise."""
    if int(second) == int(value):
        return value
    if len(second) == len(choices) and all(d in c for d, c in zip(second, choices, strict=True)):
        return second
    return None


def _page_digits(words: Sequence[Word], blank: Blank) -> str:
    """The digits the page's OCR read in the blank with the confidence extraction takes
    (HANDWRITTEN_MIN_OCR_CONFIDENCE): after the label in its word, in the words between,
    before what follows in its word ("Số:" "132/UBND-TP" gives 132)."""
    least = defaults.HANDWRITTEN_MIN_OCR_CONFIDENCE
    parts = []
    for at in range(blank.first, blank.last + 1):
        word = words[at]
        text = word.text.strip()
        if at == blank.first:
            text = text[blank.label_chars :]
        if at == blank.last:
            text = text[: blank.cut - (blank.label_chars if at == blank.first else 0)]
        if word.confidence >= least:
            parts.append("".join(_DIGIT_RUNS.findall(text)))
    return "".join(parts)


def _ink_value(image: Gray, blank: Blank, read: Reader, workdir: Path) -> str | None:
    """The ink digits of the blank, where the handwriting classifier and Tesseract's
    digits-only reading of the same ink (cut out, touching digits left whole, and set on a
    clean line; read as a line, then as a word) agree (_agreed) on a plausible value; None
    otherwise."""
    cut = cut_digits(*_ink_crop(image, blank.box))
    if cut is None:
        return None
    if blank.kind == "day" and len(cut.digits) != len("05"):
        return None  # no reader's agreement could make it a day: Tesseract is not run
    value, choices = classify_digits(cut.digits), digit_choices(cut.digits)
    line = as_gray(
        cv2.copyMakeBorder(digits_line(cut.runs), *_BORDER, cv2.BORDER_CONSTANT, value=255)
    )
    path = workdir / f"ink-{blank.kind}.png"
    for psm in SECOND_READER_PSMS:
        second = _read_line(line, path, read, psm)
        agreed = None if second is None else _agreed(value, choices, second)
        if agreed is not None and _plausible(blank, agreed):
            return agreed
    return None


def check_blanks(
    image: Gray,
    words: Sequence[Word],
    read: Reader,
    workdir: Path,
    what: str,
    *,
    read_glyphs: GlyphReader | None = None,
) -> list[Word] | None:
    """The page's words with its header's handwritten number and day checked (see module):
    a blank whose ink the classifier and Tesseract read alike holds that value, read at
    INK_CONFIDENCE; digits the page read in the number blank that no reread confirms are
    marked unsure (confidence 0). With `read_glyphs`, a blank whose label or what follows
    it was read fused with the ink has its edges placed from their characters. None when
    nothing changed."""
    blanks = find_blanks(words)
    if not blanks or _typed(words, blanks):
        return None
    checked = list(words)
    for found in sorted(blanks, key=lambda b: b.first, reverse=True):
        try:
            blank = (
                found
                if read_glyphs is None
                else _refined(image, words, found, read_glyphs, workdir)
            )
            value = _ink_value(image, blank, read, workdir)
            if value is not None and len(value) < len(_page_digits(words, blank)):
                value = None  # the crop lost digits the page read as sure: a cut number
            if value is not None:
                written = _written(checked, blank, value)
                if written is not None:
                    log.info("%s blank of %s: ink read as %s", blank.kind, what, value)
                    checked = written
                    continue
            if blank.kind == "number":
                checked = _number_confirmed(checked, blank, image, read, workdir, what=what)
        except ToolFailed as e:
            log.warning("rereading the %s blank of %s failed: %s", blank.kind, what, e.message)
    return None if checked == list(words) else checked


def _number_confirmed(
    words: list[Word], blank: Blank, image: Gray, read: Reader, workdir: Path, *, what: str
) -> list[Word]:
    """The words with digits the page read in the number blank marked unsure (confidence 0)
    unless a reread of the blank's crop gives the same number."""
    held = [at for at in range(blank.first + 1, blank.last) if _taken(words[at])]
    if not held:
        return words
    numbers = {int(words[at].text.strip(".,")) for at in held}
    found = rereads(image, blank, read, workdir, numbers)
    if numbers <= found:
        return words
    log.info("number blank of %s: %s not confirmed by %s", what, words[held[0]].text, found)
    return [replace(w, confidence=0.0) if at in held else w for at, w in enumerate(words)]
