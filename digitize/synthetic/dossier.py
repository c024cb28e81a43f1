"""A sample dossier on disk: the files a clerk's scanner produces for one citizen's procedure."""

from __future__ import annotations

import dataclasses
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PIL import Image

from config.catalogue import OTHER_TYPE, ComponentSpec, Procedure, get_catalogue
from config.text import nfc
from digitize.fonts import FontFamily, FontKind, available_families
from digitize.synthetic.case import Case, random_case
from digitize.synthetic.degrade import Degradation, Level, apply, choose_degradation
from digitize.synthetic.document import SyntheticDocument
from digitize.synthetic.pdf import write_born_digital_pdf
from digitize.synthetic.render import render_document
from digitize.synthetic.templates import make_document
from digitize.synthetic.templates_other import OTHER_KINDS

FileKind = Literal["jpeg", "tiff", "pdf"]

TRUTH_FILE = "truth.json"


@dataclass(frozen=True)
class SampleFile:
    """One file of a sample dossier and what a perfect digitizer would read from it."""

    path: Path
    doc_type: str
    pages: int
    """Pages in this file."""
    level: str
    """Degradation level of the scan ("mild", "hard"), or "clean" for a born-digital PDF."""
    fields: dict[str, str]
    kind: FileKind = "jpeg"
    page_texts: tuple[str, ...] = ()
    """Truth text of each page in the file."""
    degradations: tuple[Degradation, ...] = ()
    """What was done to each page (empty for a PDF)."""
    first_page: int = 1
    """Page of the document this file starts at (documents scanned one JPEG per page)."""

    def to_json(self) -> dict[str, Any]:
        """The file's entry in truth.json."""
        return {
            "file": self.path.name,
            "doc_type": self.doc_type,
            "kind": self.kind,
            "pages": self.pages,
            "first_page": self.first_page,
            "level": self.level,
            "fields": self.fields,
            "page_texts": list(self.page_texts),
            "degradations": [dataclasses.asdict(d) for d in self.degradations],
        }


@dataclass(frozen=True)
class _Planned:
    index: int
    doc: SyntheticDocument
    family: FontFamily
    kind: FileKind
    level: Level


def _components(procedure: Procedure, rng: random.Random) -> list[ComponentSpec]:
    """The required components plus one optional one, as most citizens bring something
    extra (a marriage certificate, a power of attorney)."""
    chosen = [c for c in procedure.components if c.required]
    optional = [c for c in procedure.components if not c.required]
    if optional:
        chosen.append(rng.choice(optional))
    return chosen


def _document(component: ComponentSpec, case: Case, rng: random.Random) -> SyntheticDocument:
    if component.type == OTHER_TYPE:
        kind = "family_meeting_minutes" if "họp" in component.label.lower() else None
        builder = OTHER_KINDS[kind or rng.choice(sorted(OTHER_KINDS))]
        return builder(case, rng)
    return make_document(component.type, rng, case=case)


def _family(rng: random.Random) -> FontFamily:
    """Mostly Times-like serif faces, as offices print; sometimes a sans one."""
    kind: FontKind = "serif" if rng.random() < 0.8 else "sans"
    return rng.choice(available_families(kind))


def _plan(docs: list[SyntheticDocument], rng: random.Random) -> list[_Planned]:
    """Decides how each document reaches the office: the born-digital PDF is a result
    document if any (an electronic certificate), else the application form (submitted on
    the public service portal); the TIFF is a multi-page document if any, else the last
    one; one of the other scans is "hard", the rest "mild"."""
    indices = list(range(len(docs)))
    results = {t.code for t in get_catalogue().document_types if t.result}
    pdf = next((i for i in indices if docs[i].doc_type in results), 0)
    others = [i for i in indices if i != pdf]
    tiff = max(others, key=lambda i: (len(docs[i].pages) > 1, i)) if others else None
    scans = [i for i in others if i != tiff]
    hard = rng.choice(scans) if scans else None
    planned = []
    for i, doc in enumerate(docs):
        kind: FileKind = "pdf" if i == pdf else "tiff" if i == tiff else "jpeg"
        level: Level = "clean" if kind == "pdf" else "hard" if i == hard else "mild"
        planned.append(_Planned(i + 1, doc, _family(rng), kind, level))
    return planned


