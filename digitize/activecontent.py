"""Finding and removing a PDF's active content: scripts, launch actions, embedded files.

A searchable PDF sohoa hands out must do nothing when opened. An input PDF is rewritten
into it (pages kept, text layer added), so what the input carried in its catalogue, pages
and annotations would ride along: JavaScript, actions that launch programs, submit forms
or open other files, attached files, XFA forms. Actions hide in the catalogue (/OpenAction,
/AA, /Names /JavaScript), pages (/AA), annotations (/A, /AA) and every form field of the
AcroForm tree (/Fields, /Kids, a widget's /Parent): all are walked, each dictionary once
and to a bounded depth. For an unsigned input all of it is removed and the removal logged,
naming the file. A signed input is kept byte for byte, so it cannot be cleaned without
breaking its signature: one carrying scripts, launch actions or an XFA form is refused;
attached files in a signed PDF are passive and covered by the signature, so they stay.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TypeGuard

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

XFA = "an XFA form"
"""An XML form (/AcroForm /XFA): its scripts run in the viewers that read XFA."""

TOO_LARGE = "form fields or bookmarks too deep or too many to inspect"
"""A walk cut short by MAX_DEPTH or MAX_OBJECTS: whatever lies beyond may run."""

EXECUTABLE = frozenset({"JavaScript", "launch action", "form submission", XFA, TOO_LARGE})
"""What a signed PDF may not carry: it cannot be removed without breaking the signature."""

MAX_CHAIN = 1000
"""Action chains (/Next) are followed at most this far: a hostile file can loop."""

MAX_DEPTH = 32
"""Form fields and bookmarks are followed at most this deep (/Kids or /First down, /Parent
up): real ones nest a few levels; deeper is a file built to hide something, and is treated
as such (TOO_LARGE)."""

MAX_OBJECTS = 100_000
"""Dictionaries looked at, at most, in one file (fields, annotations, bookmarks): a bound on
the time a hostile file can cost; one that reaches it is treated as TOO_LARGE."""


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


class _Walk:
    """Dictionaries visited once each (a hostile file can make any reference loop), and
    whether a bound cut the walk short."""

    def __init__(self) -> None:
        self.seen: set[tuple[int, int]] = set()
        self.cut = False

    def first_time(self, item: object) -> TypeGuard[Dictionary]:
        """Whether `item` is a dictionary not visited yet (then it counts as visited)."""
        if not isinstance(item, Dictionary):
            return False
        if not item.is_indirect:
            return True
        if item.objgen in self.seen:
            return False
        if len(self.seen) >= MAX_OBJECTS:
            self.cut = True
            return False
        self.seen.add(item.objgen)
        return True


def _fields(form: Object | None, walk: _Walk) -> Iterator[Dictionary]:
    """Every field and widget of an AcroForm: /Fields and their /Kids, depth first."""
    fields = form.get("/Fields") if isinstance(form, Dictionary) else None
    stack: list[tuple[object, int]] = []
    if isinstance(fields, Array):
        stack = [(f, 0) for f in reversed(list(fields))]
    while stack:
        field, depth = stack.pop()
        if depth > MAX_DEPTH:
            walk.cut = True
            continue
        if not walk.first_time(field):
            continue
        yield field
        kids = field.get("/Kids")
        if isinstance(kids, Array):
            stack.extend((kid, depth + 1) for kid in reversed(list(kids)))


def _parents(annotation: Dictionary, walk: _Walk) -> Iterator[Dictionary]:
    """The fields a widget belongs to (/Parent upwards): a field's own /AA runs when its
    widget is used, even if the form's /Fields leaves the field out."""
    parent = annotation.get("/Parent")
    for _ in range(MAX_DEPTH):
        if not walk.first_time(parent):
            return
        yield parent
        parent = parent.get("/Parent")
    walk.cut = isinstance(parent, Dictionary)


def _holders(pdf: Pdf, walk: _Walk) -> Iterator[tuple[str, Object]]:
    """Every dictionary that may hold actions, each once: the catalogue, pages, their
    annotations (and the fields above a widget), outlines, and the form's field tree."""
    yield "the document", pdf.Root
    for number, page in enumerate(pdf.pages, start=1):
        yield f"page {number}", page.obj
        for annotation in page.obj.get("/Annots", Array()):
            if walk.first_time(annotation):
                yield f"an annotation on page {number}", annotation
                for field in _parents(annotation, walk):
                    yield f"a form field on page {number}", field
    yield from (("a bookmark", item) for item in _bookmarks(pdf.Root.get("/Outlines"), walk))
    yield from (("a form field", field) for field in _fields(pdf.Root.get("/AcroForm"), walk))


def _bookmarks(outlines: Object | None, walk: _Walk) -> Iterator[Dictionary]:
    """Every bookmark: each level's /First then /Next, and the levels under each."""
    first = outlines.get("/First") if isinstance(outlines, Dictionary) else None
    stack: list[tuple[object, int]] = [(first, 0)]
    while stack:
        item, depth = stack.pop()
        while walk.first_time(item):
            yield item
            if depth < MAX_DEPTH:
                stack.append((item.get("/First"), depth + 1))
            elif "/First" in item:
                walk.cut = True
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
            found.append(XFA)
    if "/AA" in holder:
        found.append(f"automatic actions ({where})")
    subtype = _name(holder.get("/Subtype"))
    if subtype in DROPPED_ANNOTATIONS:
        found.append(f"{subtype[1:]} ({where})")
    return found


def find_active(pdf: Pdf) -> list[str]:
    """What active content the PDF carries, where: empty for a PDF that does nothing."""
    walk = _Walk()
    found = [f for where, holder in _holders(pdf, walk) for f in _findings_in(where, holder)]
    return [*found, TOO_LARGE] if walk.cut else found


def executable(findings: list[str]) -> list[str]:
    """The findings that run something (what a signed PDF is refused for)."""
    return [f for f in findings if f.split(" (", 1)[0] in EXECUTABLE or "automatic" in f]


def _strip_catalogue(root: Object, cut: bool) -> None:
    """Remove what the catalogue holds: scripts on opening, document scripts, attached
    files, the XFA form; the form and bookmarks whole if they could not all be walked."""
    if _dangerous(root.get("/OpenAction")):
        del root["/OpenAction"]
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                del names[key]
    form = root.get("/AcroForm")
    if isinstance(form, Dictionary) and "/XFA" in form:
        del form["/XFA"]  # the AcroForm fields stay; an XFA viewer has nothing to run
    if "/NeedsRendering" in root:
        del root["/NeedsRendering"]  # it asks for the XFA, now gone
    for key in ("/AcroForm", "/Outlines") if cut else ():
        if key in root:
            del root[key]  # what could not all be looked at is not kept


def strip_active(pdf: Pdf, name: str) -> list[str]:
    """Remove every active content from the PDF in place; what was removed (logged)."""
    found = find_active(pdf)
    if not found:
        return found
    walk = _Walk()
    for _, holder in list(_holders(pdf, walk)):
        if "/AA" in holder:
            del holder["/AA"]
        if _dangerous(holder.get("/A")):
            del holder["/A"]
    _strip_catalogue(pdf.Root, walk.cut)
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, Array):
            kept = [a for a in annots if _name(a.get("/Subtype")) not in DROPPED_ANNOTATIONS]
            page.obj[Name.Annots] = Array(kept)
    log.warning("%s: removed active content: %s", name, "; ".join(found))
    return found
