"""A document symbol's type abbreviation, with a letter OCR misread put back.

The symbol after an official document's number starts with its type's abbreviation from the
closed national list (Decree 30/2020, Appendix III: "QĐ" in "88/QĐ-UBND", "TTr" in
"239/TTr-UBND"); a công văn has none and starts with its issuing body ("UBND-KTTH"). OCR
misreads one thin capital of it now and then ("TIr-UBND" on a real tờ trình: T read as I).
An abbreviation not on the list that is one look-alike letter away from exactly one entry of
the same length is that entry; anything else is left as read (an agency's initials, a
second misread letter), since a guess would change the document's identity.
"""

from __future__ import annotations

ABBREVIATIONS = frozenset(
    {
        "NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA",
        "BC", "BB", "TTr", "HĐ", "CĐ", "GN", "TTh", "GUQ", "GM", "GGT", "GNP", "PG", "PC",
        "PB",
    }
)  # fmt: skip
"""Decree 30/2020, Appendix III: the abbreviations of the administrative document types."""
LOOKALIKES = ("Il1|T", "O0")
"""Letters OCR takes for one another in a symbol's capitals."""


def _alike(read: str, printed: str) -> bool:
    return any(read in group and printed in group for group in LOOKALIKES)


def repaired_symbol(symbol: str) -> str:
    """The symbol with its type abbreviation put back where one look-alike letter was
    misread (see module); otherwise as given."""
    head, dash, rest = symbol.partition("-")
    if not dash or head in ABBREVIATIONS:
        return symbol
    near = [
        known
        for known in ABBREVIATIONS
        if len(known) == len(head)
        and sum(a != b for a, b in zip(head, known, strict=True)) == 1
        and all(a == b or _alike(a, b) for a, b in zip(head, known, strict=True))
    ]
    return f"{near[0]}{dash}{rest}" if len(near) == 1 else symbol
