"""Images painted inside text objects moved out of them before a PDF/A save.

A provincial e-office draws its signing stamp's logo as `BT 1 0 0 1 x y Tm q … cm /Im Do Q …
ET`: an XObject painted inside a text object, which PDF does not allow (PDF 32000 9.4: only
text, state and marked-content operators go between BT and ET). Viewers draw it anyway;
pikepdf's PDF/A validator cannot check such a stream and refuses the file, which kept
vn-admin-real's born-digital letters from becoming PDF/A once their widgets were flattened
into the page. A `q … Do … Q` group in a text object does not depend on the text state, and
the graphics state it starts from is the one before BT (text operators change none of it),
so the group is moved to just before its BT: the page looks the same. A group after any
other operator (a colour, a dash) is left where it is, and the file stays plain PDF.
Hand-written because neither pikepdf nor qpdf rewrites content streams this way.

Also here: resource dictionaries holding keys a resource dictionary does not have. qpdf
gives the appearances it flattens the form's default resources (AcroForm /DR), which
carry the form's text /Encoding; the validator does not check what it does not know and
refuses the file (vn-admin-real's vnadm-12). The key means nothing to a page's content.
"""

from __future__ import annotations

from typing import Any

import pikepdf
from pikepdf import Dictionary, Pdf

from digitize.pdfforms import all_forms, content_holders

TEXT_STATE = frozenset(
    {"Tm", "Td", "TD", "T*", "Tf", "Tc", "Tw", "Tz", "TL", "Ts", "Tr", "Tj", "TJ", "'", '"'}
)
"""Operators that leave the graphics state as it was before BT."""

Instruction = Any
"""pikepdf.ContentStreamInstruction or ContentStreamInlineImage."""


def _group_end(ops: list[str], start: int) -> int | None:
    """The index of the Q closing the q at `start`, if the group paints an XObject."""
    depth, paints = 0, False
    for index in range(start, len(ops)):
        if ops[index] == "q":
            depth += 1
        elif ops[index] == "Q":
            depth -= 1
            if depth == 0:
                return index if paints else None
        elif ops[index] == "Do":
            paints = True
    return None


def hoisted(instructions: list[Instruction]) -> list[Instruction] | None:
    """The stream with each XObject-painting q…Q group of a text object moved before its
    BT; None when nothing was moved."""
    ops = [str(item.operator) for item in instructions]
    out: list[Instruction] = []
    text: list[Instruction] = []
    in_text, moved, safe = False, False, True
    index = 0
    while index < len(instructions):
        op = ops[index]
        if op == "BT":
            in_text, safe, text = True, True, [instructions[index]]
        elif op == "ET" and in_text:
            out.extend([*text, instructions[index]])
            in_text = False
        elif in_text and op == "q" and safe and (end := _group_end(ops, index)) is not None:
            out.extend(instructions[index : end + 1])
            moved, index = True, end + 1
            continue
        elif in_text:
            safe = safe and op in TEXT_STATE
            text.append(instructions[index])
        else:
            out.append(instructions[index])
        index += 1
    if in_text:
        out.extend(text)
    return out if moved else None


def _may_need(data: bytes) -> bool:
    """Whether a content stream has both a text object and an XObject painted (parsing
    every stream of a long born-digital PDF to find none would cost more than the save)."""
    return b"BT" in data and b"Do" in data


def _page_bytes(page: pikepdf.Page) -> bytes:
    contents = page.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    return b"".join(s.read_bytes() for s in streams if isinstance(s, pikepdf.Stream))


RESOURCE_KEYS = frozenset(
    {
        "/ExtGState",
        "/ColorSpace",
        "/Pattern",
        "/Shading",
        "/XObject",
        "/Font",
        "/ProcSet",
        "/Properties",
    }
)
"""What a resource dictionary holds (PDF 32000 7.8.3, table 33)."""


def drop_foreign_resource_keys(pdf: Pdf) -> int:
    """Remove keys other than RESOURCE_KEYS from every page's and form XObject's resource
    dictionary; returns how many were removed."""
    removed = 0
    for holder in content_holders(pdf):
        resources = holder.get("/Resources")
        if not isinstance(resources, Dictionary):
            continue
        for key in [k for k in list(resources.keys()) if k not in RESOURCE_KEYS]:
            del resources[key]
            removed += 1
    return removed


def move_images_out_of_text(pdf: Pdf) -> int:
    """Rewrite every page and form XObject painting an XObject inside a text object;
    returns how many streams were rewritten."""
    rewritten = 0
    for page in pdf.pages:
        if not _may_need(_page_bytes(page)):
            continue
        fixed = hoisted(list(pikepdf.parse_content_stream(page)))
        if fixed is not None:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(fixed))
            rewritten += 1
    for form in all_forms(pdf):
        if not _may_need(form.read_bytes()):
            continue
        fixed = hoisted(list(pikepdf.parse_content_stream(form)))
        if fixed is not None:
            form.write(pikepdf.unparse_content_stream(fixed))
            rewritten += 1
    return rewritten
