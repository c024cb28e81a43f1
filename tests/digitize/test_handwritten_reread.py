"""A header's handwritten number and day blanks checked (digitize.handwritten): ink the
handwriting classifier and Tesseract's digits-only reread read alike is written into the
blank; digits the page's OCR read in the number blank that no reread confirms are marked
unsure (a scribble, an empty blank, other ink). Pages are generated here: a printed header
line with ink (a slanted italic stroke) or a scribble drawn into its blanks."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from config import defaults
from digitize._exec import tesseract
from digitize._exec.tesseract import Word
from digitize.fonts import default_family
from digitize.handwritten import (
    INK_CONFIDENCE,
    Blank,
    _agreed,
    _page_digits,
    _plausible,
    _refined,
    check_blanks,
    find_blanks,
)
from digitize.inkdigits import classify_digits, cut_digits, digit_choices
from digitize.ocr import TesseractEngine
from digitize.preprocess.images import Gray, as_gray

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")

DPI = 300
NUMBER_AT = (330, 120)
DAY_AT = (1530, 120)


def _ink(draw: ImageDraw.ImageDraw, digits: str, at: tuple[int, int]) -> None:
    """Digits as a pen leaves them: an italic face, thick, a little rotated."""
    font = ImageFont.truetype(str(default_family("serif").italic), 62)
    layer = Image.new("L", (200, 110), 0)
    ImageDraw.Draw(layer).text((10, 10), digits, font=font, fill=255, stroke_width=1)
    layer = layer.rotate(6, resample=Image.Resampling.BICUBIC, expand=False)
    draw.bitmap(at, layer, fill=0)


def _scribble(draw: ImageDraw.ImageDraw, at: tuple[int, int], rng: random.Random) -> None:
    """A loop of pen strokes that is no digit (a tick, a flourish)."""
    x, y = at
    points = [(x + rng.randint(0, 110), y + rng.randint(5, 70)) for _ in range(9)]
    draw.line(points, fill=0, width=5, joint="curve")


def _header_to_day() -> tuple[Image.Image, ImageDraw.ImageDraw, ImageFont.FreeTypeFont, int]:
    """A decision's header line printed up to its day blank: "Số: ____/QĐ-UBND ... Bình
    Định, ngày"; the image, its drawing, the font and the x where "ngày" ends."""
    font = ImageFont.truetype(str(default_family("serif").regular), 50)
    image = Image.new("L", (2400, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.text((200, 140), "Số:", font=font, fill=0)
    draw.text((480, 140), "/QĐ-UBND", font=font, fill=0)
    draw.text((1150, 140), "Bình Định, ngày", font=font, fill=0)
    return image, draw, font, 1150 + int(draw.textlength("Bình Định, ngày", font=font))


def _page(number: str | None, day: str | None, *, scribble: bool = False) -> Gray:
    """A decision's header line: "Số: ____/QĐ-UBND ... Bình Định, ngày ____ tháng 02 năm
    2025", blanks left wide as printed, the ink (or a scribble) drawn into them."""
    image, draw, font, _ = _header_to_day()
    draw.text((1680, 140), "tháng 02 năm 2025", font=font, fill=0)
    rng = random.Random(7)
    for value, at in ((number, NUMBER_AT), (day, DAY_AT)):
        if value is not None:
            _ink(draw, value, at)
        elif scribble:
            _scribble(draw, (at[0], at[1] + 20), rng)
    return as_gray(np.asarray(image))


def _ocr(gray: Gray, tmp_path: Path) -> list[Word]:
    """The page's OCR words (Vietnamese model), as the worker reads them."""
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), gray)
    return list(TesseractEngine("vie", 60).recognize(path, tmp_path, dpi=DPI, what="t").words)


def _with_number(words: list[Word], number: str, confidence: float) -> list[Word]:
    """The words with the number blank holding `number`, as the page's OCR might read it."""
    blank = next(b for b in find_blanks(words) if b.kind == "number")
    left, top, right, bottom = blank.box
    line = words[blank.first].line
    held = Word(number, left, top, right - left, bottom - top, confidence, line)
    return [*words[: blank.first + 1], held, *words[blank.last :]]


