"""PDF/A-2b before and after signing: a signature must not cost a result its archival form.

pikepdf's validator does not check interactive forms, DocMDP permissions or the DSS (it
reports them as "not checked"), so the check is: the file still declares PDF/A-2, and
signing added no violation to those pikepdf finds in the input. (On a signed file the
validator stops at the catalog's /AcroForm: what it checks there is the file structure,
the catalog and the XMP metadata, not the pages or the stamp's appearance.)

The input is validated only when the output has violations, to tell the ones signing
added from those it inherited; its full validation walks every page's content. A batch
validates the first document it signs with each configuration (the same signer, level
and stamp append the same kinds of objects to every document), and checks the
declaration of every other one; EVERY validates every document.
"""

from __future__ import annotations

import io
import logging
from enum import StrEnum

import pikepdf

from signing.errors import PdfaLost

log = logging.getLogger(__name__)

FLAVOUR = "2b"


class PdfaCheck(StrEnum):
    """How thoroughly signing checks that a PDF/A-2b input stays PDF/A-2b."""

    EVERY = "every"
    """Full validation of every input and output."""
    BATCH = "batch"
    """Full validation of the first document per configuration in a batch; the PDF/A
    declaration of the others."""
    OFF = "off"


def declares_pdfa2(data: bytes) -> bool:
    """Whether the file's XMP metadata declares PDF/A-2."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            meta = pdf.open_metadata()
            return str(meta.get("pdfaid:part", "")) == "2"
    except pikepdf.PdfError:
        return False


def violations(data: bytes) -> set[str]:
    """pikepdf's PDF/A-2b violations in the file (not the constructs it leaves unchecked)."""
    # Imported here: the validator (with its font and schema machinery) is ~16 MB of a
    # signing process's memory, and most signatures only check the declaration.
    import pikepdf.pdfa  # noqa: PLC0415

    report = pikepdf.pdfa.validate_written(io.BytesIO(data), FLAVOUR)
    return {f"{f.rule}: {f.message}" for f in report.findings if f.kind == "violation"}


def conforms(data: bytes) -> bool:
    """Whether the file declares PDF/A-2 and pikepdf finds no violation in it."""
    return declares_pdfa2(data) and not violations(data)


def require_kept(before: bytes, after: bytes, what: str, *, full: bool) -> bool:
    """True if a PDF/A-2 input's signed output still is; PdfaLost names what broke.

    Returns False (and checks nothing) for an input that does not declare PDF/A-2.
    """
    if not declares_pdfa2(before):
        return False
    if not declares_pdfa2(after):
        raise PdfaLost(f"{what}: signing lost the PDF/A-2 identification")
    if full:
        found = violations(after)
        # The input is validated only to tell what signing added from what was there: a
        # clean output (the usual case) needs no second walk over every page.
        added = found - violations(before) if found else found
        if added:
            reasons = "; ".join(sorted(added)[:3])
            raise PdfaLost(f"{what}: signing broke PDF/A-2b conformance ({reasons})")
    return True
