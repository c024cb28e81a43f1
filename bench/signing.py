"""Signing throughput: sohoa's batch signing against plain pyHanko, in the same run.

    .venv/bin/python -m bench.signing [--quick]

For PAdES B-B and B-LTA, on a 2-page and a 100-page result (generated PDF/A-2b), each side
signs N copies in a fresh process of its own (so its peak memory is its own):

- plain: what a caller of pyHanko writes per document with default settings: open the
  .p12 (`SimpleSigner.load_pkcs12`), then `pyhanko.sign.signers.sign_pdf` (which sizes the
  signature with a dry-run signature); for B-LTA with a fresh `ValidationContext` and
  `HTTPTimeStamper` and PAdES-LTA settings. An invisible signature.
- sohoa: `signing.batch.sign_each` (sign_batch handing each signed file over as it is
  made, none kept, as plain keeps none) as the workers run it: the leader's profile (visible
  Decree 30 stamp with the signature image, number and date fields, the seal's reserved
  field, certification), the key opened once, the container size and the chain's
  validation carried over, the PDF/A-2 declaration checked on every document and the
  first one validated (signing.pdfa).
- sohoa (invisible): the same batch with plain's output (no stamp, no fields), to show
  where the time goes.

The test PKI's TSA, OCSP and CRL services run in a third process on loopback. Throughput is
signatures per wall-clock second and per CPU second of the signing process and the programs
it runs (other work on the machine moves the first, not the second). Peak memory is the
signing process's maximum resident set, against 2 x the PDF's size + 100 MB; growth is what
the signing loop added to the process after its imports. run(quick) returns the figures.
"""

# ruff: noqa: PLC0415  # each side imports only its own modules, in its own process, so
# that its time and memory are its own

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_RATIO = 2.0
"""Issue 5: sohoa's batch signing at least twice plain pyHanko's throughput."""

MEMORY_HEADROOM_MB = 100
LEVELS = ("B-B", "B-LTA")
COUNTS = {  # (level, pages) -> documents per side, full run / quick run
    ("B-B", 2): (60, 20),
    ("B-LTA", 2): (20, 8),
    ("B-B", 100): (20, 6),
    ("B-LTA", 100): (8, 3),
}


def _result(directory: Path, pages: int) -> Path:
    """A generated giay_khai_sinh of `pages` pages (page 1 repeated), saved as PDF/A-2b the
    way digitization writes results, with no drawn seal or signature on it."""
    import dataclasses
    import random

    import pikepdf
    import pikepdf.pdfa

    from digitize.synthetic import Mark, default_family, make_document, write_born_digital_pdf

    doc = make_document("giay_khai_sinh", random.Random(7))
    unmarked = tuple(
        tuple(
            dataclasses.replace(line, mark=Mark.NONE)
            if line.mark in (Mark.SEAL, Mark.SIGNATURE)
            else line
            for line in page
        )
        for page in doc.pages
    )
    one = write_born_digital_pdf(
        dataclasses.replace(doc, pages=unmarked), directory / "one.pdf", default_family()
    )
    out = directory / f"{pages}-pages.pdf"
    with pikepdf.open(one) as source, pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.pages.append(source.pages[0])
        for page in pdf.pages:
            if "/Trans" in page.obj:
                del page.obj["/Trans"]
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = doc.title
        pikepdf.pdfa.save(pdf, out, "2b")
    return out


def _memory_kb(field: str) -> int:
    """A figure of this process from /proc (VmRSS: now; VmHWM: the peak so far), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (pdftotext runs), user + system."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(work: Any) -> None:
    """Run the signing loop, then print its own wall and CPU time and memory as JSON
    (imports and process start-up are not part of the measurement)."""
    base = _memory_kb("VmRSS")
    wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    work()
    figures = {
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu + _children_cpu() - children,
        "peak_mb": _memory_kb("VmHWM") / 1024,
        "growth_mb": (_memory_kb("VmHWM") - base) / 1024,
    }
    print(json.dumps(figures))


class _Pki:
    """The test PKI's files and URLs, read without loading certomancer (so neither side's
    memory includes the PKI's own software)."""

    def __init__(self, directory: Path) -> None:
        meta = json.loads((directory / "pki.json").read_text())
        self.directory = directory
        self.passphrase = str(meta["passphrase"])
        self.tsa_url = f"http://127.0.0.1:{meta['port']}/{meta['arch']}/tsa/tsa"
        self.root_cert = directory / "certs" / "root.cert.pem"

    def p12_path(self, label: str) -> Path:
        return self.directory / "keys" / f"{label}.p12"

    def image_path(self, name: str) -> Path:
        return self.directory / "keys" / name