def _scan_pages(
    item: _Planned, dpi: int, rng: random.Random
) -> list[tuple[Image.Image, Degradation]]:
    pages = render_document(item.doc, item.family, dpi=dpi, rng=rng)
    scanned = []
    for page in pages:
        degradation = choose_degradation(item.level, rng)
        scanned.append((apply(page, degradation, jpeg_roundtrip=False), degradation))
    return scanned


def _write(item: _Planned, out_dir: Path, dpi: int, rng: random.Random) -> list[SampleFile]:
    doc, stem = item.doc, f"{item.index:02d}-{item.doc.doc_type.replace('_', '-')}"
    texts = tuple(doc.page_text(i) for i in range(len(doc.pages)))
    if item.kind == "pdf":
        path = write_born_digital_pdf(doc, out_dir / f"{stem}.pdf", item.family)
        return [
            SampleFile(
                path,
                doc.doc_type,
                len(texts),
                item.level,
                dict(doc.fields),
                kind="pdf",
                page_texts=texts,
            )
        ]
    scanned = _scan_pages(item, dpi, rng)
    if item.kind == "tiff":
        path = out_dir / f"{stem}.tif"
        images = [image for image, _ in scanned]
        images[0].save(
            path,
            save_all=True,
            append_images=images[1:],
            compression="tiff_lzw",
            dpi=images[0].info["dpi"],
        )
        return [
            SampleFile(
                path,
                doc.doc_type,
                len(images),
                item.level,
                dict(doc.fields),
                kind="tiff",
                page_texts=texts,
                degradations=tuple(d for _, d in scanned),
            )
        ]
    files = []
    for number, (image, degradation) in enumerate(scanned, start=1):
        suffix = f"-{number}" if len(scanned) > 1 else ""
        path = out_dir / f"{stem}{suffix}.jpg"
        image.save(path, "JPEG", quality=degradation.jpeg_quality or 90, dpi=image.info["dpi"])
        files.append(
            SampleFile(
                path,
                doc.doc_type,
                1,
                item.level,
                dict(doc.fields),
                kind="jpeg",
                page_texts=(texts[number - 1],),
                degradations=(degradation,),
                first_page=number,
            )
        )
    return files


def _truth(
    procedure: Procedure, case: Case, seed: int, dpi: int, files: list[SampleFile]
) -> dict[str, Any]:
    applicant = case.applicant
    return {
        "procedure_code": procedure.code,
        "procedure_name": procedure.name,
        "seed": seed,
        "dpi": dpi,
        "dossier_code": case.dossier_code,
        "applicant": {
            "full_name": applicant.full_name,
            "id_number": applicant.id_number,
            "date_of_birth": applicant.date_of_birth.isoformat(),
        },
        "files": [f.to_json() for f in files],
    }


def write_sample_dossier(
    out_dir: Path, procedure_code: str = "1.001193", *, seed: int = 0, dpi: int = 300
) -> list[SampleFile]:
    """Writes the components of a procedure's dossier for one applicant, as scanned files.

    Mostly "mild" JPEG scans, one "hard" scan, one multi-page TIFF, one born-digital PDF,
    named like "01-to-khai-khai-sinh.jpg", plus truth.json with every file's type, fields
    and page texts. Same seed, same bytes.
    """
    procedure = get_catalogue().procedure(procedure_code)
    rng = random.Random(seed)  # noqa: S311  # reproducible test data, not secrets
    case = random_case(rng, procedure_code=procedure.code)
    docs = [_document(component, case, rng) for component in _components(procedure, rng)]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[SampleFile] = []
    for item in _plan(docs, rng):
        files.extend(_write(item, out_dir, dpi, rng))
    truth = _truth(procedure, case, seed, dpi, files)
    text = nfc(json.dumps(truth, ensure_ascii=False, indent=2))
    (out_dir / TRUTH_FILE).write_text(text + "\n", encoding="utf-8")
    return files
