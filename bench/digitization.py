"""Digitization benchmark: sohoa against plain Tesseract and OCRmyPDF on the same scans."""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from bench.metrics import cer, measured, run_baseline
from bench.pages import BenchPage, born_digital_pdfs, scanned_pages
from config.catalogue import get_catalogue
from digitize.batch import digitize_batch
from digitize.options import DigitizeOptions
from digitize.preprocess.options import PreprocessOptions
from digitize.result import PageSource

RESULTS = Path(__file__).resolve().parent / "results"
SEED = 20261123
"""Fixed, so every run measures the same pages."""
SCORED = ("clean", "mild", "hard")
"""The levels the overall figures (cer_all, CPU and wall per page, size ratio) are over, as
they were before the office level; office pages are shown on their own."""
LEVELS = (*SCORED, "office")


@dataclass
class EngineRun:
    """What one engine read from every page, and what it cost."""

    name: str
    texts: dict[str, str] = field(default_factory=dict)
    cpu_by_level: dict[str, float] = field(default_factory=dict)
    """CPU seconds spent on each level's pages (clean, mild, hard, office)."""
    wall_by_level: dict[str, float] = field(default_factory=dict)
    out_bytes: dict[str, int] | None = None
    """Bytes written for each page (by file name); None for an engine that writes no file."""
    errors: list[str] = field(default_factory=list)

    def spent(self, level: str, cpu: float, wall: float) -> None:
        """Adds what reading pages of a level cost."""
        self.cpu_by_level[level] = self.cpu_by_level.get(level, 0.0) + cpu
        self.wall_by_level[level] = self.wall_by_level.get(level, 0.0) + wall


def _record(run: EngineRun, page: BenchPage, result: Any) -> None:
    """What sohoa made of one page: its text and output size, or the error refusing it."""
    if run.out_bytes is None:
        run.out_bytes = {}
    if isinstance(result, Exception):
        run.errors.append(f"{page.path.name}: {result}")
        run.texts[page.path.name] = ""
        return
    run.texts[page.path.name] = result.text
    run.out_bytes[page.path.name] = result.output.stat().st_size


def run_sohoa(
    pages: list[BenchPage], work: Path, options: DigitizeOptions, name: str = "sohoa"
) -> EngineRun:
    """sohoa's pipeline as `sohoa digitize` runs it, in-process, one batch per level so each
    level's CPU is known (the parallel run and the ablations; the sequential run beside the
    baseline is `interleaved`)."""
    run = EngineRun(name, out_bytes={})
    out = work / name
    out.mkdir(parents=True, exist_ok=True)
    for level in sorted({p.level for p in pages}):
        chosen = [p for p in pages if p.level == level]
        with measured() as usage:
            results = digitize_batch(
                [p.path for p in chosen], out, options, catalogue=get_catalogue()
            )
        run.spent(level, usage.cpu, usage.wall)
        for page, result in zip(chosen, results, strict=True):
            _record(run, page, result)
    return run


def _tesseract_args(page: BenchPage) -> list[str]:
    return ["tesseract", str(page.path), "-", "-l", "vie"]


def _baseline_page(run: EngineRun, page: BenchPage, args: list[str], sidecar: Path | None) -> None:
    """One baseline command on one page, its text and cost added to `run`."""
    proc, usage = run_baseline(args)
    run.spent(page.level, usage.cpu, usage.wall)
    if proc.returncode != 0:
        run.errors.append(f"{page.path.name}: exit {proc.returncode}: {proc.stderr.strip()[-200:]}")
    text = sidecar.read_text(encoding="utf-8") if sidecar and sidecar.exists() else proc.stdout
    run.texts[page.path.name] = text


def interleaved(pages: list[BenchPage], work: Path) -> tuple[EngineRun, EngineRun]:
    """sohoa (one page per job, as a worker takes each scan) and plain `tesseract PAGE - -l
    vie` (one OpenMP thread, its fastest setting here), page by page in turn, so that a drift
    in the machine's speed weighs on both alike: run one engine after the other, the hard
    pages' CPU ratio moved between 1.10 and 1.22 from one quiet run of the same code to
    the next."""
    sohoa, plain = EngineRun("sohoa", out_bytes={}), EngineRun("tesseract")
    out = work / "sohoa"
    out.mkdir(parents=True, exist_ok=True)
    options = DigitizeOptions(jobs=1)
    for page in pages:
        with measured() as usage:
            (result,) = digitize_batch([page.path], out, options, catalogue=get_catalogue())
        sohoa.spent(page.level, usage.cpu, usage.wall)
        _record(sohoa, page, result)
        _baseline_page(plain, page, _tesseract_args(page), None)
    return sohoa, plain


def run_ocrmypdf(pages: list[BenchPage], work: Path) -> EngineRun | None:
    """`ocrmypdf -l vie --rotate-pages --deskew --jobs 1 --sidecar` on each page."""
    exe = shutil.which("ocrmypdf") or str(Path(sys.executable).parent / "ocrmypdf")
    if not Path(exe).exists():
        return None
    out = work / "ocrmypdf"
    out.mkdir(parents=True, exist_ok=True)

    run = EngineRun("ocrmypdf")
    for page in pages:
        sidecar = out / f"{page.path.stem}.txt"
        target = out / f"{page.path.stem}.pdf"
        flags = ["-l", "vie", "--rotate-pages", "--deskew", "--jobs", "1", "--sidecar"]
        _baseline_page(run, page, [exe, *flags, str(sidecar), str(page.path), str(target)], sidecar)
    written = {p.path.name: out / f"{p.path.stem}.pdf" for p in pages}
    run.out_bytes = {name: t.stat().st_size for name, t in written.items() if t.exists()}
    return run


