"""The classification benchmark's held-out set: documents the training corpus never saw, OCRed.

Held out three ways from `digitize.classifier.corpus`: another random seed, other font
families (the training corpus renders with TRAIN_FONTS only), and wording variants the
templates never produce (PARAPHRASES below, plus the old "kí" spelling). The unseen `khac`
kinds are the generator's own (water bills, school reports...), which training never uses:
its `khac` examples come from digitize.classifier.others.

Real Tesseract reads every page (`tesseract IMG - -l vie`, one thread). Pages turned 90/180/
270 degrees by the "hard" level are read twice: as scanned, and after undoing the known
quarter turn (what digitize.preprocess does), so both figures can be reported.
The OCR text is cached in bench/results/ocr-<seed>.jsonl under a key of everything that
decides the pixels, so a rerun only OCRs what changed.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import random
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

import digitize
from digitize._exec.tesseract import parse_tsv
from digitize.classifier.corpus import TRAIN_FONTS
from digitize.ocr import TesseractEngine
from digitize.options import DigitizeOptions
from digitize.pagework import PageJob, read_page
from digitize.synthetic import (
    DOCUMENT_TYPES_WITH_TEMPLATES,
    OTHER_KIND_NAMES,
    FontFamily,
    Level,
    Line,
    Style,
    SyntheticDocument,
    apply,
    available_families,
    choose_degradation,
    make_document,
    make_other_document,
    render_document,
)
from digitize.synthetic.degrade import Degradation

RESULTS = Path(__file__).resolve().parent / "results"
BENCH_SEED = 4_000_417
"""Seed of the held-out set; the training corpus is built from other seeds."""
RENDER_DPI = 300
OCR_TIMEOUT = 180
OCR_FORMAT = "txt+tsv"
"""What the cache holds per page; part of the cache key, so a change re-OCRs."""

PLAN_FULL: dict[Level, int] = {"clean": 8, "mild": 8, "hard": 10}
"""Documents per catalogue type and level in the full run."""
PLAN_QUICK: dict[Level, int] = {"clean": 2, "mild": 2, "hard": 2}
OTHER_FULL: dict[Level, int] = {"clean": 4, "mild": 4, "hard": 4}
"""Documents per unseen (khac) kind and level."""
OTHER_QUICK: dict[Level, int] = {"clean": 1, "mild": 1, "hard": 1}

PARAPHRASES: tuple[tuple[str, str], ...] = (
    ("Họ, chữ đệm, tên người yêu cầu", "Họ tên người yêu cầu"),
    ("Họ và tên người yêu cầu", "Họ tên người yêu cầu"),
    ("Họ và tên", "Họ tên"),
    ("Ngày, tháng, năm sinh", "Ngày tháng năm sinh"),
    ("Giấy tờ tùy thân", "Giấy tờ chứng minh nhân thân"),
    ("Nơi cư trú", "Chỗ ở hiện nay"),
    ("Quê quán", "Nguyên quán"),
    ("Ghi bằng chữ", "Viết bằng chữ"),
    ("Số điện thoại", "Điện thoại liên hệ"),
    ("Kính gửi", "Kính gởi"),
    ("Tôi cam đoan", "Tôi xin cam kết"),
    ("Tôi xin cam đoan", "Tôi xin cam kết"),
    ("(Ký, ghi rõ họ tên)", "(Ký và ghi rõ họ tên)"),
    ("Đề nghị cơ quan", "Kính đề nghị cơ quan"),
    ("Địa chỉ thường trú", "Địa chỉ nơi thường trú"),
)
"""Wordings the templates never use, each applied to half the documents (labels of form
fields only, never their values)."""

_KY = re.compile(r"(?<=[kK])[ýÝ]")


@dataclass(frozen=True)
class Item:
    """One held-out document: what it is, how it was printed and scanned, and its OCR."""

    index: int
    name: str
    """seed:type-or-kind:level:number, which also seeds its generation and drawing."""
    doc: SyntheticDocument
    level: Level
    family: str
    degradations: tuple[Degradation, ...]
    key: str
    """Hash of everything that decides the scanned pixels: the cache key of its OCR."""
    raw: tuple[str, ...] = ()
    """OCR of each page as scanned."""
    upright: tuple[str, ...] = ()
    """OCR of each page after undoing the known quarter turn (same as raw when none)."""
    raw_words: tuple[tuple[tuple[str, float], ...], ...] = ()
    """Tesseract's words and their confidences (0-100) on each page as scanned."""
    upright_words: tuple[tuple[tuple[str, float], ...], ...] = ()
    pipeline: tuple[str, ...] = ()
    """Text of each page as sohoa's own page reading gives it (digitize.pagework: the
    preprocessing, which turns pages upright and removes leaders, then OCR in reading
    order); empty until with_pipeline() has run."""
    pipeline_words: tuple[tuple[tuple[str, float], ...], ...] = ()

    @property
    def expected(self) -> str:
        """The type a perfect classifier names."""
        return self.doc.doc_type

    @property
    def rotated(self) -> bool:
        """Whether some page was fed sideways or upside down."""
        return any(d.rotation for d in self.degradations)