def _checked(gray: Gray, words: list[Word], tmp_path: Path) -> list[Word] | None:
    def read(crop: Path, psm: int) -> tuple[Word, ...]:
        return tesseract.read_digit_line(crop, tmp_path, psm=psm, dpi=DPI, timeout=30, what="t")

    return check_blanks(gray, words, read, tmp_path, "t")


def _blank_words(words: list[Word], kind: str) -> list[tuple[str, float]]:
    blank = next(b for b in find_blanks(words) if b.kind == kind)
    return [(w.text, w.confidence) for w in words[blank.first + 1 : blank.last]]


def test_ink_the_classifier_and_the_reread_read_alike_fills_the_blanks(tmp_path: Path) -> None:
    """GIVEN a header whose number 47 and day 15 are written in a slanted pen stroke, the
    number read by the page's OCR as 47 at 60 WHEN the blanks are checked THEN each blank
    holds its ink's value at INK_CONFIDENCE (taken by extraction, never as print)."""
    page = _page("47", "15")
    checked = _checked(page, _with_number(_ocr(page, tmp_path), "47", 60.0), tmp_path)
    assert checked is not None
    assert _blank_words(checked, "number") == [("47", INK_CONFIDENCE)]
    assert _blank_words(checked, "day") == [("15", INK_CONFIDENCE)]
    assert defaults.HANDWRITTEN_MIN_OCR_CONFIDENCE <= INK_CONFIDENCE
    assert INK_CONFIDENCE < defaults.PRINTED_DAY_MIN_OCR_CONFIDENCE


def test_ink_the_reread_reads_otherwise_is_not_taken(tmp_path: Path) -> None:
    """GIVEN ink 47 the page's OCR read as 47 at 60 and a reread that reads 41 (a double
    standing in for Tesseract) WHEN checked THEN no value is written: the number's digits
    are marked unsure and the day blank keeps what the page read."""
    page = _page("47", "15")
    words = _with_number(_ocr(page, tmp_path), "47", 60.0)

    def other(crop: Path, psm: int) -> tuple[Word, ...]:
        return (Word("41", 20, 20, 60, 40, 95.0, (1, 1, 1)),)

    checked = check_blanks(page, words, other, tmp_path, "t")
    assert checked is not None
    assert _blank_words(checked, "number") == [("47", 0.0)]
    assert _blank_words(checked, "day") == _blank_words(words, "day")


def test_digits_over_a_scribble_are_marked_unsure(tmp_path: Path) -> None:
    """GIVEN the page's OCR read "44" at 92 in a number blank that holds a scribble (as an
    ink 11 was read as 44 at 92 on a real scan) WHEN the blank is checked THEN "44" stays as
    text but is marked unsure (confidence 0), so extraction does not take it."""
    page = _page(None, "15", scribble=True)
    checked = _checked(page, _with_number(_ocr(page, tmp_path), "44", 92.0), tmp_path)
    assert checked is not None
    assert _blank_words(checked, "number") == [("44", 0.0)]


def test_digits_in_an_empty_blank_are_marked_unsure(tmp_path: Path) -> None:
    """GIVEN the page's OCR read "11" at 90 in a number blank left empty WHEN checked THEN
    it is marked unsure: nothing there reads as that number."""
    page = _page(None, "15")
    checked = _checked(page, _with_number(_ocr(page, tmp_path), "11", 90.0), tmp_path)
    assert checked is not None
    assert _blank_words(checked, "number") == [("11", 0.0)]


def test_ink_misread_by_the_page_is_read_again_from_the_ink(tmp_path: Path) -> None:
    """GIVEN ink 47 the page's OCR read as 44 at 90 WHEN checked THEN the blank holds 47,
    which the classifier and the reread both read in the ink, and 44 is gone."""
    page = _page("47", "15")
    checked = _checked(page, _with_number(_ocr(page, tmp_path), "44", 90.0), tmp_path)
    assert checked is not None
    assert _blank_words(checked, "number") == [("47", INK_CONFIDENCE)]


