"""The training corpus of the document type model, generated from the repo's own templates.

Every catalogue type with a template gets documents in varied wording (the templates pick
among phrasings), people, places and layouts, read as scans of the three damage levels.
Most are read by the OCR simulation of digitize.classifier.noise; `real_ocr_per_type`
documents per type are rendered in TRAIN_FONTS, damaged and read by real Tesseract (about
0.7 s of CPU per page, cached on disk so a retraining does not pay twice). `khac` examples
come from digitize.classifier.others and from pages read sideways or upside down.

Each document draws from its own generator seeded by (corpus seed, type, number), so a
corpus is the same whatever else changes, and a quick corpus is a subset of the full one.

Why simulated OCR by default, measured on the benchmark's held-out set (bench/classify.py,
566 documents really OCRed; type accuracy clean+mild / hard with the turn undone / `khac`
recall): 160 simulated documents per type 99.7% / 97.4% / 87.5%, no OCR at training;
144 simulated + 16 really OCRed per type 99.7% / 97.4% / 88.9%, for 365 pages of OCR
(about 4 CPU minutes, 30 wall minutes on a busy 2-core machine); the same 16 real ones
alone 98.7% / 91.6% / 100% (but 1% of catalogue documents called `khac`, and a calibration
error four times higher). Real OCR adds nothing measurable, so the shipped model uses none;
`sohoa model train --real-ocr N` remains for offices whose scans the simulation misses.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import random
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from config.catalogue import OTHER_TYPE
from digitize._exec.run import run_tool
from digitize._exec.tesseract import ENV as TESSERACT_ENV
from digitize.classifier.noise import simulate_ocr, unreadable_page
from digitize.classifier.others import make_training_other
from digitize.synthetic import (
    DOCUMENT_TYPES_WITH_TEMPLATES,
    FontFamily,
    Level,
    SyntheticDocument,
    apply,
    available_families,
    choose_degradation,
    make_document,
    render_document,
)

log = logging.getLogger(__name__)

TRAIN_FONTS = ("Liberation Serif", "DejaVu Serif", "Liberation Sans", "DejaVu Sans")
"""Families the corpus renders with; the benchmark's held-out set uses the others."""

LEVEL_WEIGHTS: tuple[tuple[Level, float], ...] = (("clean", 0.3), ("mild", 0.4), ("hard", 0.3))
"""How often each scan damage level is drawn."""

OCR_DPI = 300
OCR_TIMEOUT = 180.0

Progress = Callable[[str], None]


@dataclass(frozen=True)
class CorpusSpec:
    """What to generate; the same spec always gives the same examples."""

    seed: int = 0
    per_type: int = 160
    """Documents per catalogue type that has a template."""
    others: int = 700
    """`khac` documents of the training kinds (digitize.classifier.others)."""
    unreadable: int = 150
    """`khac` examples of pages read sideways or upside down."""
    real_ocr_per_type: int = 0
    """Of the documents per type, how many are rendered and read by real Tesseract."""
    namespace: str = "train"
    """Separates the training corpus from the calibration corpus drawn with the same seed."""

    def describe(self) -> dict[str, object]:
        """The spec as JSON-ready metadata for the model file."""
        return {
            "seed": self.seed,
            "per_type": self.per_type,
            "others": self.others,
            "unreadable": self.unreadable,
            "real_ocr_per_type": self.real_ocr_per_type,
            "namespace": self.namespace,
            "levels": dict(LEVEL_WEIGHTS),
            "fonts": list(TRAIN_FONTS),
        }


@dataclass(frozen=True)
class Example:
    """One labelled training document: its page texts as OCR (or a clerk) gave them."""

    pages: tuple[str, ...]
    label: str
    source: str
    """simulated, ocr, unreadable or clerk."""
    weight: float = 1.0