def _reword(text: str, rng_bits: int) -> str:
    for number, (old, new) in enumerate(PARAPHRASES):
        if rng_bits >> number & 1:
            text = text.replace(old, new)
    return text


def _reword_line(line: Line, bits: int, old_spelling: bool) -> Line:
    text = line.text
    if line.style is Style.FIELD and ": " in text:
        label, value = text.split(": ", 1)
        text = f"{_reword(label, bits)}: {value}"
    elif line.style in (Style.BODY, Style.SMALL):
        text = _reword(text, bits)
    if old_spelling:
        text = _KY.sub(lambda m: "í" if m.group() == "ý" else "Í", text)
    return dataclasses.replace(line, text=text)


def reword(doc: SyntheticDocument, rng: random.Random) -> SyntheticDocument:
    """The document in wordings training never saw: paraphrased labels and phrases, and in a
    third of documents the old spelling "đăng kí" for "đăng ký" (titles included)."""
    bits = rng.getrandbits(len(PARAPHRASES))
    old_spelling = rng.random() < 1 / 3
    pages = tuple(tuple(_reword_line(line, bits, old_spelling) for line in p) for p in doc.pages)
    fields = dict(doc.fields)
    if old_spelling:
        fields = {k: _KY.sub("í", v) for k, v in fields.items()}
    return dataclasses.replace(doc, pages=pages, fields=fields)


def held_out_families() -> tuple[FontFamily, ...]:
    """Installed families the training corpus does not render with (all of them if every
    installed family is a training one, which only a machine with few fonts has)."""
    families = available_families()
    unseen = tuple(f for f in families if f.name not in TRAIN_FONTS)
    return unseen or families


def _plan(quick: bool) -> Iterator[tuple[str, str | None, Level, int]]:
    """(type, unseen kind or None, level, number): the quick plan is a subset of the full
    one, so both share the OCR cache."""
    plan, other = (PLAN_QUICK, OTHER_QUICK) if quick else (PLAN_FULL, OTHER_FULL)
    for level, count in plan.items():
        for doc_type in DOCUMENT_TYPES_WITH_TEMPLATES:
            for number in range(count):
                yield doc_type, None, level, number
    for level, count in other.items():
        for kind in OTHER_KIND_NAMES:
            for number in range(count):
                yield "khac", kind, level, number


