"""Tesseract: one pass per page image giving its words and their boxes."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from config.errors import ToolFailed
from digitize._exec.run import run_tool

ENV = {"OMP_THREAD_LIMIT": "1"}
"""One thread per Tesseract: pages run in parallel processes instead, which is faster here."""


@dataclass(frozen=True)
class Word:
    """A recognised word with its box in image pixels and Tesseract's confidence (0-100)."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    line: tuple[int, int, int]
    """(block, paragraph, line) numbers, to rebuild lines."""


_LANGUAGES_IN = re.compile(r'languages in "([^"]+)"')


@cache
def tessdata_dir() -> Path:
    """The directory Tesseract reads its models and its text-layer font from, as it says
    itself (it follows TESSDATA_PREFIX and its build's default)."""
    proc = run_tool(["tesseract", "--list-langs"], timeout=30, env=ENV, what="--list-langs")
    said = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    found = _LANGUAGES_IN.search(said)
    if found is None:
        raise ToolFailed(f"tesseract --list-langs named no tessdata directory: {said[:200]}")
    return Path(found.group(1))


def parse_tsv(tsv: str) -> tuple[Word, ...]:
    """Words (level 5 rows) of Tesseract's TSV output."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        words.append(
            Word(
                text=row["text"],
                left=int(row["left"]),
                top=int(row["top"]),
                width=int(row["width"]),
                height=int(row["height"]),
                confidence=float(row["conf"]),
                line=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
            )
        )
    return tuple(words)


def recognize(
    image: Path, workdir: Path, *, language: str, dpi: int, timeout: float, what: str
) -> tuple[Word, ...]:
    """OCR one page image: its words with their boxes (TSV). The text layer is drawn from
    them (digitize.textlayer), not by Tesseract's PDF renderer, which cost 2 % more."""
    return _tsv_words(
        image, workdir / image.stem, ["-l", language, "--dpi", str(dpi)], timeout, what
    )


def read_digit_line(
    image: Path, workdir: Path, *, psm: int, dpi: int, timeout: float, what: str
) -> tuple[Word, ...]:
    """OCR a small crop holding one line of digits: English model (the best at digits),
    only digits allowed, page segmentation `psm` (7: one line, 8: one word)."""
    options = ["-l", "eng", "--psm", str(psm), "--dpi", str(dpi)]
    options += ["-c", "tessedit_char_whitelist=0123456789"]
    return _tsv_words(image, workdir / f"{image.stem}-psm{psm}", options, timeout, what)


@dataclass(frozen=True)
class Glyph:
    """One character Tesseract read, with its horizontal extent in image pixels."""

    text: str
    left: int
    right: int


_GLYPH = re.compile(r"x_bboxes (\d+) \d+ (\d+) \d+; x_conf [\d.]+'>([^<]+)<")


def read_glyphs(
    image: Path, workdir: Path, *, language: str, dpi: int, timeout: float, what: str
) -> tuple[Glyph, ...]:
    """OCR a small crop holding one line, character by character (hOCR's character boxes):
    where each printed letter of a word the page read fused with ink starts and ends."""
    base = workdir / f"{image.stem}-glyphs"
    options = ["-l", language, "--psm", "7", "--dpi", str(dpi), "-c", "hocr_char_boxes=1"]
    run_tool(["tesseract", image, base, *options, "hocr"], timeout=timeout, env=ENV, what=what)
    hocr = base.parent / f"{base.name}.hocr"
    try:
        text = hocr.read_text(encoding="utf-8", errors="replace")
    finally:
        hocr.unlink(missing_ok=True)
    return tuple(
        Glyph(html.unescape(t), int(left), int(right)) for left, right, t in _GLYPH.findall(text)
    )


def _tsv_words(
    image: Path, base: Path, options: list[str], timeout: float, what: str
) -> tuple[Word, ...]:
    """Run Tesseract on `image` with `options`, its TSV written to `base`.tsv, and return
    its words; the TSV is removed once read."""
    run_tool(["tesseract", image, base, *options, "tsv"], timeout=timeout, env=ENV, what=what)
    tsv = base.parent / f"{base.name}.tsv"
    try:
        return parse_tsv(tsv.read_text(encoding="utf-8", errors="replace"))
    finally:
        tsv.unlink(missing_ok=True)
