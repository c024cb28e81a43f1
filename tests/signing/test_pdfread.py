"""Finding a page from qpdf's page list agrees with pyHanko's own page-tree walk."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing.pdfread import PagedWriter, page_objects


def _nested(pages: int, per_node: int, *, resources_on_root: bool) -> bytes:
    """A PDF whose page tree is two levels deep (intermediate /Pages nodes of
    `per_node` pages), some pages with their own resources, some inheriting them."""
    pdf = pikepdf.new()
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Pages, Kids=[], Count=pages))
    if resources_on_root:
        root.Resources = pikepdf.Dictionary(ProcSet=[pikepdf.Name.PDF])
    for start in range(0, pages, per_node):
        node = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Pages, Kids=[], Parent=root))
        if start % (2 * per_node):
            node.Resources = pikepdf.Dictionary(ProcSet=[pikepdf.Name.Text])
        for i in range(start, min(start + per_node, pages)):
            page = pikepdf.Dictionary(
                Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Parent=node
            )
            if i % 3 == 0:
                page.Resources = pikepdf.Dictionary(ProcSet=[pikepdf.Name.ImageB])
            node.Kids.append(pdf.make_indirect(page))
        node.Count = len(node.Kids)
        root.Kids.append(node)
    pdf.Root.Pages = root
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _plain(data: bytes) -> IncrementalPdfFileWriter:
    return IncrementalPdfFileWriter(io.BytesIO(data), strict=False)


def _same(a: object, b: object) -> bool:
    """Equal walk results: references by number, resources by value."""
    if isinstance(a, generic.IndirectObject) and isinstance(b, generic.IndirectObject):
        return a.reference.idnum == b.reference.idnum
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@pytest.mark.parametrize("resources_on_root", [True, False])
def test_every_page_found_as_pyhanko_finds_it(resources_on_root: bool) -> None:
    data = _nested(23, 5, resources_on_root=resources_on_root)
    paged, plain = PagedWriter(data, page_objects(data)), _plain(data)
    for ix in [*range(23), -1, -23]:
        for parent in (False, True):
            ours = paged._walk_page_tree(ix, parent)
            theirs = plain._walk_page_tree(ix, parent)
            assert _same(ours, theirs), (ix, parent, ours, theirs)
            assert paged._climb(ix, parent) is not None  # found by climbing, not by walking


def test_an_inconsistent_tree_is_walked_pyhankos_way() -> None:
    """A page count that disagrees with qpdf's list, or no list at all: pyHanko's walk."""
    data = _nested(12, 4, resources_on_root=True)
    wrong = PagedWriter(data, page_objects(data)[:-1])
    none = PagedWriter(data, ())
    plain = _plain(data)
    for writer in (wrong, none):
        assert writer._climb(-1, False) is None
        assert _same(writer._walk_page_tree(-1, False), plain._walk_page_tree(-1, False))


def test_an_unreadable_file_lists_no_pages() -> None:
    assert page_objects(b"%PDF-1.7\nnot really\n") == ()