def test_a_day_of_one_digit_or_a_zero_number_is_not_plausible() -> None:
    """GIVEN ink read as a day "5" (Decree 30/2020 writes 05), "32", or a number "0" WHEN
    judged THEN none is plausible; "05", "31" and "239" are."""
    day = Blank("day", 0, 1, (0, 0, 10, 10))
    number = Blank("number", 0, 1, (0, 0, 10, 10))
    assert not any(_plausible(day, v) for v in ("5", "32", "00"))
    assert not _plausible(number, "0")
    assert _plausible(day, "05") and _plausible(day, "31") and _plausible(number, "239")


def test_a_printed_day_or_junk_in_the_blank_is_not_checked() -> None:
    """GIVEN a header whose day reads as sure print (typed, so the number too), or whose
    number blank holds junk extraction would not take WHEN checked THEN nothing is reread."""
    line = (1, 1, 1)

    def header(number: str, day_sure: float) -> list[Word]:
        return [
            Word("Số:", 100, 100, 60, 50, 96.0, line),
            Word(number, 200, 100, 50, 50, 70.0, line),
            Word("/QĐ-UBND", 270, 100, 250, 50, 92.0, line),
            Word("ngày", 1000, 100, 110, 50, 96.0, line),
            Word("05", 1130, 100, 50, 50, day_sure, line),
            Word("tháng", 1200, 100, 130, 50, 96.0, line),
        ]

    def crashes(crop: Path, psm: int) -> tuple[Word, ...]:
        raise AssertionError("not to be read again")

    blank = np.full((300, 1500), 255, np.uint8)
    for words in (header("12", 96.0), header("6Š", 40.0)):
        assert check_blanks(blank, words, crashes, Path(), "t") is None


def test_a_printed_reference_after_so_is_no_blank() -> None:
    """GIVEN "Quyển số: 03/2025" (a register's volume, print) and "Số: ___/CT-UBND" WHEN
    blanks are looked for THEN only the one before a document symbol is one."""
    line = (1, 1, 1)
    volume = [Word("Quyển", 0, 0, 120, 50, 96.0, line), Word("số:", 130, 0, 70, 50, 96.0, line)]
    volume.append(Word("03/2025", 210, 0, 170, 50, 96.0, line))
    assert find_blanks(volume) == []
    header = [Word("Số:", 0, 0, 60, 50, 96.0, line), Word("/CT-UBND", 200, 0, 250, 50, 92.0, line)]
    assert [(b.kind, b.box) for b in find_blanks(header)] == [("number", (60, 0, 200, 50))]


def test_the_reread_stops_once_the_number_is_confirmed(tmp_path: Path) -> None:
    """GIVEN digits "12" the page read at 70 in a number blank, and a reread (a double) that
    reads 12 as scanned WHEN checked THEN it is read once, not again shrunk, and the words
    stay as read; a reread reading 13 at both scales leaves "12" marked unsure."""
    line = (1, 1, 1)
    words = [
        Word("Số:", 100, 100, 60, 50, 96.0, line),
        Word("12", 200, 100, 50, 50, 70.0, line),
        Word("/QĐ-UBND", 270, 100, 250, 50, 92.0, line),
    ]
    blank = np.full((300, 800), 255, np.uint8)
    for reads, calls, expected in (("12", 1, None), ("13", 2, [("12", 0.0)])):
        seen: list[int] = []

        def reader(
            crop: Path, psm: int, text: str = reads, log: list[int] = seen
        ) -> tuple[Word, ...]:
            log.append(psm)
            return (Word(text, 20, 20, 60, 40, 95.0, line),)

        checked = check_blanks(blank, words, reader, tmp_path, "t")
        assert len(seen) == calls
        assert (None if checked is None else _blank_words(checked, "number")) == expected


