"""The invisible text sohoa draws over a scan from the OCR's word boxes: found by text
extraction where the words were read, in Vietnamese as read, one font for the document,
and the file still PDF/A-2b."""

from __future__ import annotations

import subprocess
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest

from digitize._exec.tesseract import Word
from digitize.images import EmbeddedImage
from digitize.pdfwriter import DocumentMetadata, SearchablePdf

WIDTH, HEIGHT, DPI = 1240, 1754, 150
LINES = [
    ["ỦY", "BAN", "NHÂN", "DÂN", "XÃ", "HÒA", "BÌNH"],
    ["Số:", "12/QĐ-UBND"],
    ["Đường", "Nguyễn", "Trãi,", "tỉnh", "Đắk", "Lắk"],
]


def _words() -> list[Word]:
    words = []
    for number, line in enumerate(LINES):
        left = 100
        for text in line:
            width = 28 * len(text)
            words.append(Word(text, left, 200 + 90 * number, width, 40, 91.0, (1, 1, number)))
            left += width + 24
    return words


def _blank() -> EmbeddedImage:
    pixels = zlib.compress(b"\xff" * (WIDTH * HEIGHT))
    return EmbeddedImage(pixels, WIDTH, HEIGHT, "/DeviceGray", 8, "/FlateDecode")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bool]:
    out = tmp_path_factory.mktemp("layer") / "out.pdf"
    with SearchablePdf() as doc:
        for turn in (0.0, 90.0):
            doc.add_image_page(_blank(), dpi=DPI, rotation=turn)
            doc.add_text_layer(len(doc.pdf.pages) - 1, _words(), (WIDTH, HEIGHT))
        pdfa = doc.save(out, DocumentMetadata(title="Quyết định"), pdfa=True)
    return out, pdfa


def test_the_words_are_extracted_as_read_line_by_line(written: tuple[Path, bool]) -> None:
    out, pdfa = written
    assert pdfa
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", out, "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines == [" ".join(line) for line in LINES]


def test_each_word_lies_over_its_box(written: tuple[Path, bool]) -> None:
    out, _ = written
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", out, "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = ElementTree.fromstring(html.split("<body>")[1].split("</body>")[0])
    boxes = [
        (w.text, float(w.get("xMin", 0)), float(w.get("yMax", 0)))
        for w in found.iter()
        if w.tag == "word"
    ]
    scale = 72 / DPI
    for word, (text, x, bottom) in zip(_words(), boxes, strict=True):
        assert text == word.text
        assert x == pytest.approx(word.left * scale, abs=1.0)
        assert bottom == pytest.approx((word.top + word.height) * scale, abs=word.height * scale)


def test_the_document_carries_one_font_for_every_page(written: tuple[Path, bool]) -> None:
    out, _ = written
    with pikepdf.open(out) as pdf:
        fonts = {
            font.objgen
            for page in pdf.pages
            for form in page.Resources.XObject.values()
            if form.get("/Subtype") == "/Form"
            for font in form.Resources.Font.values()
        }
        assert len(fonts) == 1
        assert len(pdf.pages) == 2


def test_a_page_with_no_words_gets_no_layer(tmp_path: Path) -> None:
    with SearchablePdf() as doc:
        doc.add_image_page(_blank(), dpi=DPI, rotation=0.0)
        doc.add_text_layer(0, [], (WIDTH, HEIGHT))
        assert "/Font" not in repr(doc.pdf.pages[0].Resources)
