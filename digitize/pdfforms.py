"""The form XObjects a PDF's pages paint, nested ones included, each once.

The PDF/A preparations (fonts, soft masks, content repairs) each visit every content
stream: a page's own and those of the forms it paints (a Word drawing, an annotation's
appearance flattened into the page). One walk serves them all.
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
from pikepdf import Dictionary, Name, Pdf


def forms_of(resources: object, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Stream]:
    """The form XObjects named in a resource dictionary and in theirs, however deeply
    nested (walked with a stack, not by recursion: a hostile file may nest thousands);
    those in `seen` are skipped, and each one yielded is added to it."""
    stack = [resources]
    while stack:
        current = stack.pop()
        xobjects = current.get("/XObject") if isinstance(current, Dictionary) else None
        for xobject in xobjects.values() if isinstance(xobjects, Dictionary) else ():
            if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != Name.Form:
                continue
            if xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            yield xobject
            stack.append(xobject.get("/Resources"))


def all_forms(pdf: Pdf) -> list[pikepdf.Stream]:
    """Every form XObject the document's pages paint, each once."""
    seen: set[tuple[int, int]] = set()
    return [form for page in pdf.pages for form in forms_of(page.obj.get("/Resources"), seen)]


def content_holders(pdf: Pdf) -> list[pikepdf.Object]:
    """Each page's dictionary and each form XObject: everything with content and its own
    /Resources."""
    return [*(page.obj for page in pdf.pages), *all_forms(pdf)]
