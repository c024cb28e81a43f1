"""The real corpus's pages as sohoa reads them, read once and cached (OCR is slow).

vn-admin-real's scans take minutes of Tesseract each on a shared machine; what extraction,
classification and splitting read from them does not change while those are improved. Each
file's page texts (in reading order) and OCR words are kept in bench/results/real-pages/
(not committed) under the file's SHA-256 and READING_VERSION, so a change of the file or
of how pages are read (bump the version) reads it again.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from config.catalogue import get_catalogue
from config.text import nfc
from digitize.options import DigitizeOptions
from digitize.pipeline import digitize_file
from digitize.reading_order import WordBox, reading_order

READING_VERSION = 7
"""Bumped when sohoa's page reading changes what a cached file would hold."""
CACHE = Path(__file__).resolve().parent / "results" / "real-pages"
"""Where the read pages are kept (bench/results is not committed)."""


def corpus_dir() -> Path | None:
    """vn-admin-real beside the checkout (../shared/corpora), as SOHOA_CORPORA names it, or
    at /work/shared/corpora; None when it is not here."""
    root = Path(__file__).resolve().parent.parent
    candidates = [root.parent / "shared" / "corpora", Path("/work/shared/corpora")]
    if "SOHOA_CORPORA" in os.environ:
        candidates.insert(0, Path(os.environ["SOHOA_CORPORA"]))
    for base in candidates:
        if (base / "vn-admin-real" / "INDEX.tsv").is_file():
            return base / "vn-admin-real"
    return None


@dataclass(frozen=True)
class RealFile:
    """One file of the corpus and what INDEX.tsv says is printed on it."""

    path: Path
    kind: str
    pages: int
    doc_type: str
    number_symbol: str
    issue_date: str
    issuing_body: str


def index(corpus: Path) -> list[RealFile]:
    """The corpus's files with their reference values (INDEX.tsv, never quoted)."""
    with (corpus / "INDEX.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        RealFile(
            corpus / row["file"],
            row["kind"],
            int(row["pages"]),
            row["doc_type"],
            row["number_symbol"],
            row["issue_date"],
            row["issuing_body"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ReadPages:
    """A file's pages as the pipeline read them, and poppler's text of each (which draws
    signature widgets' appearances, as the reading being improved elsewhere will)."""

    texts: list[str]
    words: list[list[tuple[str, float]] | None]
    poppler: list[str]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def poppler_pages(path: Path) -> list[str]:
    """Each page's words as poppler draws them (signature widgets' appearances included),
    put in sohoa's reading order; [] without pdftotext."""
    if shutil.which("pdftotext") is None:
        return []
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if out.returncode != 0:
        return []
    pages = []
    for page in out.stdout.split("<page ")[1:]:
        boxes = [
            WordBox(nfc(html.unescape(m[4])), float(m[0]), float(m[1]), float(m[2]), float(m[3]))
            for m in _WORD.findall(page)
        ]
        pages.append(reading_order(boxes))
    return pages


def read_pages(path: Path, *, jobs: int = 1) -> ReadPages:
    """The file's pages from the cache, or read now (OCR) and cached."""
    key = f"{_sha256(path)}-v{READING_VERSION}.json"
    cached = CACHE / key
    if cached.is_file():
        data = json.loads(cached.read_text(encoding="utf-8"))
    else:
        with tempfile.TemporaryDirectory(prefix="sohoa-real-") as tmp:
            result = digitize_file(
                path,
                Path(tmp) / "out.pdf",
                DigitizeOptions(jobs=jobs, pdfa=False),
                catalogue=get_catalogue(),
            )
        data = {
            "file": path.name,
            "texts": result.page_texts,
            "words": result.page_words,
        }
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        partial.replace(cached)
    words = [[(w, c) for w, c in page] if page is not None else None for page in data["words"]]
    return ReadPages(data["texts"], words, poppler_pages(path))


if __name__ == "__main__":
    import sys

    corpus = corpus_dir()
    if corpus is None:
        sys.exit("vn-admin-real not found")
    for item in index(corpus):
        pages = read_pages(item.path, jobs=int(sys.argv[1]) if len(sys.argv) > 1 else 1)
        print(item.path.name, len(pages.texts), flush=True)
