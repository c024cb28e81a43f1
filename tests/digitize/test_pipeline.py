"""The whole digitization pipeline on real files, with real Tesseract and real PDF/A checks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest

from bench.metrics import cer
from config.catalogue import get_catalogue
from config.errors import EncryptedPdf, ToolFailed
from digitize.ocr import OcrPage
from digitize.options import DigitizeOptions
from digitize.pipeline import digitize_file
from digitize.result import PageSource
from tests.conftest import CORPORA
from tests.support.samples import born_digital, scan


def _run(path: Path, out: Path, **kwargs: object) -> object:
    return digitize_file(path, out, DigitizeOptions(), catalogue=get_catalogue(), **kwargs)  # type: ignore[arg-type]


def test_a_scanned_form_becomes_a_searchable_pdfa_with_its_type_and_data(tmp_path: Path) -> None:
    source, truth = scan(tmp_path, "to_khai_khai_sinh", dpi=300, level="clean", leaders=False)
    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue()
    )
    assert cer(result.text, truth.text) < 0.05
    assert result.classification.document_type == "to_khai_khai_sinh"
    assert result.fields["id_number"].value == truth.fields["id_number"]
    assert result.pdfa
    page = result.pages[0]
    assert (page.source, page.dpi, page.rotation) == (PageSource.OCR, 300, 0)
    assert page.confidence is not None and page.confidence > 80
    report = pikepdf.pdfa.validate_written(result.output, "2b")
    assert report.passed, report.findings
    with pikepdf.open(result.output) as pdf:
        [image] = pdf.pages[0].get_images().values()
        assert image.read_raw_bytes() == source.read_bytes()  # the scan, not a recompression
    layer = subprocess.run(
        ["pdftotext", result.output, "-"], capture_output=True, check=True, text=True
    ).stdout
    assert cer(layer, truth.text) < 0.05


def test_born_digital_pages_keep_their_text_and_are_not_ocred(tmp_path: Path) -> None:
    source, truth = born_digital(tmp_path, "quyet_dinh")

    class NoOcr:
        def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
            raise AssertionError(f"OCR ran on {what}")

    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue(), engine=NoOcr()
    )
    assert all(p.source is PageSource.TEXT_LAYER for p in result.pages)
    assert sorted(result.text.split()) == sorted(truth.text.split())  # columns read across
    assert result.classification.document_type == "quyet_dinh"
    assert result.pdfa


def test_a_page_the_engine_cannot_read_is_flagged_and_the_file_still_digitized(
    tmp_path: Path,
) -> None:
    source, _ = scan(tmp_path, "cccd")

    class Broken:
        def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
            raise ToolFailed(f"tesseract crashed on {what}")

    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue(), engine=Broken()
    )
    assert result.pages[0].flags[0] == "ocr_failed"
    assert result.output.exists() and result.text == ""


def test_an_encrypted_pdf_is_refused_with_its_reason(tmp_path: Path) -> None:
    with pytest.raises(EncryptedPdf, match=r"minimal-aes256\.pdf: is an encrypted PDF"):
        _run(CORPORA / "pyhanko/pdf/minimal-aes256.pdf", tmp_path / "out.pdf")


def test_a_signed_pdf_is_kept_byte_for_byte(tmp_path: Path) -> None:
    source = CORPORA / "pyhanko/pdf/minimal-signed-twice-both-created.pdf"
    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue()
    )
    assert result.signed_input
    assert (tmp_path / "out.pdf").read_bytes() == source.read_bytes()


def test_a_scanned_pdf_gets_a_text_layer_over_its_own_pages(tmp_path: Path) -> None:
    source = CORPORA / "ocrmypdf-resources/skew.pdf"
    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(language="eng"), catalogue=get_catalogue()
    )
    assert result.pages[0].source is PageSource.OCR
    assert "LinnSequencer" in result.text
    layer = subprocess.run(
        ["pdftotext", result.output, "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "LinnSequencer" in layer