def _child_plain(pki_dir: Path, pdf: Path, level: str, n: int) -> None:
    """Per document: open the key file, then one default sign_pdf call."""
    import pyhanko.sign.signers  # imported before measuring, as sohoa's side is
    import pyhanko.sign.timestamps  # noqa: F401

    pki = _Pki(pki_dir)
    data = pdf.read_bytes()
    _timed(lambda: _plain_loop(pki, data, level, n))


def _plain_loop(pki: Any, data: bytes, level: str, n: int) -> None:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator import ValidationContext

    for i in range(n):
        signer = signers.SimpleSigner.load_pkcs12(
            str(pki.p12_path("leader")), passphrase=pki.passphrase.encode()
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        if level == "B-B":
            meta = signers.PdfSignatureMetadata(field_name=f"Signature{i}")
            signers.sign_pdf(writer, meta, signer=signer)
            continue
        context = ValidationContext(
            trust_roots=[load_cert_from_pemder(str(pki.root_cert))], allow_fetching=True
        )
        meta = signers.PdfSignatureMetadata(
            field_name=f"Signature{i}",
            subfilter=SigSeedSubFilter.PADES,
            embed_validation_info=True,
            use_pades_lta=True,
            validation_context=context,
        )
        stamper = timestamps.HTTPTimeStamper(pki.tsa_url)
        signers.sign_pdf(writer, meta, signer=signer, timestamper=stamper)


def _child_sohoa(pki_dir: Path, pdf: Path, level: str, n: int, *, invisible: bool) -> None:
    """One batch of n documents, as the workers sign results."""
    import dataclasses

    from signing.batch import BatchItem, BatchResult, sign_each
    from signing.levels import PadesLevel
    from signing.pdfa import PdfaCheck
    from signing.plan import options_for
    from signing.profiles import Pkcs12Key, Role, SignerProfile
    from signing.services import ServiceConfig
    from signing.sources import Pkcs12Source
    from signing.stamps import StampContent, StampKind

    pki = _Pki(pki_dir)
    os.environ["SOHOA_SIGNING_KEY_DIR"] = str(pki.directory / "keys")
    from config.settings import get_settings

    profile = SignerProfile(
        name="chu-tich",
        role=Role.LEADER,
        full_name="Nguyễn Văn An",
        title="Chủ tịch",
        unit="Ủy ban nhân dân xã Hòa Bình",
        key=Pkcs12Key(path=pki.p12_path("leader")),
        signature_image=pki.image_path("signature-leader.png"),
    )
    options = options_for(profile, get_settings(), PadesLevel(level))
    if invisible:
        stamp = StampContent(StampKind.INVISIBLE, "")
        options = dataclasses.replace(
            options, stamp=stamp, issue_fields=False, reserve_seal=None, check_pdfa=PdfaCheck.OFF
        )
    data = pdf.read_bytes()
    items = [BatchItem(f"doc-{i}", data, options) for i in range(n)]
    config = ServiceConfig(tsa_url=pki.tsa_url, trust_roots=(pki.root_cert,))
    source = Pkcs12Source(pki.p12_path("leader"), pki.passphrase)
    failed: list[Any] = []

    def check(result: BatchResult) -> None:  # kept no longer than plain's output is
        if result.error is not None or result.signed is None or not result.signed.data:
            failed.append(result.error)

    _timed(lambda: sign_each(items, source, config, check))
    if failed:
        raise SystemExit(f"sohoa batch failed: {failed[0]}")


def _measure(args: list[str]) -> dict[str, float]:
    """Run one side in a process of its own; the figures it reports of its signing loop."""
    run = subprocess.run(
        [sys.executable, "-m", "bench.signing", *args],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"benchmark child failed: {' '.join(args)}\n{run.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(run.stdout.strip().splitlines()[-1])
    return figures


def _side(pki_dir: Path, pdf: Path, level: str, n: int, mode: str) -> dict[str, float]:
    figures = _measure(["--child", mode, str(pki_dir), str(pdf), level, str(n)])
    figures["n"] = n
    figures["per_s"] = n / figures["wall_s"]
    figures["per_cpu_s"] = n / figures["cpu_s"]
    return figures


def _start_services(pki_dir: Path) -> subprocess.Popen[bytes]:
    ready = pki_dir / "ready"
    ready.unlink(missing_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.signing", "--serve", str(pki_dir)],
        cwd=Path(__file__).resolve().parent.parent,
    )
    for _ in range(200):
        if ready.exists():
            return process
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("the test PKI services did not start")


def run(quick: bool) -> dict[str, Any]:
    """Every configuration, both sides; the rows of the table as a dict."""
    from signing.testpki import create_test_pki

    with tempfile.TemporaryDirectory(prefix="sohoa-bench-signing-") as tmp:
        directory = Path(tmp)
        pki = create_test_pki(directory / "pki")
        pdfs = {pages: _result(directory, pages) for pages in (2, 100)}
        services = _start_services(pki.directory)
        rows = []
        try:
            for pages, pdf in pdfs.items():
                for level in LEVELS:
                    n = COUNTS[(level, pages)][1 if quick else 0]
                    row: dict[str, Any] = {
                        "level": level,
                        "pages": pages,
                        "pdf_bytes": pdf.stat().st_size,
                    }
                    for mode in ("plain", "sohoa", "sohoa-invisible"):
                        row[mode] = _side(pki.directory, pdf, level, n, mode)
                    row["ratio_wall"] = row["sohoa"]["per_s"] / row["plain"]["per_s"]
                    row["ratio_cpu"] = row["sohoa"]["per_cpu_s"] / row["plain"]["per_cpu_s"]
                    limit = 2 * pdf.stat().st_size / 2**20 + MEMORY_HEADROOM_MB
                    row["memory_limit_mb"] = limit
                    row["memory_ok"] = row["sohoa"]["peak_mb"] <= limit
                    row["growth_ok"] = row["sohoa"]["growth_mb"] <= limit - MEMORY_HEADROOM_MB
                    rows.append(row)
        finally:
            services.terminate()
            services.wait(timeout=10)
    return {
        "quick": quick,
        "target_ratio": TARGET_RATIO,
        "rows": rows,
        "throughput_met": all(r["ratio_wall"] >= TARGET_RATIO for r in rows),
        "memory_met": all(r["memory_ok"] for r in rows),
        "growth_met": all(r["growth_ok"] for r in rows),
    }


def table(results: dict[str, Any]) -> list[str]:
    """The results as text lines."""
    head = (
        f"{'level':6} {'pages':>5} {'n':>3} | {'plain/s':>8} {'sohoa/s':>8} {'ratio':>6}"
        f" | {'plain/cpu-s':>11} {'sohoa/cpu-s':>11} {'ratio':>6} | {'invisible/s':>11}"
        f" | {'peak MB (plain)':>16} | {'growth MB (plain)':>17}"
    )
    lines = [
        "Signing throughput (signatures per second): sohoa batch vs plain pyHanko sign_pdf",
        head,
        "-" * len(head),
    ]
    for r in results["rows"]:
        plain, sohoa, invisible = r["plain"], r["sohoa"], r["sohoa-invisible"]
        lines.append(
            f"{r['level']:6} {r['pages']:>5} {int(sohoa['n']):>3} | {plain['per_s']:>8.1f}"
            f" {sohoa['per_s']:>8.1f} {r['ratio_wall']:>5.2f}x"
            f" | {plain['per_cpu_s']:>11.1f} {sohoa['per_cpu_s']:>11.1f} {r['ratio_cpu']:>5.2f}x"
            f" | {invisible['per_s']:>11.1f}"
            f" | {sohoa['peak_mb']:>6.0f} ({plain['peak_mb']:>3.0f}) {r['memory_limit_mb']:>5.0f}"
            f" | {sohoa['growth_mb']:>6.1f} ({plain['growth_mb']:>4.1f})"
        )
    met = "met" if results["throughput_met"] else "NOT met"
    memory = "met" if results["memory_met"] else "NOT met"
    growth = "met" if results["growth_met"] else "NOT met"
    lines.append(
        f"target >= {results['target_ratio']:.0f}x plain (wall clock): {met}; "
        f"peak memory <= 2 x PDF + {MEMORY_HEADROOM_MB} MB: {memory} "
        f"(growth while signing <= 2 x PDF: {growth})"
    )
    return lines


def _serve(pki_dir: Path) -> None:
    import threading

    from signing.testpki import open_test_pki, serve_test_pki

    with serve_test_pki(open_test_pki(pki_dir)):
        (pki_dir / "ready").write_text("ok")
        threading.Event().wait()


def main() -> None:
    """Command line: the whole benchmark, or one of its child processes."""
    parser = argparse.ArgumentParser(prog="python -m bench.signing", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer documents per side")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", nargs=5, metavar=("MODE", "PKI", "PDF", "LEVEL", "N"))
    parser.add_argument("--serve", metavar="PKI")
    args = parser.parse_args()
    if args.serve:
        _serve(Path(args.serve))
        return
    if args.child:
        mode, pki_dir, pdf, level, n = args.child
        if mode == "plain":
            _child_plain(Path(pki_dir), Path(pdf), level, int(n))
        else:
            _child_sohoa(Path(pki_dir), Path(pdf), level, int(n), invisible=mode != "sohoa")
        return
    results = run(args.quick)
    print(json.dumps(results, indent=2) if args.json else "\n".join(table(results)))


if __name__ == "__main__":
    main()
