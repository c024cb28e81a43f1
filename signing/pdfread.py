"""Reading long PDFs with pyHanko without reading every page.

Two costs grow with the page count when pyHanko adds a stamp to the last page of a long
result, and neither is needed:

- pyHanko finds page n by walking the page tree from the first page, parsing each page
  dictionary on the way (its parser is pure Python: ~1.5 ms a page, so ~150 ms to reach
  page 100). qpdf lists the pages in a fraction of a millisecond, so PagedWriter asks qpdf
  (through pikepdf) which object page n is and climbs from that page to the root,
  checking each step, instead; anything unexpected falls back to pyHanko's walk.
- pyHanko reads an object that lives in an object stream by decoding the stream's index
  from its start, every time. IndexedReader parses each stream's index once, then reads
  just the objects asked for.

Both override private methods of pyHanko (`_get_object_from_stream`, `_walk_page_tree`):
this module is the one place sohoa reaches into pyHanko's internals. They are used only
with the pyHanko minor version they were written against (TESTED_PYHANKO, the one
pyproject.toml pins) and while those methods keep their signatures; otherwise
`incremental_writer` gives pyHanko's own writer, slower on long documents but correct.
"""

from __future__ import annotations

import inspect
import io
import logging
from collections.abc import Sequence
from importlib.metadata import version

import pikepdf
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError, read_non_whitespace
from pyhanko.pdf_utils.reader import PdfFileReader

log = logging.getLogger(__name__)

TESTED_PYHANKO = "0.38"
"""The pyHanko minor version whose private reader and writer methods the overrides below
follow (pyproject.toml pins pyhanko to it)."""

OVERRIDDEN = (
    (PdfFileReader, "_get_object_from_stream", ("self", "idnum", "stmnum", "idx")),
    (IncrementalPdfFileWriter, "_walk_page_tree", ("self", "page_ix", "retrieve_parent")),
)
"""pyHanko's private methods overridden here, with the parameters they are written for."""


def internals_match(pyhanko_version: str) -> bool:
    """Whether the overrides fit this pyHanko: the version they were written against, and
    each overridden method still there with the same parameters."""
    if pyhanko_version.split(".")[:2] != TESTED_PYHANKO.split("."):
        return False
    for cls, name, params in OVERRIDDEN:
        method = getattr(cls, name, None)
        if method is None or tuple(inspect.signature(method).parameters) != params:
            return False
    return True


INTERNALS_MATCH = internals_match(version("pyhanko"))
if not INTERNALS_MATCH:
    log.warning(
        "pyHanko %s is not %s.x: long documents are signed pyHanko's own (slower) way",
        version("pyhanko"),
        TESTED_PYHANKO,
    )


class _StreamIndex:
    """One object stream, decoded, with the offset of each object it holds."""

    def __init__(self, data: bytes, first: int, offsets: dict[int, tuple[int, int]]) -> None:
        self.data = data
        self.first = first
        self.offsets = offsets
        """Object number -> (index in the stream, offset after /First)."""


def _read_index(reader: PdfFileReader, stream_id: int) -> _StreamIndex | None:
    stream = generic.Reference(stream_id, 0, reader).get_object()
    if not isinstance(stream, generic.StreamObject) or stream.get("/Type") != "/ObjStm":
        return None
    data = stream.read_data(DecodePurpose.OBJECT_STREAM)
    buffer = io.BytesIO(data)
    offsets: dict[int, tuple[int, int]] = {}
    for ix in range(int(stream["/N"])):
        read_non_whitespace(buffer, seek_back=True)
        objnum = int(generic.NumberObject.read_from_stream(buffer))
        read_non_whitespace(buffer, seek_back=True)
        offset = int(generic.NumberObject.read_from_stream(buffer))
        offsets.setdefault(objnum, (ix, offset))
    return _StreamIndex(data, int(stream["/First"]), offsets)


class IndexedReader(PdfFileReader):
    """pyHanko's reader with each object stream's index parsed once.

    Any surprise (a damaged index, an object not where the xref table says, a stream or
    reference inside a stream) hands the object back to pyHanko's own reading, which
    knows how to report or tolerate it.
    """

    def __init__(self, stream: io.BytesIO, *, strict: bool) -> None:
        self._indexes: dict[int, _StreamIndex | None] = {}
        super().__init__(stream, strict=strict)

    def _index(self, stream_id: int) -> _StreamIndex | None:
        if stream_id not in self._indexes:
            try:
                self._indexes[stream_id] = _read_index(self, stream_id)
            except (PdfError, ValueError, KeyError, TypeError) as e:
                log.debug("object stream %d: index unreadable (%s)", stream_id, e)
                self._indexes[stream_id] = None
        return self._indexes[stream_id]

    def _get_object_from_stream(self, idnum: int, stmnum: int, idx: int) -> generic.PdfObject:
        index = self._index(stmnum)
        found = index.offsets.get(idnum) if index is not None else None
        if index is None or found is None or found[0] != idx:
            return super()._get_object_from_stream(idnum, stmnum, idx)  # type: ignore[no-untyped-call,no-any-return]
        buffer = io.BytesIO(index.data)
        buffer.seek(index.first + found[1])
        try:
            obj = generic.read_object(buffer, generic.Reference(idnum, 0, self))
        except PdfError:
            obj = None
        if obj is None or isinstance(obj, (generic.StreamObject, generic.IndirectObject)):
            return super()._get_object_from_stream(idnum, stmnum, idx)  # type: ignore[no-untyped-call,no-any-return]
        return obj


