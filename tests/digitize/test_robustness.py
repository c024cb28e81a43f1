"""Bad input and slow pages: a clear error or a repaired result, never a hung batch."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from config.catalogue import get_catalogue
from config.errors import CorruptFile, EncryptedPdf, ImageTooLarge, InputRejected, SohoaError
from digitize.batch import digitize_batch
from digitize.options import DigitizeOptions
from digitize.pipeline import digitize_file
from digitize.result import DigitizedDocument
from tests.conftest import CORPORA
from tests.support.samples import scan


def _run(path: Path, tmp: Path, options: DigitizeOptions | None = None) -> DigitizedDocument:
    options = options or DigitizeOptions()
    return digitize_file(path, tmp / "out.pdf", options, catalogue=get_catalogue())


def test_a_pdf_with_a_broken_xref_is_repaired(tmp_path: Path) -> None:
    result = _run(CORPORA / "pyhanko/pdf/minimal-badxref.pdf", tmp_path)
    assert len(result.pages) == 1 and result.output.exists()


def test_a_pdf_without_pages_is_refused(tmp_path: Path) -> None:
    pdf = pikepdf.Pdf.new()
    pdf.save(tmp_path / "empty.pdf")
    with pytest.raises(CorruptFile, match="no pages"):
        _run(tmp_path / "empty.pdf", tmp_path)


def test_a_20000_pixel_square_image_is_refused_before_decoding(tmp_path: Path) -> None:
    Image.new("L", (20000, 20000), 255).save(tmp_path / "bomb.jpg", quality=10)
    started = time.monotonic()
    with pytest.raises(ImageTooLarge, match=r"bomb\.jpg"):
        _run(tmp_path / "bomb.jpg", tmp_path, DigitizeOptions(max_image_pixels=150_000_000))
    assert time.monotonic() - started < 5


def test_a_page_past_its_time_limit_is_flagged_and_the_rest_read(tmp_path: Path) -> None:
    source, _ = scan(tmp_path, "giay_chung_sinh", fmt="TIFF")
    result = _run(source, tmp_path, DigitizeOptions(page_timeout=0.01))
    assert result.pages[0].flags[0] == "ocr_failed"
    assert result.output.exists()


def test_a_batch_reads_in_parallel_in_input_order_and_goes_past_bad_files(tmp_path: Path) -> None:
    first, _ = scan(tmp_path, "cccd", name="a.jpg", leaders=False)
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 truncated")
    third, _ = scan(tmp_path, "giay_uy_quyen", name="c.png", fmt="PNG", leaders=False)
    encrypted = CORPORA / "pyhanko/pdf/minimal-aes256.pdf"
    sources = [first, tmp_path / "b.pdf", third, encrypted]
    parallel = digitize_batch(
        sources, tmp_path / "p", DigitizeOptions(jobs=2), catalogue=get_catalogue()
    )
    sequential = digitize_batch(
        sources, tmp_path / "s", DigitizeOptions(jobs=1), catalogue=get_catalogue()
    )
    kinds = [type(r).__name__ for r in parallel]
    assert kinds == ["DigitizedDocument", "CorruptFile", "DigitizedDocument", "EncryptedPdf"]
    for a, b in zip(parallel, sequential, strict=True):
        if isinstance(a, DigitizedDocument):
            assert isinstance(b, DigitizedDocument) and a.text == b.text
        else:
            assert isinstance(a, SohoaError) and isinstance(b, InputRejected) and a.code == b.code
    assert isinstance(parallel[3], EncryptedPdf)


MEMORY_PROBE = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from PIL import Image
    from config.catalogue import get_catalogue
    from digitize.ocr import OcrPage
    from digitize.options import DigitizeOptions
    from digitize.pipeline import digitize_file

    class Blank:  # OCR is not under test here: memory is, so pages are read instantly
        def recognize(self, image, workdir, *, dpi, what):
            return OcrPage("", (), None)

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = digitize_file(Path(sys.argv[1]), Path(sys.argv[1]).with_suffix(".out.pdf"),
                           DigitizeOptions(jobs=2), catalogue=get_catalogue(), engine=Blank())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(len(result.pages), (peak - before) // 1024)
    """
)


def test_a_100_page_300_dpi_scan_is_digitized_in_bounded_memory(tmp_path: Path) -> None:
    """GIVEN a 100-page A4 scan at 300 dpi (8.7 Mpx a page, 870 MB if all held decoded)
    WHEN it is digitized THEN the process grows by far less than one tenth of that."""
    page = Image.new("1", (2480, 3508), 1)
    page.paste(0, (300, 300, 2180, 360))
    frames = [page.copy() for _ in range(100)]
    frames[0].save(
        tmp_path / "big.tif",
        save_all=True,
        append_images=frames[1:],
        compression="group4",
        dpi=(300, 300),
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, tmp_path / "big.tif"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=600,
    )
    pages, growth_mb = map(int, proc.stdout.split())
    assert pages == 100
    assert growth_mb < 300