def _level(rng: random.Random) -> Level:
    levels = [level for level, _ in LEVEL_WEIGHTS]
    chosen: Level = rng.choices(levels, weights=[w for _, w in LEVEL_WEIGHTS])[0]
    return chosen


def _simulated(doc: SyntheticDocument, rng: random.Random, label: str) -> Iterator[Example]:
    """The document read as a whole, and each page of a multi-page one read alone (a batch
    is classified page by page before it is split into documents)."""
    pages = tuple(simulate_ocr(doc, rng, _level(rng)))
    yield Example(pages, label, "simulated")
    if len(pages) > 1:
        for page in pages:
            yield Example((page,), label, "simulated", weight=0.5)


def _train_families() -> list[FontFamily]:
    families = available_families()
    chosen = [f for f in families if f.name in TRAIN_FONTS]
    return chosen or list(families)


def _ocr_text(doc: SyntheticDocument, rng: random.Random, cache: Path) -> tuple[str, ...]:
    """Render, damage and really OCR a document, or read the cached result."""
    family = rng.choice(_train_families())
    degradations = [choose_degradation(_level(rng), rng) for _ in doc.pages]
    upright = [dataclasses.replace(d, rotation=0) for d in degradations]
    spec = json.dumps([doc.text, doc.page_size, family.name, OCR_DPI, [repr(d) for d in upright]])
    key = hashlib.sha256(spec.encode("utf-8")).hexdigest()[:32]
    cached = cache / f"{key}.json"
    if cached.is_file():
        return tuple(json.loads(cached.read_text(encoding="utf-8")))
    texts = []
    with tempfile.TemporaryDirectory(prefix="sohoa-corpus-") as tmp:
        images = render_document(doc, family, dpi=OCR_DPI, rng=rng)
        for number, (image, damage) in enumerate(zip(images, upright, strict=True), start=1):
            path = Path(tmp) / f"page-{number}.png"
            scanned = apply(image, damage)
            scanned.convert("L").save(path, dpi=scanned.info["dpi"])
            dpi = round(float(scanned.info["dpi"][0]))
            base = Path(tmp) / f"page-{number}"
            run_tool(
                ["tesseract", path, base, "-l", "vie", "--dpi", str(dpi), "txt"],
                timeout=OCR_TIMEOUT,
                env=TESSERACT_ENV,
                what=f"training page {number} of {doc.doc_type}",
            )
            texts.append(base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace"))
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return tuple(texts)


def generate(
    spec: CorpusSpec, *, ocr_cache: Path | None = None, progress: Progress | None = None
) -> list[Example]:
    """The corpus a spec describes, in a fixed order."""
    examples: list[Example] = []
    for doc_type in DOCUMENT_TYPES_WITH_TEMPLATES:
        for number in range(spec.per_type):
            rng = random.Random(f"{spec.namespace}:{spec.seed}:{doc_type}:{number}")  # noqa: S311
            doc = make_document(doc_type, rng)
            if number < spec.real_ocr_per_type:
                if ocr_cache is None:
                    raise ValueError("real OCR in the corpus needs an ocr_cache directory")
                examples.append(Example(_ocr_text(doc, rng, ocr_cache), doc_type, "ocr"))
            else:
                examples.extend(_simulated(doc, rng, doc_type))
        if progress:
            progress(f"corpus: {doc_type}")
    for number in range(spec.others):
        rng = random.Random(f"{spec.namespace}:{spec.seed}:{OTHER_TYPE}:{number}")  # noqa: S311
        examples.extend(_simulated(make_training_other(rng), rng, OTHER_TYPE))
    for number in range(spec.unreadable):
        rng = random.Random(f"{spec.namespace}:{spec.seed}:unreadable:{number}")  # noqa: S311
        doc = make_document(rng.choice(DOCUMENT_TYPES_WITH_TEMPLATES), rng)
        page = unreadable_page(doc.page_text(0), rng)
        examples.append(Example((page,), OTHER_TYPE, "unreadable"))
    return examples
