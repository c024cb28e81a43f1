"""Poppler's pdftotext: the text lines of a few pages with their boxes, in milliseconds.

Placing a stamp needs the lines of the first and last pages; pdftotext's -tsv output (its
layout analysis: pages, lines, words with their boxes) gives them an order of magnitude
faster than a Python PDF text extractor. It runs as an asyncio subprocess, so a batch
reads the next documents' pages while it signs this one.
"""

from __future__ import annotations

import asyncio
import io
import logging
import tempfile
import unicodedata
from pathlib import Path

import pikepdf

from config.errors import ToolFailed, ToolMissing, ToolTimeout

log = logging.getLogger(__name__)

TIMEOUT = 30.0
"""Seconds pdftotext may take on a page."""

Box = tuple[float, float, float, float]
Words = tuple[tuple[str, Box], ...]
PageLines = tuple[tuple[float, float], Words, Words]
"""A page's (width, height), its text lines and its words, with boxes (PDF points, origin
bottom left), top to bottom."""


async def _run(pdf: Path, first: int, last: int) -> bytes:
    args = ["-tsv", "-f", str(first), "-l", str(last), str(pdf), "-"]
    try:
        proc = await asyncio.create_subprocess_exec(
            "pdftotext", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
    except FileNotFoundError as e:
        raise ToolMissing("pdftotext is not installed (poppler-utils; run `make setup`)") from e
    try:
        out, err = await asyncio.wait_for(proc.communicate(), TIMEOUT)
    except TimeoutError as e:
        proc.kill()
        await proc.wait()
        raise ToolTimeout(f"pdftotext took longer than {TIMEOUT:.0f} s on {pdf.name}") from e
    if err:
        log.debug("pdftotext on %s: %s", pdf.name, err.decode("utf-8", "replace").strip())
    if proc.returncode != 0:
        raise ToolFailed(f"pdftotext failed on {pdf.name} (exit status {proc.returncode})")
    return out


def _pages(tsv: str) -> dict[int, PageLines]:
    """Pages of pdftotext's TSV: level 1 rows are pages, 4 lines, 5 words (top-down y)."""
    sizes: dict[int, tuple[float, float]] = {}
    lines: dict[int, list[tuple[list[str], Box]]] = {}
    words: dict[int, list[tuple[str, Box]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12:
            continue
        level, page = cells[0], int(cells[1])
        left, top, width, height = (float(c) for c in cells[6:10])
        if level == "1":
            sizes[page] = (width, height)
        elif level == "4":
            page_height = sizes.get(page, (0.0, height))[1]
            box = (left, page_height - top - height, left + width, page_height - top)
            lines.setdefault(page, []).append(([], box))
        elif level == "5" and lines.get(page):
            lines[page][-1][0].append(cells[11])
            page_height = sizes[page][1]
            box = (left, page_height - top - height, left + width, page_height - top)
            words.setdefault(page, []).append((unicodedata.normalize("NFC", cells[11]), box))
    found: dict[int, PageLines] = {}
    for page, size in sizes.items():
        page_lines_ = [
            (unicodedata.normalize("NFC", " ".join(words)), box)
            for words, box in lines.get(page, [])
        ]
        page_lines_.sort(key=lambda item: -item[1][3])
        found[page] = (size, tuple(page_lines_), tuple(words.get(page, [])))
    return found


def _picked(pdf: bytes, wanted: list[int]) -> bytes | None:
    """A PDF of just the wanted pages (1-based, ascending), copied by qpdf in about a
    millisecond: pdftotext then runs once (most of a run is poppler starting, ~20 ms of
    CPU) however far apart the pages are. None where the copy could read differently:
    a document with form fields (their widgets belong to the catalog's form, which a
    copy of the pages leaves behind) or one qpdf cannot read."""
    try:
        with pikepdf.open(io.BytesIO(pdf)) as source, pikepdf.new() as picked:
            if "/AcroForm" in source.Root or wanted[-1] > len(source.pages):
                return None
            for number in wanted:
                picked.pages.append(source.pages[number - 1])
            out = io.BytesIO()
            picked.save(out)
            return out.getvalue()
    except pikepdf.PdfError as e:
        log.debug("cannot copy pages %s for pdftotext: %s", wanted, e)
        return None


async def page_lines(pdf: bytes, pages: list[int]) -> dict[int, PageLines]:
    """The lines of the given pages (1-based): one run of pdftotext, over the document's
    neighbouring pages or over a copy of just the pages wanted (page 1 and page 100 of a
    long result); concurrent runs of one page each where no copy is made."""
    wanted = sorted(set(pages))
    if wanted[-1] - wanted[0] >= len(wanted):
        picked = _picked(pdf, wanted)
        if picked is not None:
            copied = await page_lines(picked, list(range(1, len(wanted) + 1)))
            return {wanted[number - 1]: lines for number, lines in copied.items()}
    runs = [(wanted[0], wanted[-1])] if wanted[-1] - wanted[0] <= 1 else [(n, n) for n in wanted]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        path = Path(handle.name)
        outputs = await asyncio.gather(*(_run(path, first, last) for first, last in runs))
    found: dict[int, PageLines] = {}
    for output in outputs:
        found.update(_pages(output.decode("utf-8", "replace")))
    return found