def _fused_day_page() -> Gray:
    """A header line whose ink day 20 is written tight between "ngày" and "tháng"."""
    image, draw, font, end = _header_to_day()
    _ink(draw, "20", (end - 6, 110))
    draw.text((end + 78, 140), "tháng 02 năm 2025", font=font, fill=0)
    return as_gray(np.asarray(image))


def test_ink_read_fused_with_its_label_is_cut_from_the_labels_characters(tmp_path: Path) -> None:
    """GIVEN ink 20 the page read fused with the words around it ("ngàyÊtháng", as on a real
    scan) WHEN checked with the Vietnamese model's character boxes THEN the blank holds 20:
    its edges are where "ngày" ends and "tháng" starts. Without them (the fused word's box
    shared evenly by its ten characters) the crop cuts the digits and no value is taken."""
    page = _fused_day_page()
    words = _ocr(page, tmp_path)
    first = next(i for i, w in enumerate(words) if w.text.startswith("ngày"))
    last = next(i for i, w in enumerate(words) if w.text.endswith("tháng"))
    label, follows = words[first], words[last]
    right = follows.left + follows.width
    fused = Word(
        "ngàyÊtháng", label.left, label.top, right - label.left, label.height, 40.0, label.line
    )
    words = [*words[:first], fused, *words[last + 1 :]]

    def read(crop: Path, psm: int) -> tuple[Word, ...]:
        return tesseract.read_digit_line(crop, tmp_path, psm=psm, dpi=DPI, timeout=30, what="t")

    def glyphs(crop: Path) -> tuple[tesseract.Glyph, ...]:
        return tesseract.read_glyphs(crop, tmp_path, language="vie", dpi=DPI, timeout=30, what="t")

    checked = check_blanks(page, words, read, tmp_path, "t", read_glyphs=glyphs)
    assert checked is not None
    assert _blank_words(checked, "day") == [("20", INK_CONFIDENCE)]
    evenly = check_blanks(page, words, read, tmp_path, "t")
    assert evenly is None or ("20", INK_CONFIDENCE) not in _blank_words(evenly, "day")


def test_the_cut_digits_are_read_again_as_one_word(tmp_path: Path) -> None:
    """GIVEN ink 47 whose cut digits a reader (a double) reads as nothing on one line and as
    47 as one word WHEN checked THEN the blank holds 47; a reader that reads 41 as a word
    too leaves it empty."""
    page = _page("47", "15")
    words = _ocr(page, tmp_path)
    for as_word, taken in (("47", True), ("41", False)):

        def reader(crop: Path, psm: int, word: str = as_word) -> tuple[Word, ...]:
            return (Word(word, 20, 20, 60, 40, 95.0, (1, 1, 1)),) if psm == 8 else ()

        checked = check_blanks(page, words, reader, tmp_path, "t")
        held = [] if checked is None else _blank_words(checked, "number")
        assert (("47", INK_CONFIDENCE) in held) is taken


def test_two_readers_agree_on_the_classifiers_digits_or_on_its_second_choices() -> None:
    """GIVEN the classifier's digits and its first and second choices per digit, and
    Tesseract's reading of the same ink WHEN they are compared THEN the value is the
    classifier's where Tesseract reads that number (a leading 0 dropped), Tesseract's where
    each of its digits is a choice of the classifier for that digit, and none otherwise:
    a digit the classifier ruled out, or a digit more or less."""
    choices = [frozenset("81"), frozenset("17")]
    assert _agreed("81", choices, "81") == "81"
    assert _agreed("05", [frozenset("06"), frozenset("59")], "5") == "05"
    assert _agreed("81", choices, "87") == "87"
    assert _agreed("81", choices, "84") is None
    assert _agreed("81", choices, "7") is None
    assert _agreed("81", choices, "817") is None


def test_the_classifiers_choices_hold_its_reading() -> None:
    """GIVEN pen digits WHEN classified THEN each digit's first choice is among its
    choices, with at least one more."""
    cut = cut_digits(_pen_digits("47"))
    assert cut is not None
    read = classify_digits(cut.digits)
    choices = digit_choices(cut.digits)
    assert all(d in c and len(c) >= 2 for d, c in zip(read, choices, strict=True))


