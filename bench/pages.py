"""The digitization benchmark's page set: generated Vietnamese documents, scanned badly."""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from PIL import Image

from digitize.fonts import FontFamily
from digitize.synthetic import (
    DOCUMENT_TYPES_WITH_TEMPLATES,
    OFFICE_SCANS,
    Degradation,
    Level,
    SyntheticDocument,
    apply,
    available_families,
    choose_degradation,
    make_document,
    office_degradation,
    render_document,
    write_born_digital_pdf,
)

RENDER_DPI = 300
CLEAN_JPEG_QUALITY = 92
"""What a flatbed scanner's default JPEG setting gives for a page scanned with care."""


@dataclass(frozen=True)
class BenchPage:
    """One scanned page of the set, with the text a perfect reader would return."""

    path: Path
    level: str
    doc_type: str
    truth: str
    degradation: Degradation
    faded: bool = False
    """Ink faded to grey, as on a copy of a copy (on top of the degradation)."""


FADED_INK = 0.35
"""Share of the ink's darkness a faded page keeps."""
LOW_DPI = 150
"""Resolution of a phone photo of a whole page taken from arm's length."""


def _hard_variant(index: int, degradation: Degradation) -> tuple[Degradation, bool]:
    """Among hard pages, one in four is a low-resolution photo and one in four faded."""
    if index % 4 == 1:
        return replace(degradation, downscale_dpi=LOW_DPI), False
    return degradation, index % 4 == 3


def _level_plan(pages: int, office: bool = True) -> list[Level]:
    """A quarter clean, a quarter mild, half hard: the 'hard half' the targets speak of.
    Office scans come on top (a quarter more, at least two), so the first three levels'
    pages stay what they were before the office level existed."""
    quarter = max(1, pages // 4)
    counts: tuple[tuple[Level, int], ...] = (
        ("clean", quarter),
        ("mild", quarter),
        ("hard", pages - 2 * quarter),
        ("office", max(2, pages // 4) if office else 0),
    )
    return [level for level, count in counts for _ in range(count)]


def _scan(
    plan: list[Level], index: int, doc: SyntheticDocument, family: FontFamily, rng: random.Random
) -> tuple[Image.Image, Degradation, bool]:
    """Page `index` of the plan rendered and damaged as its level says; whether its ink was
    faded after.

    An office page's kind cycles through OFFICE_SCANS and is drawn before rendering, since
    only a colour scan is rendered in colour; the other levels draw after rendering, as
    they always have, so their pages stay the same for the same seed."""
    level = plan[index]
    if level == "office":
        kind = OFFICE_SCANS[plan[:index].count("office") % len(OFFICE_SCANS)]
        degradation = office_degradation(kind, rng)
        image = render_document(doc, family, dpi=RENDER_DPI, rng=rng, color=degradation.color)[0]
        return apply(image, degradation, jpeg_roundtrip=False), degradation, False
    image = render_document(doc, family, dpi=RENDER_DPI, rng=rng)[0]
    degradation, faded = choose_degradation(level, rng), False
    if level == "hard":
        degradation, faded = _hard_variant(index, degradation)
    scanned = apply(image, degradation, jpeg_roundtrip=False)
    if faded:
        scanned = scanned.point(lambda v: round(255 - (255 - v) * FADED_INK))
    return scanned, degradation, faded


def _save(scanned: Image.Image, stem: Path, degradation: Degradation) -> Path:
    """A 1-bit scan as a 1-bit PNG, as office scanners store them; any other as a JPEG in
    its own mode (grey, or colour for an office colour or yellowed page)."""
    dpi = scanned.info["dpi"]
    if scanned.mode == "1":
        path = stem.with_suffix(".png")
        scanned.save(path, "PNG", dpi=dpi)
        return path
    path = stem.with_suffix(".jpg")
    quality = degradation.jpeg_quality or CLEAN_JPEG_QUALITY
    scanned.save(path, "JPEG", quality=quality, dpi=dpi)
    return path


def scanned_pages(out_dir: Path, pages: int, seed: int, *, office: bool = True) -> list[BenchPage]:
    """Write `pages` clean, mild and hard scans under out_dir, then (unless office=False)
    the office level's on top; the same seed gives the same files."""
    rng = random.Random(seed)
    families = available_families()
    out_dir.mkdir(parents=True, exist_ok=True)
    result = []
    plan = _level_plan(pages, office)
    for index, level in enumerate(plan):
        doc_type = DOCUMENT_TYPES_WITH_TEMPLATES[index % len(DOCUMENT_TYPES_WITH_TEMPLATES)]
        doc = make_document(doc_type, rng)
        family = families[index % len(families)]
        scanned, degradation, faded = _scan(plan, index, doc, family, rng)
        path = _save(scanned, out_dir / f"{index:03d}-{level}-{doc_type}", degradation)
        result.append(BenchPage(path, level, doc_type, doc.page_text(0), degradation, faded))
    (out_dir / "pages.json").write_text(
        json.dumps(
            [{**asdict(p), "path": p.path.name} for p in result], ensure_ascii=False, indent=1
        )
    )
    return result


BORN_DIGITAL_TYPES = tuple(t for t in DOCUMENT_TYPES_WITH_TEMPLATES if t != "cccd")
"""What reaches an office as a born-digital PDF: forms, decisions, certificates. An ID card
is always a scan or photo of a plastic card, never a PDF with a text layer."""


def born_digital_pdfs(out_dir: Path, documents: int, seed: int) -> list[tuple[Path, str, int]]:
    """PDFs with real text layers: (path, truth text with form feeds, page count)."""
    rng = random.Random(seed)
    families = available_families()
    out_dir.mkdir(parents=True, exist_ok=True)
    result = []
    for index in range(documents):
        doc_type = BORN_DIGITAL_TYPES[(index * 5) % len(BORN_DIGITAL_TYPES)]
        doc = make_document(doc_type, rng)
        path = write_born_digital_pdf(
            doc, out_dir / f"{index:03d}-{doc_type}.pdf", families[index % len(families)]
        )
        result.append((path, doc.text, len(doc.pages)))
    return result
