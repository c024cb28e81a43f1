"""The first and last pages of a long document read the same from a copy of just them."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pikepdf

from signing._exec.pdftotext import page_lines
from tests.signing.helpers import result_pdf


def _first_and_last_differ(directory: Path, pages: int) -> bytes:
    """`pages` pages: one result's page, then another result's (a different seed) last."""
    first = pikepdf.open(io.BytesIO(result_pdf(directory, seed=7)))
    last = pikepdf.open(io.BytesIO(result_pdf(directory, seed=8)))
    with first, last, pikepdf.new() as pdf:
        for _ in range(pages - 1):
            pdf.pages.append(first.pages[0])
        pdf.pages.append(last.pages[0])
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_far_apart_pages_read_as_when_read_one_by_one(tmp_path: Path) -> None:
    data = _first_and_last_differ(tmp_path, 30)
    together = asyncio.run(page_lines(data, [1, 30]))
    alone = {n: asyncio.run(page_lines(data, [n]))[n] for n in (1, 30)}
    assert set(together) == {1, 30}
    assert together == alone
    assert together[1][1] != together[30][1]  # the two pages do differ: none mixed up