MAX_TREE_DEPTH = 64
"""A page tree deeper than this is read pyHanko's way (real ones are a few levels)."""

PageWalk = (
    tuple[generic.IndirectObject, generic.PdfObject]
    | tuple[generic.IndirectObject, int, generic.PdfObject]
)


def page_objects(data: bytes) -> tuple[tuple[int, int], ...]:
    """Object and generation number of every page, in order, as qpdf reads the tree;
    none if qpdf cannot read it (pyHanko then walks the tree its own way, or refuses)."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return tuple(page.obj.objgen for page in pdf.pages)
    except pikepdf.PdfError as e:
        log.debug("qpdf cannot list the pages (%s)", e)
        return ()


class PagedWriter(IncrementalPdfFileWriter):
    """pyHanko's incremental writer (on an IndexedReader) that finds a page by its object
    number from qpdf rather than by walking every page before it."""

    def __init__(self, data: bytes, pages: Sequence[tuple[int, int]]) -> None:
        stream = io.BytesIO(data)
        super().__init__(stream, prev=IndexedReader(stream, strict=False))
        self._pages = tuple(pages)

    def _walk_page_tree(self, page_ix: int, retrieve_parent: bool) -> PageWalk:
        try:
            found = self._climb(page_ix, retrieve_parent)
        except (PdfError, ValueError, KeyError, TypeError, AttributeError) as e:
            log.debug("page %d: climbing the page tree failed (%s)", page_ix, e)
            found = None
        if found is None:
            return super()._walk_page_tree(page_ix, retrieve_parent)  # type: ignore[no-untyped-call,no-any-return]
        return found

    def _climb(self, page_ix: int, retrieve_parent: bool) -> PageWalk | None:
        """What pyHanko's walk returns for the page, found from the page up: None if the
        tree is not the plain, consistent one that makes both ways agree."""
        root_ref = self.root.raw_get("/Pages")
        count = len(self._pages)
        ix = page_ix + count if page_ix < 0 else page_ix
        if (
            not isinstance(root_ref, generic.IndirectObject)
            or root_ref.get_object().get("/Count") != count
            or not 0 <= ix < count
        ):
            return None
        page_ref = generic.IndirectObject(*self._pages[ix], self)
        page = page_ref.get_object()
        if not isinstance(page, generic.DictionaryObject) or page.get("/Type") != "/Page":
            return None
        chain = _ancestors(page_ref, page, root_ref)
        if chain is None:
            return None
        (parent_ref, kid_ref, kid_index), nodes = chain[0], [node for _, node in chain[1]]
        # Resources as pyHanko inherits them: those of the nearest node above the page
        # that has its own (the root included), then the page's own.
        resources: generic.PdfObject = generic.DictionaryObject()
        for node in reversed(nodes):
            if "/Resources" in node:
                resources = node.raw_get("/Resources")
        if retrieve_parent:
            return parent_ref, kid_index, resources
        if "/Resources" in page:
            resources = page.raw_get("/Resources")
        return kid_ref, resources


Ancestors = tuple[
    tuple[generic.IndirectObject, generic.IndirectObject, int],
    list[tuple[generic.IndirectObject, generic.DictionaryObject]],
]


def _ancestors(
    page_ref: generic.IndirectObject,
    page: generic.DictionaryObject,
    root_ref: generic.IndirectObject,
) -> Ancestors | None:
    """The page's parent, the page's reference in the parent's /Kids and its place there,
    and every node from the parent up to the root; None unless each node is its parent's
    kid exactly once and the climb reaches the root."""
    chain: list[tuple[generic.IndirectObject, generic.DictionaryObject]] = []
    child, node = page_ref.reference, page
    first: tuple[generic.IndirectObject, generic.IndirectObject, int] | None = None
    while len(chain) <= MAX_TREE_DEPTH:
        parent_ref = node.raw_get("/Parent")
        parent = parent_ref.get_object() if isinstance(parent_ref, generic.IndirectObject) else None
        if not isinstance(parent, generic.DictionaryObject):
            return None
        kids = list(parent["/Kids"])  # iterated: the references, not their objects
        places = [i for i, k in enumerate(kids) if getattr(k, "reference", None) == child]
        if len(places) != 1:
            return None
        if first is None:
            first = (parent_ref, kids[places[0]], places[0])
        chain.append((parent_ref, parent))
        if parent_ref.reference == root_ref.reference:
            return first, chain
        child, node = parent_ref.reference, parent
    return None


def incremental_writer(data: bytes) -> IncrementalPdfFileWriter:
    """pyHanko's incremental writer on the document: the paged one (pages found through
    qpdf, object streams indexed once) where pyHanko's internals are the ones it was
    written for, pyHanko's own otherwise."""
    if INTERNALS_MATCH:
        return PagedWriter(data, page_objects(data))
    return IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