def build_items(seed: int, quick: bool) -> list[Item]:
    """The held-out documents and how each is scanned; no pixels yet (cheap)."""
    families = held_out_families()
    serif = [f for f in families if f.kind == "serif"] or list(families)
    sans = [f for f in families if f.kind == "sans"] or list(families)
    items = []
    for index, (doc_type, kind, level, number) in enumerate(_plan(quick)):
        name = f"{seed}:{kind or doc_type}:{level}:{number}"
        rng = random.Random(name)  # reproducible test data, not secrets
        doc = make_document(doc_type, rng) if kind is None else make_other_document(rng, kind=kind)
        doc = reword(doc, rng)
        family = rng.choice(serif if rng.random() < 0.75 else sans)
        degradations = tuple(choose_degradation(level, rng) for _ in doc.pages)
        spec = json.dumps(
            [
                OCR_FORMAT,
                doc.text,
                doc.page_size,
                family.name,
                RENDER_DPI,
                [repr(d) for d in degradations],
            ],
            ensure_ascii=False,
        )
        key = hashlib.sha256(spec.encode("utf-8")).hexdigest()[:24]
        items.append(Item(index, name, doc, level, family.name, degradations, key))
    return items


def _tesseract(image: Image.Image, workdir: Path) -> tuple[str, list[tuple[str, float]]]:
    """Text and (word, confidence) pairs of one page, from a single Tesseract run."""
    path = workdir / "page.png"
    dpi = round(float(image.info.get("dpi", (RENDER_DPI, RENDER_DPI))[0]))
    image.convert("L").save(path, dpi=(dpi, dpi))
    base = workdir / "page"
    subprocess.run(
        ["tesseract", str(path), str(base), "-l", "vie", "--dpi", str(dpi), "txt", "tsv"],
        capture_output=True,
        timeout=OCR_TIMEOUT,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    text = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
    tsv = base.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace")
    return text, [(w.text, w.confidence) for w in parse_tsv(tsv)]


def _upright(image: Image.Image, rotation: int) -> Image.Image:
    """The scanned page turned back by its known quarter turn (skew and damage stay)."""
    pixels = np.ascontiguousarray(np.rot90(np.asarray(image), k=rotation // 90))
    out = Image.fromarray(pixels)
    out.info["dpi"] = image.info.get("dpi", (RENDER_DPI, RENDER_DPI))
    return out


Words = list[tuple[str, float]]


def ocr_item(item: Item, families: dict[str, FontFamily]) -> dict[str, object]:
    """Render, damage and OCR one document: its cache entry (texts and words per page, as
    scanned and upright)."""
    images = render_document(
        item.doc,
        families[item.family],
        dpi=RENDER_DPI,
        rng=random.Random(item.name),
    )
    entry: dict[str, list[object]] = {
        "raw": [],
        "upright": [],
        "raw_words": [],
        "upright_words": [],
    }
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp:
        for image, degradation in zip(images, item.degradations, strict=True):
            scanned = apply(image, degradation)
            text, words = _tesseract(scanned, Path(tmp))
            entry["raw"].append(text)
            entry["raw_words"].append(words)
            if degradation.rotation:
                text, words = _tesseract(_upright(scanned, degradation.rotation), Path(tmp))
            entry["upright"].append(text)
            entry["upright_words"].append(words)
    return {"key": item.key, **entry}


def _cache_path(seed: int) -> Path:
    return RESULTS / f"ocr-{seed}.jsonl"


def _load_cache(seed: int) -> dict[str, dict[str, Any]]:
    path = _cache_path(seed)
    cache: dict[str, dict[str, Any]] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            cache[entry["key"]] = entry
    return cache


def _with(item: Item, entry: dict[str, Any]) -> Item:
    return dataclasses.replace(
        item,
        raw=tuple(entry["raw"]),
        upright=tuple(entry["upright"]),
        raw_words=tuple(tuple((w, c) for w, c in page) for page in entry["raw_words"]),
        upright_words=tuple(tuple((w, c) for w, c in page) for page in entry["upright_words"]),
    )


def with_ocr(
    items: list[Item], seed: int, *, workers: int = 2, progress: Callable[[str], None] = print
) -> list[Item]:
    """The items with their OCR text, from the cache or from Tesseract (then cached)."""
    cache = _load_cache(seed)
    missing = [item for item in items if item.key not in cache]
    if missing:
        progress(f"OCR of {len(missing)} held-out documents ({len(items) - len(missing)} cached)")
        families = {f.name: f for f in available_families()}
        RESULTS.mkdir(parents=True, exist_ok=True)
        with (
            _cache_path(seed).open("a", encoding="utf-8") as out,
            ProcessPoolExecutor(max_workers=workers) as pool,
        ):
            futures = [pool.submit(ocr_item, item, families) for item in missing]
            for done, future in enumerate(futures, start=1):
                entry = future.result()
                cache[str(entry["key"])] = entry
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
                out.flush()
                if done % 25 == 0:
                    progress(f"  {done}/{len(missing)}")
    return [_with(item, cache[item.key]) for item in items]


PIPELINE_SOURCES = ("preprocess", "pagework.py", "reading_order.py", "ocr.py", "_exec/tesseract.py")
"""The parts of digitize/ whose code decides the pipeline view: part of its cache key."""


def pipeline_version() -> str:
    """A hash of the page-reading code, so its cached results go stale when it changes."""
    root = Path(digitize.__file__).resolve().parent
    digest = hashlib.sha256()
    for name in PIPELINE_SOURCES:
        path = root / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def _loaded(gray: npt.NDArray[np.uint8], dpi: float) -> tuple[npt.NDArray[np.uint8], float]:
    return gray, dpi


def pipeline_item(item: Item, families: dict[str, FontFamily]) -> dict[str, object]:
    """Render and damage one document, then read each page as the pipeline does."""
    images = render_document(
        item.doc,
        families[item.family],
        dpi=RENDER_DPI,
        rng=random.Random(item.name),
    )
    engine = TesseractEngine("vie", OCR_TIMEOUT)
    texts: list[str] = []
    words: list[Words] = []
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp:
        for number, (image, damage) in enumerate(zip(images, item.degradations, strict=True)):
            scanned = apply(image, damage)
            gray = np.asarray(scanned.convert("L"), dtype=np.uint8)
            dpi = float(scanned.info.get("dpi", (RENDER_DPI, RENDER_DPI))[0])
            load = functools.partial(_loaded, gray, dpi)
            job = PageJob(number + 1, load, f"{item.name} p{number + 1}")
            reading = read_page(job, DigitizeOptions(), engine, Path(tmp))
            texts.append(reading.text)
            ocr_words = reading.ocr.words if reading.ocr else ()
            words.append([(w.text, w.confidence) for w in ocr_words])
    return {"key": item.key, "pipeline": texts, "pipeline_words": words}


def with_pipeline(
    items: list[Item], seed: int, *, workers: int = 2, progress: Callable[[str], None] = print
) -> list[Item]:
    """The items with the pipeline's reading of their pages (cached like the OCR)."""
    path = RESULTS / f"ocr-{seed}-pipeline-{pipeline_version()}.jsonl"
    cache: dict[str, dict[str, Any]] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            cache[entry["key"]] = entry
    missing = [item for item in items if item.key not in cache]
    if missing:
        progress(f"pipeline reading of {len(missing)} held-out documents")
        families = {f.name: f for f in available_families()}
        RESULTS.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out, ProcessPoolExecutor(workers) as pool:
            futures = [pool.submit(pipeline_item, item, families) for item in missing]
            for done, future in enumerate(futures, start=1):
                entry = future.result()
                cache[str(entry["key"])] = entry
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
                out.flush()
                if done % 25 == 0:
                    progress(f"  {done}/{len(missing)}")
    return [
        dataclasses.replace(
            item,
            pipeline=tuple(cache[item.key]["pipeline"]),
            pipeline_words=tuple(
                tuple((w, c) for w, c in page) for page in cache[item.key]["pipeline_words"]
            ),
        )
        for item in items
    ]
