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
from collections.abc import Sequence
from pathlib import Path

import pikepdf

from config.errors import ToolFailed, ToolMissing, ToolTimeout
from config.toolenv import tool_env

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
            "pdftotext",
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=tool_env(),  # never the signing passphrase or PINs
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


def _combined(documents: Sequence[tuple[bytes, list[int]]]) -> tuple[bytes, list[tuple[int, int]]]:
    """One PDF of the wanted pages (1-based, ascending) of every document qpdf can copy
    them from, and for each of its pages the document (index) and page it came from.

    Left out (read from their own files instead): documents with form fields (their
    widgets belong to the catalog's form, which a copy of the pages leaves behind, so
    they could read differently) and documents qpdf cannot read."""
    origin: list[tuple[int, int]] = []
    sources: list[pikepdf.Pdf] = []
    try:
        with pikepdf.new() as out:
            for index, (pdf, wanted) in enumerate(documents):
                try:
                    source = pikepdf.open(io.BytesIO(pdf))
                except pikepdf.PdfError as e:
                    log.debug("document %d: qpdf cannot read it for pdftotext: %s", index, e)
                    continue
                sources.append(source)
                if "/AcroForm" in source.Root or not wanted or wanted[-1] > len(source.pages):
                    continue
                for number in wanted:
                    out.pages.append(source.pages[number - 1])
                    origin.append((index, number))
            if not origin:
                return b"", []
            buffer = io.BytesIO()
            out.save(buffer)  # the sources stay open until their pages are written
            return buffer.getvalue(), origin
    except pikepdf.PdfError as e:
        log.debug("cannot copy pages for pdftotext: %s", e)
        return b"", []
    finally:
        for source in sources:
            source.close()


async def _one_run(pdf: bytes, first: int, last: int) -> dict[int, PageLines]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        output = await _run(Path(handle.name), first, last)
    return _pages(output.decode("utf-8", "replace"))


async def _own_runs(pdf: bytes, wanted: list[int]) -> dict[int, PageLines]:
    """Pages read from the document's own file: one run for neighbouring pages,
    concurrent runs of one page each otherwise."""
    if wanted[-1] - wanted[0] <= 1:
        return await _one_run(pdf, wanted[0], wanted[-1])
    found: dict[int, PageLines] = {}
    for lines in await asyncio.gather(*(_one_run(pdf, n, n) for n in wanted)):
        found.update(lines)
    return found


async def many_page_lines(
    documents: Sequence[tuple[bytes, Sequence[int]]],
) -> list[dict[int, PageLines]]:
    """The lines of the given pages (1-based) of each document, read by one run of
    pdftotext over a qpdf copy of just those pages: most of a run is poppler starting
    (~20 ms of CPU), copying the pages takes about a millisecond a document, and a
    batch's documents (page 1 and page 100 of each) all go through the one run."""
    wanted = [sorted(set(pages)) for _, pages in documents]
    combined, origin = _combined([(pdf, w) for (pdf, _), w in zip(documents, wanted, strict=True)])
    found: list[dict[int, PageLines]] = [{} for _ in documents]
    if origin:
        lines = await _one_run(combined, 1, len(origin))
        for number, (index, page) in enumerate(origin, start=1):
            if number in lines:
                found[index][page] = lines[number]
    copied = {index for index, _ in origin}
    for index, (pdf, _) in enumerate(documents):
        if index not in copied and wanted[index]:
            found[index] = await _own_runs(pdf, wanted[index])
    return found


async def page_lines(pdf: bytes, pages: list[int]) -> dict[int, PageLines]:
    """The lines of the given pages (1-based) of one document (see many_page_lines)."""
    return (await many_page_lines([(pdf, pages)]))[0]