def _level_cer(run: EngineRun, pages: list[BenchPage], levels: tuple[str, ...]) -> float:
    chosen = [p for p in pages if p.level in levels]
    return mean(cer(run.texts[p.path.name], p.truth) for p in chosen) if chosen else float("nan")


def summarise(run: EngineRun, pages: list[BenchPage]) -> dict[str, Any]:
    """One engine's row: CER by level, cost per page, output size over input size; the
    overall figures over the SCORED levels' pages, office pages in their own columns."""
    scored = [p for p in pages if p.level in SCORED]
    in_bytes = sum(p.path.stat().st_size for p in scored)
    out_bytes = run.out_bytes
    return {
        "engine": run.name,
        "cer_all": _level_cer(run, pages, SCORED),
        **{f"cer_{level}": _level_cer(run, pages, (level,)) for level in LEVELS},
        "cpu_per_page": sum(run.cpu_by_level.get(lv, 0.0) for lv in SCORED) / len(scored),
        **{
            f"cpu_{level}": run.cpu_by_level.get(level, 0.0) / count
            for level in LEVELS
            if (count := sum(1 for p in pages if p.level == level))
        },
        "wall_per_page": sum(run.wall_by_level.get(lv, 0.0) for lv in SCORED) / len(scored),
        "size_ratio": (
            sum(out_bytes.get(p.path.name, 0) for p in scored) / in_bytes
            if out_bytes is not None
            else None
        ),
        "errors": run.errors,
    }


def run_born_digital(work: Path, documents: int) -> dict[str, Any]:
    """Born-digital PDFs: text kept from the layer, no OCR run, CER and time per page."""
    pdfs = born_digital_pdfs(work / "born-digital", documents, SEED)
    out = work / "born-digital-out"
    out.mkdir(exist_ok=True)
    with measured() as usage:
        results = digitize_batch(
            [p for p, _, _ in pdfs], out, DigitizeOptions(jobs=1), catalogue=get_catalogue()
        )
    pages = sum(n for _, _, n in pdfs)
    cers, ocr_pages = [], 0
    for (_, truth, _), result in zip(pdfs, results, strict=True):
        if isinstance(result, Exception):
            cers.append(1.0)
            continue
        cers.append(cer(result.text, truth))
        ocr_pages += sum(1 for page in result.pages if page.source is not PageSource.TEXT_LAYER)
    return {
        "documents": len(pdfs),
        "pages": pages,
        "cer": mean(cers),
        "seconds_per_page": usage.wall / pages,
        "cpu_per_page": usage.cpu / pages,
        "ocr_pages": ocr_pages,
    }


ABLATIONS: dict[str, PreprocessOptions] = {
    "no orientation": PreprocessOptions(orientation=False),
    "no deskew": PreprocessOptions(deskew=False),
    "no borders": PreprocessOptions(borders=False),
    "no lighting": PreprocessOptions(lighting=False),
    "no leaders": PreprocessOptions(leaders=False),
    "no denoise": PreprocessOptions(denoise=False),
    "no binarize": PreprocessOptions(binarize=False),
    "+ upscale": PreprocessOptions(upscale=True),
    "+ grey clean": PreprocessOptions(grey_clean=True),
}
"""Each step switched off in turn (a step stays on only where removing it hurts), and the
step left off switched on (it stays off while it does not help)."""


def run(quick: bool = False, *, ablations: bool = True, jobs: int = 2) -> dict[str, Any]:
    """The whole digitization benchmark; returns every figure it prints.

    Like the baselines, `sohoa` runs one page at a time, so CPU per page compares like
    with like; `sohoa xN` reads the same pages N at a time and shows the wall-clock gain.
    """
    pages_count, pdf_count = (8, 3) if quick else (32, 10)
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp:
        work = Path(tmp)
        pages = scanned_pages(work / "scans", pages_count, SEED)
        sequential, tesseract = interleaved(pages, work)
        parallel = run_sohoa(pages, work, DigitizeOptions(jobs=jobs), name=f"sohoa x{jobs}")
        runs = [sequential, parallel, tesseract]
        ocrmypdf = run_ocrmypdf(pages, work)
        if ocrmypdf is not None:
            runs.append(ocrmypdf)
        rows = [summarise(r, pages) for r in runs]
        ablation_rows = []
        if ablations:
            damaged = [p for p in pages if p.level in ("mild", "hard")]
            for label, pre in ABLATIONS.items():
                options = DigitizeOptions(jobs=1, preprocess=pre)
                variant = run_sohoa(damaged, work, options, name=label)
                ablation_rows.append({"variant": label, **summarise(variant, damaged)})
            full = run_sohoa(damaged, work, DigitizeOptions(jobs=1), name="all steps")
            ablation_rows.insert(0, {"variant": "all steps", **summarise(full, damaged)})
        born = run_born_digital(work, pdf_count)
        levels = {lv: sum(1 for p in pages if p.level == lv) for lv in LEVELS}
    return {"pages": levels, "engines": rows, "ablations": ablation_rows, "born_digital": born}
