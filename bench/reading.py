"""Bench part `reading`: sohoa's reading of real documents beside plain Tesseract and OCRmyPDF.

    python -m bench --only reading

On vn-admin-real (../shared/corpora/vn-admin-real), in one run:

- every file goes through sohoa's whole job (`digitize_batch`, one page at a time, PDF/A on):
  files refused, outputs that are PDF/A-2b;
- the scanned files' pages are also read by a plain single-threaded `tesseract -l vie` on
  poppler's 300 dpi grey rendering of each page, written as uncompressed TIFF (the render is
  part of its cost, as sohoa renders too; a PNG would add 2 s of compression a page to the
  baseline); CPU per page of each against it is the real set's ratio;
- page 1 of each transcribed scan (truth/) is scored for all three: order-free word error
  and character error (bench.metrics); OCRmyPDF (`--jobs 1`, its usual `--rotate-pages
  --deskew`) reads those pages as one-page PDFs;
  the same means are printed over the pages not in TUNED_ON as well;
- on the born-digital signed files (number and day drawn only in signature widgets) the
  number and issue date sohoa extracts are compared with INDEX.tsv.

With --quick only the transcribed files and the born-digital ones are read.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

import pikepdf

from bench.metrics import cer, measured, run_baseline, word_error, words_missed
from bench.real_pages import RealFile, corpus_dir, index
from config.catalogue import get_catalogue
from digitize.appearances import flatten_into_pages
from digitize.batch import digitize_batch
from digitize.fields import extract_fields
from digitize.options import DigitizeOptions
from digitize.pdfwriter import DocumentMetadata, SearchablePdf
from digitize.result import DigitizedDocument

SCANNED = ("scan_colour", "scan_bw", "scan_lowres")
BORN_DIGITAL = "born_digital_signed"
RENDER_DPI = 300
TUNED_ON = ("vnadm-01.pdf", "vnadm-02.pdf", "vnadm-03.pdf", "vnadm-06.pdf")
"""Transcribed pages the deskew threshold (preprocess.prepare.MIN_SKEW) was chosen on; the
other transcribed pages are held out and scored apart too."""
MEASURES = ("wer", "missed", "cer")
"""Word error, words missed, character error (bench.metrics), per page and their means."""
CPU_RATIO = 1.15
"""CPU per scanned page, sohoa over plain Tesseract, at most."""


@dataclass
class Reading:
    """One engine's page-1 texts of the transcribed files and its cost on its page set."""

    name: str
    texts: dict[str, str] = field(default_factory=dict)
    cpu: float = 0.0
    pages: int = 0
    errors: list[str] = field(default_factory=list)


def _truths(corpus: Path) -> dict[str, str]:
    """Transcribed page 1 of each file that has one, by file name."""
    return {
        p.name.removesuffix(".p1.txt") + ".pdf": p.read_text(encoding="utf-8")
        for p in sorted((corpus / "truth").glob("vnadm-*.p1.txt"))
    }


def _sohoa(
    files: list[RealFile], work: Path, name: str, reading: Reading | None = None
) -> tuple[Reading, list[Any]]:
    """sohoa's whole job on the files, in-process, one page at a time (added to `reading`
    when one is given)."""
    reading = reading or Reading(name)
    with measured() as usage:
        results = digitize_batch(
            [f.path for f in files], work / name, DigitizeOptions(jobs=1), catalogue=get_catalogue()
        )
    reading.cpu += usage.cpu
    reading.pages += sum(f.pages for f in files)
    for item, result in zip(files, results, strict=True):
        if isinstance(result, Exception):
            reading.errors.append(f"{item.path.name}: {result}")
        else:
            reading.texts[item.path.name] = result.page_texts[0] if result.page_texts else ""
    return reading, results


def _run(args: list[str], reading: Reading, what: str) -> subprocess.CompletedProcess[str]:
    proc, usage = run_baseline(args)
    reading.cpu += usage.cpu
    if proc.returncode != 0:
        reading.errors.append(f"{what}: exit {proc.returncode}: {proc.stderr.strip()[-200:]}")
    return proc


def _tesseract(item: RealFile, work: Path, reading: Reading) -> None:
    """Plain `tesseract -l vie` on each page of one file as poppler renders it, grey at
    300 dpi, added to `reading`."""
    work.mkdir(parents=True, exist_ok=True)
    for page in range(1, item.pages + 1):
        stem = work / f"{item.path.stem}-{page}"
        what = f"{item.path.name} page {page}"
        flags = ["-r", str(RENDER_DPI), "-gray", "-tiff", "-singlefile"]
        args = ["pdftoppm", *flags, "-f", str(page), "-l", str(page), str(item.path), str(stem)]
        _run(args, reading, what)
        proc = _run(["tesseract", f"{stem}.tif", "-", "-l", "vie"], reading, what)
        Path(f"{stem}.tif").unlink(missing_ok=True)
        reading.pages += 1
        if page == 1:
            reading.texts[item.path.name] = proc.stdout


