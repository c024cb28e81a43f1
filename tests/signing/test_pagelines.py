"""The first and last pages of a long document read the same from a copy of just them."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pikepdf
import pytest

from config.errors import SohoaError
from signing._exec.pdftotext import _own_runs, many_page_lines, page_lines
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
    alone = asyncio.run(_own_runs(data, [1, 30]))  # from the document's own file
    assert set(together) == {1, 30}
    assert together == alone
    assert together[1][1] != together[30][1]  # the two pages do differ: none mixed up


def test_several_documents_read_in_one_run_as_each_alone(tmp_path: Path) -> None:
    """A batch's documents through one run of pdftotext; one with form fields (read from
    its own file) and one that is no PDF (an error of its own) among them."""
    short = result_pdf(tmp_path, seed=9)
    long = _first_and_last_differ(tmp_path, 12)
    with pikepdf.open(io.BytesIO(short)) as pdf:
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array())
        out = io.BytesIO()
        pdf.save(out)
        with_form = out.getvalue()
    documents: list[tuple[bytes, list[int]]] = [(long, [1, 12]), (short, [1]), (with_form, [1])]
    together = asyncio.run(many_page_lines(documents))
    alone = [asyncio.run(_own_runs(pdf, pages)) for pdf, pages in documents]
    assert together == alone
    assert together[0][12] != together[1][1]
    with pytest.raises(SohoaError):
        asyncio.run(many_page_lines([(long, [1]), (b"%PDF-1.7 broken", [1])]))
