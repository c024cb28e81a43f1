"""Digitizing many files at once: documents and their pages spread over the cores."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from config.catalogue import Catalogue
from config.errors import SohoaError
from config.text import clean_filename
from digitize.ocr import OcrEngine
from digitize.options import DigitizeOptions
from digitize.parallel import ordered_map
from digitize.pipeline import digitize_file
from digitize.result import DigitizedDocument

log = logging.getLogger(__name__)

Outcome = DigitizedDocument | SohoaError | Exception
"""A digitized document, or why this one file could not be (the batch goes on)."""


def iter_batch(
    sources: Sequence[Path],
    outs: Sequence[Path],
    options: DigitizeOptions,
    *,
    catalogue: Catalogue,
    engine: OcrEngine | None = None,
) -> Iterator[Outcome]:
    """Digitize each source into its out path, yielding outcomes in input order as they come.

    Threads suffice: Tesseract runs in its own process and OpenCV releases the GIL. One pool
    reads pages; another runs up to `jobs` files at once, so a single 100-page document and a
    stack of one-page scans both keep every core busy.
    """
    jobs = max(1, options.jobs)
    if jobs == 1:
        for source, out in zip(sources, outs, strict=True):
            yield _one(source, out, options=options, catalogue=catalogue, engine=engine, pool=None)
        return
    with (
        ThreadPoolExecutor(jobs, thread_name_prefix="page") as pages,
        ThreadPoolExecutor(jobs, thread_name_prefix="file") as files,
    ):
        work = zip(sources, outs, strict=True)
        yield from ordered_map(
            files,
            lambda item: _one(
                *item, options=options, catalogue=catalogue, engine=engine, pool=pages
            ),
            work,
            window=jobs,
        )


def digitize_batch(
    sources: Sequence[Path],
    out_dir: Path,
    options: DigitizeOptions,
    *,
    catalogue: Catalogue,
    engine: OcrEngine | None = None,
) -> list[Outcome]:
    """Every source digitized into out_dir as <stem>.pdf (inputs' names kept unique)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outs = output_paths(sources, out_dir)
    return list(iter_batch(sources, outs, options, catalogue=catalogue, engine=engine))


def output_paths(sources: Sequence[Path], out_dir: Path) -> list[Path]:
    """<stem>.pdf in out_dir for each source, never one of the inputs, never twice."""
    taken = {p.resolve() for p in sources if p.exists()}
    outs = []
    for source in sources:
        stem = clean_filename(source.stem) if source.stem else "document"
        candidate, n = out_dir / f"{stem}.pdf", 2
        while candidate.resolve() in taken:
            candidate, n = out_dir / f"{stem}-{n}.pdf", n + 1
        taken.add(candidate.resolve())
        outs.append(candidate)
    return outs


def _one(
    source: Path,
    out: Path,
    *,
    options: DigitizeOptions,
    catalogue: Catalogue,
    engine: OcrEngine | None,
    pool: ThreadPoolExecutor | None,
) -> Outcome:
    try:
        return digitize_file(source, out, options, catalogue=catalogue, engine=engine, pool=pool)
    except SohoaError as e:
        return e
    except Exception as e:  # one file's bug must not stop the batch; logged in full
        log.exception("internal error on %s", source)
        return e
