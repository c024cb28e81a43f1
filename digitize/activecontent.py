"""Finding and removing a PDF's active content: scripts, launch actions, embedded files.

A searchable PDF sohoa hands out must do nothing when opened. An input PDF is rewritten
into it (pages kept, text layer added), so what the input carried in its catalogue, pages
and annotations would ride along: JavaScript, actions that launch programs, submit forms
or open other files, attached files. For an unsigned input all of it is removed and the
removal logged, naming the file. A signed input is kept byte for byte, so it cannot be
cleaned without breaking its signature: one carrying scripts or launch actions is refused;
attached files in a signed PDF are passive and covered by the signature, so they stay.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from pikepdf import Array, Dictionary, Name, Object, Pdf

log = logging.getLogger(__name__)

DANGEROUS_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/RichMediaExecute",
        "/Rendition",
    }
)
"""Action types that run code, start programs, send data or open files outside the PDF."""

DROPPED_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"})
"""Annotation types that carry files or media players."""

EXECUTABLE = frozenset({"JavaScript", "launch action", "form submission"})
"""What a signed PDF may not carry: it cannot be removed without breaking the signature."""

MAX_CHAIN = 1000
"""Action chains (/Next) and outlines are walked at most this far: a hostile file can loop."""


def _name(value: object) -> str | None:
    """A PDF name as text (`/JavaScript`); None for anything else, such as a string where a
    hostile file put one (its bytes need not even decode)."""
    return value.unparse().decode("ascii", "replace") if isinstance(value, Name) else None


def _action_kind(action: Object) -> str | None:
    kind = _name(action.get("/S")) if isinstance(action, Dictionary) else None
    if kind is None or kind not in DANGEROUS_ACTIONS:
        return None
    return {
        "/JavaScript": "JavaScript",
        "/Launch": "launch action",
        "/SubmitForm": "form submission",
    }.get(kind, f"{kind[1:]} action")


def _chain(action: Object) -> Iterator[Object]:
    """An action and those its /Next entries chain to, each once."""
    seen: set[tuple[int, int]] = set()
    queue = [action]
    while queue and len(seen) < MAX_CHAIN:
        current = queue.pop()
        if not isinstance(current, Dictionary):
            continue
        if current.is_indirect:
            if current.objgen in seen:
                continue
            seen.add(current.objgen)
        yield current
        following = current.get("/Next")
        if isinstance(following, Array):
            queue.extend(following)
        elif following is not None:
            queue.append(following)


def _dangerous(action: Object | None) -> list[str]:
    return [k for a in _chain(action) if (k := _action_kind(a))] if action is not None else []


def _holders(pdf: Pdf) -> Iterator[tuple[str, Object]]:
    """Every dictionary that may hold actions: the catalogue, pages, annotations, outlines."""
    yield "the document", pdf.Root
    for number, page in enumerate(pdf.pages, start=1):
        yield f"page {number}", page.obj
        for annotation in page.obj.get("/Annots", Array()):
            if isinstance(annotation, Dictionary):
                yield f"an annotation on page {number}", annotation
    outlines = pdf.Root.get("/Outlines")
    item = outlines.get("/First") if isinstance(outlines, Dictionary) else None
    seen: set[tuple[int, int]] = set()
    while isinstance(item, Dictionary) and len(seen) < MAX_CHAIN:
        if item.is_indirect and item.objgen in seen:
            break
        if item.is_indirect:
            seen.add(item.objgen)
        yield "a bookmark", item
        item = item.get("/Next")


def _findings_in(where: str, holder: Object) -> list[str]:
    found = [f"{kind} ({where})" for kind in _dangerous(holder.get("/A"))]
    if where == "the document":
        found += [f"{kind} (on opening)" for kind in _dangerous(holder.get("/OpenAction"))]
        names = holder.get("/Names")
        if isinstance(names, Dictionary):
            if "/JavaScript" in names:
                found.append("JavaScript (document scripts)")
            if "/EmbeddedFiles" in names:
                found.append("embedded files")
        form = holder.get("/AcroForm")
        if isinstance(form, Dictionary) and "/XFA" in form:
            found.append("an XFA form")
    if "/AA" in holder:
        found.append(f"automatic actions ({where})")
    subtype = _name(holder.get("/Subtype"))
    if subtype in DROPPED_ANNOTATIONS:
        found.append(f"{subtype[1:]} ({where})")
    return found


def find_active(pdf: Pdf) -> list[str]:
    """What active content the PDF carries, where: empty for a PDF that does nothing."""
    return [f for where, holder in _holders(pdf) for f in _findings_in(where, holder)]


def executable(findings: list[str]) -> list[str]:
    """The findings that run something (what a signed PDF is refused for)."""
    return [f for f in findings if f.split(" (", 1)[0] in EXECUTABLE or "automatic" in f]


def strip_active(pdf: Pdf, name: str) -> list[str]:
    """Remove every active content from the PDF in place; what was removed (logged)."""
    found = find_active(pdf)
    if not found:
        return found
    root = pdf.Root
    if _dangerous(root.get("/OpenAction")):
        del root["/OpenAction"]
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                del names[key]
    form = root.get("/AcroForm")
    if isinstance(form, Dictionary) and "/XFA" in form:
        del form["/XFA"]
    for _, holder in _holders(pdf):
        if "/AA" in holder:
            del holder["/AA"]
        if _dangerous(holder.get("/A")):
            del holder["/A"]
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, Array):
            kept = [a for a in annots if _name(a.get("/Subtype")) not in DROPPED_ANNOTATIONS]
            page.obj[Name.Annots] = Array(kept)
    log.warning("%s: removed active content: %s", name, "; ".join(found))
    return found
