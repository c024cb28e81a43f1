"""Reading long PDFs with pyHanko in linear, not quadratic, time.

pyHanko reads an object that lives in an object stream by parsing the stream's index from
its start, every time; walking the page tree of a 100-page result (to put a stamp on its
last page) reads ~100 objects from one stream, about 30 ms. Parsing each stream once and
putting all its objects in pyHanko's own object cache costs ~3 ms, and yields the very
same objects pyHanko would have read.
"""

from __future__ import annotations

import io
import logging

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.misc import PdfError, read_non_whitespace
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.xref import ObjStreamRef

log = logging.getLogger(__name__)

LONG_DOCUMENT_PAGES = 20
"""Below this many pages the quadratic reading costs too little to bother."""


def _index(data: io.BytesIO, count: int) -> list[tuple[int, int]]:
    pairs = []
    for _ in range(count):
        read_non_whitespace(data, seek_back=True)
        objnum = generic.NumberObject.read_from_stream(data)
        read_non_whitespace(data, seek_back=True)
        offset = generic.NumberObject.read_from_stream(data)
        pairs.append((int(objnum), int(offset)))
    return pairs


def _cache_stream(reader: PdfFileReader, stream_id: int) -> int:
    stream = generic.Reference(stream_id, 0, reader).get_object()
    if not isinstance(stream, generic.StreamObject) or stream.get("/Type") != "/ObjStm":
        return 0
    data = io.BytesIO(stream.read_data(DecodePurpose.OBJECT_STREAM))
    first = int(stream["/First"])
    cached = 0
    for ix, (objnum, offset) in enumerate(_index(data, int(stream["/N"]))):
        marker = reader.xrefs[generic.Reference(objnum, 0, reader)]
        current = isinstance(marker, ObjStreamRef) and (marker.obj_stream_id, marker.ix_in_stream)
        if current != (stream_id, ix) or reader.cache_get_indirect_object(0, objnum) is not None:
            continue
        data.seek(first + offset)
        obj = generic.read_object(data, generic.Reference(objnum, 0, reader))
        if isinstance(obj, (generic.StreamObject, generic.IndirectObject)):
            continue
        reader.cache_indirect_object(0, objnum, obj)
        cached += 1
    return cached


def prewarm(reader: PdfFileReader, page_count: int) -> None:
    """Cache every object of the document's object streams, if the document is long.

    Best effort: any surprise leaves pyHanko to read the objects its own way.
    """
    if page_count < LONG_DOCUMENT_PAGES or reader.encrypted:
        return
    try:
        streams = {
            ref.idnum
            for revision in range(reader.xrefs.total_revisions)
            for ref in reader.xrefs.object_streams_used_in(revision)
        }
        cached = sum(_cache_stream(reader, stream_id) for stream_id in sorted(streams))
        log.debug("cached %d objects from %d object streams", cached, len(streams))
    except (PdfError, ValueError, KeyError, TypeError) as e:
        log.debug("object stream prewarm skipped: %s", e)
