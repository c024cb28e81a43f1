"""Objects serving in two roles, given one copy per role before a PDF/A save.

Real e-office PDFs draw a signing stamp as a PNG with transparency: an image and its soft
mask. Some of them also paint that soft mask on its own, as an image of the page, so one
stream is both an image XObject and another image's /SMask. PDF allows it; pikepdf's PDF/A
validator checks each object in one role only and refuses the file ("object already checked
as XObject"), which kept every real e-office scan of vn-admin-real from becoming PDF/A.
Giving the mask its own copy changes nothing on the page and lets each role be checked.
Hand-written because no library offers it; pikepdf's validator is the one we keep.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Dictionary, Name, Pdf

from digitize.pdfforms import content_holders

_COPIED_KEYS_SKIPPED = {"/Length"}


def _xobjects(pdf: Pdf) -> set[tuple[int, int]]:
    """Every indirect stream named in some /XObject resource dictionary, pages and forms."""
    named: set[tuple[int, int]] = set()
    for holder in content_holders(pdf):
        resources = holder.get("/Resources")
        xobjects = resources.get("/XObject") if isinstance(resources, Dictionary) else None
        for xobject in xobjects.values() if isinstance(xobjects, Dictionary) else ():
            if isinstance(xobject, pikepdf.Stream) and xobject.is_indirect:
                named.add(xobject.objgen)
    return named


def _copy(pdf: Pdf, stream: pikepdf.Stream) -> pikepdf.Stream:
    """A new stream with the same encoded data and dictionary."""
    copy = pikepdf.Stream(pdf, stream.read_raw_bytes())
    for key, value in stream.items():
        if key not in _COPIED_KEYS_SKIPPED:
            copy[key] = value
    return pdf.make_indirect(copy)


def unshare_soft_masks(pdf: Pdf) -> int:
    """Give each image's /SMask that is also painted as an image its own copy; returns how
    many were copied."""
    named = _xobjects(pdf)
    copied = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") != Name.Image:
            continue
        mask = obj.get("/SMask")
        if isinstance(mask, pikepdf.Stream) and mask.is_indirect and mask.objgen in named:
            obj.SMask = _copy(pdf, mask)
            copied += 1
    return copied
