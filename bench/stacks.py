"""Generated stacks for bench part `understanding`: multi-page documents kept whole, and stacks
of several documents cut where each one ends (issue 18's stack targets on the generated set).

An upload a clerk does not give to a component may be a stack; digitize.splitting cuts it on
the whole run of pages. Here documents come from the repo's templates (digitize.synthetic),
seeded apart from the type model's training, and their pages are read through the OCR-noise
model the type model is trained against (digitize.classifier.noise.simulate_ocr, levels
clean, mild and hard), not through Tesseract: it shows the cut's logic on many stacks in
seconds, and vn-admin-real's multi-page files (bench.understanding) show it on real reading.

- every multi-page document (both sides of an ID card, a land-use certificate, a transfer
  contract, a CV, a certified copy with its certification page) alone: cut or not;
- stacks of STACK_SIZE documents of any types: cut exactly right when the documents found
  are the true ones, page for page.
"""

from __future__ import annotations

import random
from typing import Any

from config.catalogue import get_catalogue
from digitize.classifier.noise import simulate_ocr
from digitize.splitting import split_batch
from digitize.synthetic import DOCUMENT_TYPES_WITH_TEMPLATES, make_document, random_case

SEED = "bench-stacks-20261207"
LEVELS = ("clean", "mild", "hard")
MULTI_PER_TYPE = 4
"""Multi-page documents of each type that has them, per level."""
STACKS = 20
"""Stacks per level."""
STACK_SIZE = 3
DRAWS = 12
"""Documents drawn of a type before it is taken to have no multi-page variant."""
TARGET_STACKS_EXACT = 0.95


def _pages(segments: list[Any]) -> list[tuple[int, int]]:
    return [(s.first, s.last) for s in segments]


def _multi_page(rng: random.Random, doc_type: str) -> Any:
    for _ in range(DRAWS):
        doc = make_document(doc_type, rng, case=random_case(rng))
        if len(doc.pages) > 1:
            return doc
    return None


def run(threshold: float, quick: bool = False) -> dict[str, Any]:
    """Per level: multi-page documents cut, and stacks cut exactly right."""
    catalogue = get_catalogue()
    rng = random.Random(SEED)
    per_level: dict[str, dict[str, int]] = {}
    for level in LEVELS[:1] if quick else LEVELS:
        counts = {"multi": 0, "multi_cut": 0, "stacks": 0, "stacks_exact": 0}
        for doc_type in DOCUMENT_TYPES_WITH_TEMPLATES:
            for _ in range(MULTI_PER_TYPE):
                doc = _multi_page(rng, doc_type)
                if doc is None:
                    break
                alone = simulate_ocr(doc, rng, level)
                counts["multi"] += 1
                counts["multi_cut"] += len(split_batch(alone, catalogue, threshold=threshold)) > 1
        for _ in range(STACKS):
            case = random_case(rng)
            texts: list[str] = []
            truth = []
            for doc_type in rng.sample(DOCUMENT_TYPES_WITH_TEMPLATES, STACK_SIZE):
                pages = simulate_ocr(make_document(doc_type, rng, case=case), rng, level)
                truth.append((len(texts) + 1, len(texts) + len(pages)))
                texts += pages
            found = _pages(split_batch(texts, catalogue, threshold=threshold))
            counts["stacks"] += 1
            counts["stacks_exact"] += found == truth
        per_level[level] = counts
    total = {k: sum(c[k] for c in per_level.values()) for k in next(iter(per_level.values()))}
    return {"levels": per_level, "total": total}


def lines(result: dict[str, Any]) -> list[str]:
    """The figures per level and in all, against the targets."""
    out = ["understanding, generated stacks (simulated OCR text):"]
    for level, c in [*result["levels"].items(), ("all", result["total"])]:
        exact = c["stacks_exact"] / max(1, c["stacks"])
        out.append(
            f"  {level:5}  multi-page documents cut {c['multi_cut']}/{c['multi']} (target 0), "
            f"stacks of {STACK_SIZE} cut exactly right {c['stacks_exact']}/{c['stacks']} "
            f"= {exact:.0%} (target {TARGET_STACKS_EXACT:.0%})"
        )
    return out
