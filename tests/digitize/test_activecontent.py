"""Active content in input PDFs: found where it hides, removed whole from an unsigned one,
and names that are not even UTF-8 (as fuzzing found) read without a crash."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from config.errors import CorruptFile
from digitize.activecontent import executable, find_active, strip_active
from digitize.pdfinput import open_pdf
from tests.support import hostile


def test_every_kind_of_active_content_is_found_and_removed(tmp_path: Path) -> None:
    with pikepdf.open(hostile.active_content_pdf(tmp_path)) as pdf:
        found = find_active(pdf)
        assert {f.split(" (")[0] for f in found} >= {
            "JavaScript",
            "embedded files",
            "automatic actions",
            "launch action",
        }
        assert executable(found)
        assert strip_active(pdf, "active.pdf") == found
        assert find_active(pdf) == [] and not pdf.attachments
        pdf.save(tmp_path / "clean.pdf")
    with pikepdf.open(tmp_path / "clean.pdf") as clean:
        assert find_active(clean) == []


def test_a_name_that_is_not_utf8_is_read_without_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "odd-names.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    odd = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Rect=pikepdf.Array([0, 0, 9, 9]))
    pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(odd)])
    pdf.save(path)
    raw = path.read_bytes().replace(b"/Type /Annot", b"/Type /Annot /Subtype /A#97B /S /J#FF")
    path.write_bytes(raw)
    with pikepdf.open(path) as reopened:
        assert find_active(reopened) == []
        assert strip_active(reopened, "odd-names.pdf") == []


def test_a_page_tree_qpdf_cannot_flatten_is_refused_as_corrupt(tmp_path: Path) -> None:
    path = hostile.fuzzed_page_tree(tmp_path)
    with pytest.raises(CorruptFile, match=r"fuzzed-tree\.pdf: is not a readable PDF"):
        open_pdf(path, name="fuzzed-tree.pdf", max_pages=50)
