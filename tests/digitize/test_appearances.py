"""Numbers and days an e-office draws as signature widgets' appearances are read with the
page's words, in place, and kept in the searchable output."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from config.catalogue import get_catalogue
from digitize.ocr import OcrPage
from digitize.options import DigitizeOptions
from digitize.pdfinput import read_text_layers
from digitize.pipeline import digitize_file
from digitize.result import PageSource
from tests.conftest import CORPORA
from tests.support.eoffice import as_scan, eoffice_letter

REAL = CORPORA / "vn-admin-real"


class NoOcr:
    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        raise AssertionError(f"OCR ran on {what}")


def _digitize(source: Path, out: Path) -> object:
    return digitize_file(source, out, DigitizeOptions(), catalogue=get_catalogue(), engine=NoOcr())


def _sign(path: Path) -> Path:
    """Give the first signature field a value: the file now counts as signed."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        field = pdf.Root.AcroForm.Fields[0]
        field.V = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Sig))
        pdf.save(path)
    return path


def test_a_number_and_day_drawn_by_widgets_are_read_in_place(tmp_path: Path) -> None:
    """GIVEN a born-digital letter whose content reads "Số: /UBND-KGVX" and "ngày tháng 01",
    the number and day drawn by two signature widgets WHEN it is digitized THEN its text
    reads them where they are shown, its fields take them, and the PDF/A written from it
    (the widgets drawn into the page) carries them as searchable text."""
    source = eoffice_letter(tmp_path / "letter.pdf", number="507", day="15")
    result = _digitize(source, tmp_path / "out.pdf")
    assert result.pages[0].source is PageSource.TEXT_LAYER  # type: ignore[attr-defined]
    lines = result.text.splitlines()  # type: ignore[attr-defined]
    assert "Số: 507 /UBND-KGVX" in lines
    assert "Quảng Ngãi, ngày 15 tháng 01 năm 2025" in lines
    fields = result.fields  # type: ignore[attr-defined]
    assert fields["number_symbol"].value == "507/UBND-KGVX"
    assert fields["issue_date"].value == "2025-01-15"
    assert result.pdfa  # type: ignore[attr-defined]
    searchable = subprocess.run(
        ["pdftotext", "-layout", tmp_path / "out.pdf", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"Số: 507\s*/UBND-KGVX", searchable)
    with pikepdf.open(tmp_path / "out.pdf") as out:
        assert "/AcroForm" not in out.Root and "/Annots" not in out.pages[0].obj


def test_a_signed_letter_is_kept_byte_for_byte_and_its_widgets_read(tmp_path: Path) -> None:
    source = _sign(eoffice_letter(tmp_path / "signed.pdf", number="42", day="03"))
    result = _digitize(source, tmp_path / "out.pdf")
    assert result.signed_input  # type: ignore[attr-defined]
    assert (tmp_path / "out.pdf").read_bytes() == source.read_bytes()
    assert "Số: 42 /UBND-KGVX" in result.text.splitlines()  # type: ignore[attr-defined]


def test_a_scan_under_a_signature_widget_still_counts_as_having_no_text_layer(
    tmp_path: Path,
) -> None:
    """The widget's words join the page's text but do not make a scan a text-layer page:
    it is still OCRed (pdftoppm draws the widget into what OCR reads)."""
    Image.new("L", (850, 1100), 255).save(tmp_path / "scan.pdf", resolution=100)
    letter = eoffice_letter(tmp_path / "letter.pdf")
    with pikepdf.open(tmp_path / "scan.pdf") as scan, pikepdf.open(letter) as signed:
        widgets = [scan.copy_foreign(w) for w in signed.Root.AcroForm.Fields]
        for widget in widgets:
            widget.P = scan.pages[0].obj
        scan.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(widgets), SigFlags=3)
        scan.pages[0].obj.Annots = pikepdf.Array(widgets)
        scan.save(tmp_path / "scan-signed.pdf")
    [layer] = read_text_layers(tmp_path / "scan-signed.pdf", name="scan-signed.pdf", pages=1)
    assert layer.content_chars == 0
    assert layer.text.split() == ["507", "15"]


def test_a_signing_stamps_small_print_is_not_the_documents_text(tmp_path: Path) -> None:
    """GIVEN a letter whose number and day are widgets and whose top right carries a signing
    stamp's small print WHEN it is read THEN the number and day are in the text, in place,
    and the stamp's words ("Ký bởi…") are not."""
    source = eoffice_letter(tmp_path / "letter.pdf", stamp=True)
    [layer] = read_text_layers(source, name="letter.pdf", pages=1)
    assert "Số: 507 /UBND-KGVX" in layer.text.splitlines()
    assert "Ký" not in layer.text.split() and "10:21:11" not in layer.text
    assert {"Ký", "10:21:11"} <= {w.text for w in layer.drawn}  # read, and set aside


def test_a_scan_is_read_without_its_stamps_and_with_its_widget_number(tmp_path: Path) -> None:
    """GIVEN a scanned letter (an image) under the e-office's widgets: its number and day,
    and a stamp's small print over the motto WHEN it is OCRed (real Tesseract) THEN OCR
    reads the page without the stamp (none of its words, read or drawn, is in the text), and
    the widget number and day join the OCRed lines where they are shown."""
    letter = eoffice_letter(tmp_path / "letter.pdf", number="507", day="15", stamp=True)
    scan = as_scan(letter, tmp_path / "scan.pdf")
    result = digitize_file(scan, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue())
    assert result.pages[0].source is PageSource.OCR
    words = set(result.text.split())
    assert not words & {"Ký", "bởi:", "Thời", "09.01.2025", "10:21:11"}, result.text
    assert re.search(r"Số: ?507 ?/UBND-KGVX", result.text), result.text
    assert re.search(r"ngày 15 tháng 01 năm 2025", result.text), result.text


def _born_digital_rows() -> list[dict[str, str]]:
    with (REAL / "INDEX.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [row for row in rows if row["kind"] == "born_digital_signed"]


@pytest.mark.parametrize("row", _born_digital_rows(), ids=lambda row: row["file"])
def test_real_e_office_letters_give_their_number_and_day(
    tmp_path: Path, row: dict[str, str]
) -> None:
    """The corpus's born-digital signed letters (number and day only in widgets)."""
    result = _digitize(REAL / row["file"], tmp_path / "out.pdf")
    text = result.text  # type: ignore[attr-defined]
    number, symbol = row["number_symbol"].split("/", 1)
    assert re.search(rf"Số:\s*{number}\s*/{re.escape(symbol)}", text)
    year, month, day = row["issue_date"].split("-")
    assert re.search(rf"ngày {day} tháng {month} năm {year}", text)
    assert result.fields["number_symbol"].value == row["number_symbol"]  # type: ignore[attr-defined]
