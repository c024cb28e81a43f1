"""Bounds on what a PDF may make verification walk, decode and hold: its signatures, the
certificates and revocation data it carries, its form field tree, the bytes it inflates to.

The public check reads documents anyone can make. pyHanko walks the field tree recursively
and decodes what it is asked to; these checks run first, without recursion, and refuse a
document past them with PdfTooComplex (422) rather than a RecursionError (500) or an
allocation of hundreds of MB.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.decode_limits import (
    DecodeLimits,
    DocumentDecodeBudget,
    StreamDecodeLimits,
)
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from config import defaults
from config.errors import PdfTooComplex


@dataclass(frozen=True)
class VerifyLimits:
    """How much of a PDF verification agrees to read (config.defaults says why each)."""

    max_signatures: int = defaults.VERIFY_MAX_SIGNATURES
    """Signatures and document timestamps."""
    max_items: int = defaults.VERIFY_MAX_DSS_ITEMS
    """Certificates, OCSP responses, CRLs: each kind in the DSS, and a signature's CMS."""
    max_field_depth: int = defaults.VERIFY_MAX_FIELD_DEPTH
    """Nesting of the form field tree."""
    max_fields: int = defaults.VERIFY_MAX_FIELDS
    """Nodes of the form field tree."""
    max_decoded_bytes: int = defaults.VERIFY_MAX_DECODED_BYTES
    """Bytes every stream decoded for the verification inflates to, in all (and each)."""

    def decode_limits(self) -> DecodeLimits:
        """pyHanko's decoding limits for the reader: a stream, and all streams together,
        decode to max_decoded_bytes at most (more only for a larger file, 1:1)."""
        return DecodeLimits(
            per_stream=StreamDecodeLimits(max_output_size=self.max_decoded_bytes),
            document_budget=DocumentDecodeBudget(
                base_allowance=self.max_decoded_bytes, max_ratio=1
            ),
        )


def _resolve(value: object) -> object:
    return value.get_object() if isinstance(value, generic.IndirectObject) else value


def _entry(dictionary: generic.DictionaryObject, key: str) -> object:
    """The value under `key`, resolved, or None."""
    return _resolve(dictionary.raw_get(key)) if key in dictionary else None


def check_fields(reader: PdfFileReader, limits: VerifyLimits, name: str) -> None:
    """PdfTooComplex if the form field tree nests deeper, or has more nodes, than allowed
    (walked with a stack, not recursion, before pyHanko walks it)."""
    form = _entry(reader.root, "/AcroForm")
    fields = _entry(form, "/Fields") if isinstance(form, generic.DictionaryObject) else None
    if not isinstance(fields, generic.ArrayObject):
        return
    todo = [(field, 1) for field in fields]
    seen = 0
    while todo:
        node, depth = todo.pop()
        seen += 1
        if seen > limits.max_fields:
            raise PdfTooComplex(name, f"more than {limits.max_fields} form fields")
        if depth > limits.max_field_depth:
            raise PdfTooComplex(name, f"form fields nested more than {limits.max_field_depth} deep")
        node = _resolve(node)
        if isinstance(node, generic.DictionaryObject):
            kids = _entry(node, "/Kids")
            if isinstance(kids, generic.ArrayObject):
                todo.extend((kid, depth + 1) for kid in kids)


def check_dss(reader: PdfFileReader, limits: VerifyLimits, name: str) -> None:
    """PdfTooComplex if the DSS lists more certificates, OCSP responses or CRLs than
    allowed (counted before any is decoded)."""
    dss = _entry(reader.root, "/DSS")
    if not isinstance(dss, generic.DictionaryObject):
        return
    for key in ("/Certs", "/OCSPs", "/CRLs"):
        items = _entry(dss, key)
        if isinstance(items, generic.ArrayObject) and len(items) > limits.max_items:
            raise PdfTooComplex(name, f"the DSS lists {len(items)} {key[1:]}")


def check_signatures(
    signatures: list[EmbeddedPdfSignature], limits: VerifyLimits, name: str
) -> None:
    """PdfTooComplex if there are more signatures than allowed, or a signature's CMS
    carries more certificates or attributes than allowed."""
    if len(signatures) > limits.max_signatures:
        raise PdfTooComplex(name, f"{len(signatures)} signatures")
    for sig in signatures:
        certs = sig.signed_data["certificates"]
        unsigned = sig.signer_info["unsigned_attrs"]
        counts = (len(certs), sum(len(attr["values"]) for attr in unsigned))  # Void: 0
        if max(counts) > limits.max_items:
            raise PdfTooComplex(name, f"signature {sig.field_name} carries {max(counts)} items")
