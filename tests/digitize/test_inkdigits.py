"""Ink digits cut out of a header blank and read by the handwriting classifier
(digitize.inkdigits), the blank's words rewritten around the value (digitize.handwritten),
and a symbol's misread type abbreviation put back (digitize.extraction.symbols). Digits are
drawn here with the project's italic and upright serif faces, thick as a pen leaves them."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitize._exec.tesseract import Word
from digitize.extraction.symbols import repaired_symbol
from digitize.fonts import default_family
from digitize.handwritten import INK_CONFIDENCE, _written, find_blanks
from digitize.inkdigits import classify_digits, cut_digits, read_ink_digits
from digitize.preprocess.images import Gray, as_gray

LINE = (1, 1, 1)


def _ink(text: str, *, style: str = "italic", width: int = 260, gap: int = 0) -> Gray:
    """`text` drawn in the serif face at pen size on a blank's crop; `gap` pixels between
    characters (negative: they overlap)."""
    face = default_family("serif")
    font = ImageFont.truetype(str(face.italic if style == "italic" else face.regular), 62)
    image = Image.new("L", (width, 110), 255)
    draw = ImageDraw.Draw(image)
    x = 10
    for ch in text:
        draw.text((x, 10), ch, font=font, fill=0, stroke_width=1)
        x += int(draw.textlength(ch, font=font)) + gap
    return as_gray(np.asarray(image))


def test_pen_digits_are_read() -> None:
    """GIVEN numbers and days drawn as ink in a blank WHEN read THEN most read right (the
    classifier was trained on other people's handwriting, not on these faces)."""
    samples = ["05", "12", "239", "47", "30", "71", "574", "88", "16", "69"]
    read = [read_ink_digits(_ink(s, style=st)) for st in ("italic", "regular") for s in samples]
    right = sum(r == s for r, s in zip(read, samples * 2, strict=True))
    assert right >= 14, read


def test_touching_digits_are_cut_where_they_touch() -> None:
    """GIVEN two digits written into each other, as a pen joins them WHEN cut THEN the one
    piece of ink is cut into two digits at the junction, read right, and kept whole as one
    run for the second reader."""
    joined = [("12", "regular", -4), ("04", "regular", -6), ("22", "regular", -4)]
    joined += [("71", "regular", -8), ("05", "italic", -4), ("17", "italic", -10)]
    for text, style, gap in joined:
        ink = _ink(text, style=style, gap=gap)
        cut = cut_digits(ink)
        assert cut is not None
        assert (len(cut.digits), len(cut.runs)) == (2, 1), text
        assert read_ink_digits(ink) == text


def test_a_blot_or_digits_written_over_each_other_are_refused() -> None:
    """GIVEN a blot three digits wide, or digits written over each other (their junction a
    thick stroke) WHEN read THEN no value: cutting them would be guessing."""
    blot = np.full((110, 300), 255, np.uint8)
    blot[30:80, 20:150] = 0
    assert read_ink_digits(as_gray(blot)) is None
    assert read_ink_digits(_ink("88", style="regular", gap=-8)) is None


def test_a_digit_cut_by_the_crops_edge_is_refused() -> None:
    """GIVEN a blank's crop ending inside its last digit (the ink runs into the printed word
    after the blank) WHEN read THEN no value: the number would lose its last digit."""
    whole = _ink("27", style="regular")
    assert read_ink_digits(whole[:, :70]) is None


def test_an_empty_blank_or_a_dot_reads_nothing() -> None:
    """GIVEN a blank with no ink, or only a speck WHEN read THEN no value."""
    blank = np.full((110, 200), 255, np.uint8)
    assert read_ink_digits(as_gray(blank)) is None
    blank[50:53, 50:53] = 0
    speck = read_ink_digits(as_gray(blank))
    assert speck is None or len(speck) == 1


def _header(*texts: str) -> list[Word]:
    words, x = [], 100
    for text in texts:
        width = 30 * len(text)
        words.append(Word(text, x, 100, width, 50, 90.0, LINE))
        x += width + 20
    return words


def test_the_blanks_words_are_rewritten_around_the_value() -> None:
    """GIVEN the page read ink as junk inside the label's word ("Số:⁄‡6"), inside the
    symbol's ("$?4/UBND-KTTH"), or in a word of its own ("ngày {tháng") WHEN the ink's value
    is written THEN the label and what follows keep their text and the value stands alone
    between them at INK_CONFIDENCE."""
    cases = [
        (_header("Số:⁄‡6", "/CT-UBND"), "16", ["Số:", "16", "/CT-UBND"]),
        (_header("Số:", "$?4/UBND-KTTH"), "574", ["Số:", "574", "/UBND-KTTH"]),
        (_header("ngày", "0ð", "tháng", "02"), "05", ["ngày", "05", "tháng", "02"]),
    ]
    for words, value, expected in cases:
        blank = find_blanks(words)[0]
        written = _written(words, blank, value)
        assert written is not None
        assert [w.text for w in written] == expected
        ink = written[1]
        assert ink.confidence == INK_CONFIDENCE
        assert written[0].left + written[0].width <= ink.left < written[2].left


def test_a_misread_type_abbreviation_is_put_back() -> None:
    """GIVEN symbols OCR read with one look-alike letter wrong WHEN repaired THEN the type's
    abbreviation (Decree 30/2020) comes back; an agency's initials (công văn), a right
    abbreviation and one two letters off stay as read."""
    assert repaired_symbol("TIr-UBND") == "TTr-UBND"
    assert repaired_symbol("CI-UBND") == "CT-UBND"
    for kept in ("UBND-KTTH", "QĐ-UBND", "TTr-UBND", "Tl-UBND", "IIr-UBND", "BCĐ138"):
        assert repaired_symbol(kept) == kept


def test_a_stroke_running_past_the_blanks_end_is_kept_whole() -> None:
    """GIVEN ink 15 whose 5 runs on past the blank's end, and the next printed word's first
    letter after it WHEN cut with the blank's end THEN the 5 is whole and the letter is not
    a digit: 15 is read. Cut at the blank's end the 5 is cut short and nothing is read."""
    digits = _ink("15", style="regular", width=200)
    inked = np.nonzero((digits < 128).any(axis=0))[0]
    five_ends = int(inked.max())
    letter = _ink("t", style="regular", width=60)
    ink = as_gray(np.hstack([digits[:, : five_ends + 12], letter]))
    end = five_ends - 8
    cut = cut_digits(ink, end)
    assert cut is not None and classify_digits(cut.digits) == "15"
    assert read_ink_digits(as_gray(np.ascontiguousarray(ink[:, :end]))) is None
