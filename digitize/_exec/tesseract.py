"""Tesseract: one pass per page image giving text, word boxes and a text-only PDF layer."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class TesseractOutput:
    """Everything one Tesseract run produced for a page."""

    words: tuple[Word, ...]
    text_pdf: bytes
    """A one-page PDF with only invisible text, sized like the image at its dpi."""


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
    image: Path,
    workdir: Path,
    *,
    language: str,
    dpi: int,
    timeout: float,
    what: str,
    text_layer: bool = True,
) -> TesseractOutput:
    """OCR one page image: words with boxes (tsv) and the text layer (pdf) in a single pass;
    without `text_layer` no PDF is drawn (b"": a signed input gets no layer)."""
    base = workdir / image.stem
    outputs = ["-c", "textonly_pdf=1", "pdf", "tsv"] if text_layer else ["tsv"]
    run_tool(
        ["tesseract", image, base, "-l", language, "--dpi", str(dpi), *outputs],
        timeout=timeout,
        env=ENV,
        what=what,
    )
    return TesseractOutput(
        words=parse_tsv(base.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace")),
        text_pdf=base.with_suffix(".pdf").read_bytes() if text_layer else b"",
    )