def _pen_digits(text: str) -> Gray:
    """`text` as ink on a blank's crop, as _ink draws it."""
    image = Image.new("L", (260, 130), 255)
    _ink(ImageDraw.Draw(image), text, (10, 10))
    return as_gray(np.asarray(image))


def test_a_label_whose_box_swallowed_the_ink_still_has_its_blank() -> None:
    """GIVEN "ngày" read with a box running on over the ink after it ("ngày" 170 pixels
    wide, the ink "3|" read inside it, as on a real scan) WHEN blanks are looked for THEN
    the day blank starts where the ink word does, not where the swollen box ends (which
    left no room and lost the blank)."""
    line = (1, 1, 1)
    words = [
        Word("ngày", 1577, 500, 170, 60, 97.0, line),
        Word("3|", 1701, 500, 46, 60, 76.0, line),
        Word("tháng", 1766, 500, 124, 60, 96.0, line),
    ]
    assert [(b.kind, b.box[0], b.box[2]) for b in find_blanks(words)] == [("day", 1701, 1766)]


def test_a_fields_title_listing_day_month_year_is_no_blank() -> None:
    """GIVEN a form's field title "Ngày, tháng, năm sinh:" WHEN blanks are looked for THEN
    none is found (on the generated forms it sent every such page through the ink path)."""
    line = (1, 1, 1)
    words = [
        Word("Ngày,", 100, 500, 110, 50, 96.0, line),
        Word("tháng,", 225, 500, 130, 50, 96.0, line),
        Word("năm", 370, 500, 90, 50, 96.0, line),
        Word("sinh:", 470, 500, 100, 50, 96.0, line),
    ]
    assert find_blanks(words) == []


def test_character_boxes_out_of_order_leave_the_blank_as_it_was(tmp_path: Path) -> None:
    """GIVEN a typed "132/UBND-TP" whose characters Tesseract boxes out of order (the slash
    starting left of the 3 before it, as on a small generated scan) WHEN the blank is
    refined THEN its edges stay where the word's box put them: cut at the slash's box, the
    blank would hold "1", and a number would be invented."""
    line = (1, 1, 1)
    words = [
        Word("Số:", 380, 313, 40, 20, 93.0, line),
        Word("132/UBND-TP", 435, 313, 162, 20, 82.0, line),
    ]
    blank = find_blanks(words)[0]

    def boxed(crop: Path) -> tuple[tesseract.Glyph, ...]:
        spans = [("1", 25, 32), ("3", 34, 48), ("2", 47, 61), ("/", 36, 88), ("U", 77, 91)]
        return tuple(tesseract.Glyph(t, left, right) for t, left, right in spans)

    page = as_gray(np.full((400, 800), 255, np.uint8))
    assert _refined(page, words, blank, boxed, tmp_path) == blank


def test_the_digits_the_page_read_sure_in_a_blank() -> None:
    """GIVEN a number blank holding "132" inside "132/UBND-TP" read at 82, one holding
    junk "2L" read at 33, and a label read fused "Số:04" at 83 WHEN the page's sure digits
    are taken THEN they are 132, nothing and 04: an ink reading shorter than them lost a
    digit to its crop and is not taken."""
    line = (1, 1, 1)

    def digits_in(*words: Word) -> str:
        return _page_digits(words, find_blanks(words)[0])

    typed = (
        Word("Số:", 380, 0, 40, 20, 93.0, line),
        Word("132/UBND-TP", 435, 0, 162, 20, 82.0, line),
    )
    junk = (
        Word("Số:", 0, 0, 60, 50, 95.0, line),
        Word("2L", 100, 0, 70, 50, 33.0, line),
        Word("/CT-UBND", 240, 0, 250, 50, 91.0, line),
    )
    fused = (
        Word("Số:04", 0, 0, 158, 50, 83.0, line),
        Word("/CT-UBND", 190, 0, 250, 50, 92.0, line),
    )
    assert (digits_in(*typed), digits_in(*junk), digits_in(*fused)) == ("132", "", "04")
