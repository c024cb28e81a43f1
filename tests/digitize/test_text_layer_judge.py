"""A PDF's own text layer is judged before it is trusted: a scanner's poor OCR layer is
replaced by sohoa's OCR, and a clerk can ask for OCR whatever the layer looks like."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from config.catalogue import get_catalogue
from digitize.options import DigitizeOptions
from digitize.pdfwriter import without_invisible_text
from digitize.pipeline import digitize_file
from digitize.plausibility import judge_text_layer
from digitize.result import PageSource
from tests.conftest import REPO
from tests.support.samples import born_digital, document, page_images, word_recall

SCANNER_OCR = (
    "UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM Doc lap - Tu do - Hanh phuc "
    "GIAY UY QUYEN Can cu Bo luat Dan su nam 2015 Hom nay, ngay 12 thang 3 nam 2024 "
    "tai Uy ban nhan dan xa, chung toi gom co: Ben uy quyen Ong/Ba So CCCD noi cap "
)
"""What a scanner's built-in OCR makes of a Vietnamese page: every mark lost."""
SCANNER_JUNK = "Gi¥y ñy quy¦n ¬ H¢m nay, ng¥y 12 th¥ng 3 n©m 2024 t¥i ñy ban nh¤n d¤n x¤ " * 3
"""... or mangled into symbols (a Latin-1 font standing in for Vietnamese)."""


def _scanner_pdf(path: Path, hidden: str) -> tuple[Path, str]:
    """A page image of a generated letter with the scanner's own invisible text over it."""
    doc = document("giay_uy_quyen", leaders=False)
    [image, *_] = page_images(doc, dpi=150)
    buffer = io.BytesIO()
    image.convert("L").save(buffer, "JPEG", quality=80)
    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    canvas.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 0, 0, *A4)
    text = canvas.beginText(40, 800)
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 10)
    for start in range(0, len(hidden), 90):
        text.textLine(hidden[start : start + 90])
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return path, doc.page_text(0)


def _pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", path, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_judging_tells_a_word_export_from_a_scanners_ocr(tmp_path: Path) -> None:
    _, truth = born_digital(tmp_path)
    assert judge_text_layer(truth.text).good
    assert not judge_text_layer(SCANNER_OCR).good
    assert not judge_text_layer(SCANNER_JUNK).good
    assert judge_text_layer("Trang 2").good  # too short to judge: kept


def test_a_scanners_poor_text_layer_is_replaced_by_ocr(tmp_path: Path) -> None:
    """GIVEN a scanned page carrying the scanner's own OCR without Vietnamese marks
    WHEN it is digitized THEN the page is OCRed instead, the report says why, and the
    searchable PDF carries sohoa's text only."""
    source, truth = _scanner_pdf(tmp_path / "kodak.pdf", SCANNER_OCR)
    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue()
    )
    page = result.pages[0]
    assert page.source is PageSource.OCR
    assert page.text_layer == "replaced"
    assert "with Vietnamese marks" in page.text_layer_reason
    assert word_recall(result.text, truth) > 0.8
    searchable = _pdftotext(result.output)
    assert word_recall(searchable, truth) > 0.8
    assert "HOI CHU NGHIA" not in searchable


def test_a_sound_text_layer_is_kept_and_reported(tmp_path: Path) -> None:
    source, _ = born_digital(tmp_path)
    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue()
    )
    assert [p.text_layer for p in result.pages] == ["kept"] * len(result.pages)
    assert all(p.source is PageSource.TEXT_LAYER for p in result.pages)


def test_sohoa_digitize_force_ocr_ocrs_a_sound_text_layer(tmp_path: Path) -> None:
    """`sohoa digitize --force-ocr`: every page is OCRed and reported as forced."""
    source, _ = born_digital(tmp_path)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SOHOA_DATA_DIR": str(tmp_path / "data"),
        "SOHOA_OCR_ENGINE": "tests.support.engines:NoText",
    }
    command = [sys.executable, "-m", "api.cli", "digitize", "--json", "--jobs", "1"]
    out = tmp_path / "out"
    proc = subprocess.run(
        [*command, "--force-ocr", "--out", str(out), str(source)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    [page] = json.loads(proc.stdout)["page_info"][:1]
    assert (page["source"], page["text_layer"]) == ("ocr", "forced")


def test_only_text_drawn_invisibly_is_dropped_and_later_text_stays_in_place() -> None:
    with pikepdf.new() as pdf:
        stream = pdf.make_stream(
            b"BT /F1 12 Tf 3 Tr (a) Tj (b) ' 1 2 (c) \" 0 Tr (seen) Tj ET "
            b"q 3 Tr Q BT (also seen) Tj ET"
        )
        kept = without_invisible_text(pikepdf.parse_content_stream(stream))
        assert pikepdf.unparse_content_stream(kept).split(b"\n") == [
            *(b"BT", b"/F1 12 Tf", b"3 Tr", b"T*", b"1 Tw", b"2 Tc", b"T*", b"0 Tr"),
            *(b"(seen) Tj", b"ET", b"q", b"3 Tr", b"Q", b"BT", b"(also seen) Tj", b"ET"),
        ]