def _scans(files: list[RealFile], work: Path) -> tuple[Reading, Reading, list[Any]]:
    """sohoa and plain Tesseract on the scans, file by file in turn, so that a drift in the
    machine's speed during the run weighs on both alike (run one after the other, the
    CPU ratio moved from 1.08 to 1.17 between two quiet runs of the same code)."""
    sohoa, plain, results = Reading("sohoa"), Reading("tesseract"), []
    for item in files:
        results += _sohoa([item], work, "sohoa", sohoa)[1]
        _tesseract(item, work / "tesseract-pages", plain)
    return sohoa, plain, results


def page_one(path: Path, out: Path) -> Path:
    """The file's first page alone, as a PDF: its annotations (the signature widgets'
    appearances) kept, the form that made them signature fields left behind, since OCRmyPDF
    refuses a signed PDF."""
    with pikepdf.open(path) as source, pikepdf.new() as single:
        single.pages.append(source.pages[0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            single.save(out)
    return out


def _ocrmypdf(files: list[RealFile], work: Path) -> Reading | None:
    """OCRmyPDF on page 1 of each file, as a one-page PDF (its signatures are dropped)."""
    exe = shutil.which("ocrmypdf") or str(Path(sys.executable).parent / "ocrmypdf")
    if not Path(exe).exists():
        return None
    reading = Reading("ocrmypdf")
    for item in files:
        single = page_one(item.path, work / f"{item.path.stem}-p1.pdf")
        sidecar = work / f"{item.path.stem}.txt"
        flags = ["-l", "vie", "--rotate-pages", "--deskew", "--jobs", "1", "--sidecar"]
        target = work / f"{item.path.stem}-ocrmypdf.pdf"
        _run([exe, *flags, str(sidecar), str(single), str(target)], reading, item.path.name)
        reading.pages += 1
        reading.texts[item.path.name] = (
            sidecar.read_text(encoding="utf-8") if sidecar.exists() else ""
        )
    return reading


def _unsigned_copies_pdfa(items: list[RealFile], work: Path) -> dict[str, bool]:
    """Whether sohoa's writer makes PDF/A-2b of each file once its signatures are removed
    (the fields' values dropped, the widgets flattened into the page as the pipeline does;
    no OCR layer, which is invisible text and changes nothing PDF/A checks)."""
    work.mkdir(parents=True, exist_ok=True)
    made: dict[str, bool] = {}
    for item in items:
        with pikepdf.open(item.path) as pdf:
            form = pdf.Root.get("/AcroForm")
            for sig in form.get("/Fields", []) if isinstance(form, pikepdf.Dictionary) else []:
                if "/V" in sig:
                    del sig["/V"]
            flatten_into_pages(pdf)
            with SearchablePdf(pdf, owned=False) as doc:
                meta = DocumentMetadata(title=item.doc_type)
                made[item.path.name] = doc.save(work / item.path.name, meta, pdfa=True)
    return made


def _scores(reading: Reading, truths: dict[str, str]) -> dict[str, Any]:
    per_file = {
        name: {
            "wer": word_error(reading.texts.get(name, ""), truth),
            "missed": words_missed(reading.texts.get(name, ""), truth),
            "cer": cer(reading.texts.get(name, ""), truth),
        }
        for name, truth in truths.items()
    }
    held_out = [v for name, v in per_file.items() if name not in TUNED_ON]
    return {
        "engine": reading.name,
        **{key: mean(v[key] for v in per_file.values()) for key in MEASURES},
        "held_out": (
            {key: mean(v[key] for v in held_out) for key in MEASURES} if held_out else None
        ),
        "per_file": per_file,
        "cpu_per_page": reading.cpu / reading.pages if reading.pages else None,
        "pages": reading.pages,
        "errors": reading.errors,
    }


def _identity(item: RealFile, result: DigitizedDocument | Exception) -> dict[str, Any]:
    """Number and issue date found on a born-digital signed file, against INDEX.tsv."""
    if isinstance(result, Exception):
        return {"file": item.path.name, "number": None, "date": None, "ok": False}
    fields = extract_fields(result.page_texts, get_catalogue().provinces, words=result.page_words)
    number = fields["number_symbol"].value if "number_symbol" in fields else None
    date = fields["issue_date"].value if "issue_date" in fields else None
    return {
        "file": item.path.name,
        "number": number,
        "date": date,
        "ok": number == item.number_symbol and date == item.issue_date,
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Every figure of the part; see the module docstring."""
    corpus = corpus_dir()
    if corpus is None:
        return {"error": "vn-admin-real not found (../shared/corpora or SOHOA_CORPORA)"}
    truths = _truths(corpus)
    items = index(corpus)
    scanned = [i for i in items if i.kind in SCANNED and (not quick or i.path.name in truths)]
    born = [i for i in items if i.kind == BORN_DIGITAL]
    transcribed = [i for i in scanned if i.path.name in truths]
    scan_truths = {i.path.name: truths[i.path.name] for i in transcribed}
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-real-") as tmp:
        work = Path(tmp)
        sohoa, plain, scan_results = _scans(scanned, work)
        born_run, born_results = _sohoa(born, work, "sohoa-born-digital")
        (work / "ocrmypdf").mkdir()
        ocrmypdf = _ocrmypdf(transcribed, work / "ocrmypdf")
        unsigned = _unsigned_copies_pdfa([*scanned, *born], work / "unsigned")
    everything = [*scan_results, *born_results]
    done = [r for r in everything if not isinstance(r, Exception)]
    engines = [_scores(sohoa, scan_truths), _scores(plain, scan_truths)]
    if ocrmypdf is not None:
        engines.append(_scores(ocrmypdf, scan_truths))
    born_truths = {name: truths[name] for name in truths if name in {i.path.name for i in born}}
    return {
        "files": len(everything),
        "pages": sum(i.pages for i in [*scanned, *born]),
        "transcribed": sorted(scan_truths),
        "engines": engines,
        "refused": [*sohoa.errors, *born_run.errors],
        "pdfa": sum(r.pdfa for r in done) / len(everything) if everything else 0.0,
        "pdfa_or_reason": (
            sum(r.pdfa or r.signed_input for r in done) / len(everything) if everything else 0.0
        ),
        "kept_signed": sum(r.signed_input for r in done),
        "not_pdfa": [r.output.name for r in done if not r.pdfa and not r.signed_input],
        "unsigned_pdfa": sum(unsigned.values()) / len(unsigned) if unsigned else 0.0,
        "unsigned_not_pdfa": [name for name, ok in unsigned.items() if not ok],
        "born_digital": [_identity(i, r) for i, r in zip(born, born_results, strict=True)],
        "born_digital_text": _scores(born_run, born_truths) if born_truths else None,
    }


def table(r: dict[str, Any]) -> list[str]:
    """Per engine the page-1 scores and CPU per page; then refusals, PDF/A and identities."""
    lines = [
        f"reading, vn-admin-real: {r['files']} files, {r['pages']} pages; "
        f"{len(r['transcribed'])} transcribed scans scored",
        f"  {'engine':10} {'word err':>9} {'missed':>9} {'char err':>9} {'CPU s/page':>11} "
        f"{'pages':>6}",
    ]
    for e in r["engines"]:
        cpu = "-" if e["cpu_per_page"] is None else f"{e['cpu_per_page']:.2f}"
        lines.append(
            f"  {e['engine']:10} {e['wer']:9.2%} {e['missed']:9.2%} {e['cer']:9.2%} {cpu:>11} "
            f"{e['pages']:>6}"
        )
    for e in r["engines"]:
        if e["held_out"]:
            h = e["held_out"]
            lines.append(
                f"  {e['engine']:10} {h['wer']:9.2%} {h['missed']:9.2%} {h['cer']:9.2%}"
                "  (pages not tuned on)"
            )
    lines.append(f"  refused: {len(r['refused'])} {r['refused'][:3]}")
    lines.append(
        f"  PDF/A-2b: {r['pdfa']:.0%}; signed originals kept byte for byte: {r['kept_signed']}; "
        f"neither: {r['not_pdfa'][:5]}"
    )
    lines.append(
        f"  unsigned copies as PDF/A-2b: {r['unsigned_pdfa']:.0%} {r['unsigned_not_pdfa'][:5]}"
    )
    for b in r["born_digital"]:
        verdict = "ok" if b["ok"] else "WRONG"
        lines.append(f"  {b['file']}: number {b['number']}, date {b['date']} ({verdict})")
    return lines


if __name__ == "__main__":
    print("\n".join(table(run("--quick" in sys.argv))))
