"""The names of the fields sohoa extracts: the product's schema, which the generator follows.

Whose data a field is: the person a document is about has the plain names (full_name,
date_of_birth, id_number, sex): the applicant on forms, the registered person on
certificates (the child on a birth certificate, the deceased on a death notice). Other
people a role prefix (child_full_name, spouse_id_number); further ID numbers read in the
same person's section are listed in other_id_numbers. A document's own references
(number and symbol, issue date, issuing body) and a receipt's dossier code have their own
names; where the number or the day was written by hand and not read as print, only what was
printed around it is given (WITHHELD). Dates are ISO 8601. The synthetic generator
(digitize.synthetic, a dev tool) writes its ground truth under these names; the product never
reads the generator.
"""

from __future__ import annotations

PERSON_FIELDS = ("full_name", "date_of_birth", "id_number", "sex")
"""A person's fields; `sex` only for the person the document is about."""

PERSON_ROLES = (
    "child",
    "mother",
    "father",
    "spouse",
    "deceased",
    "agent",
    "counterparty",
    "declarant",
)
"""Roles whose fields are reported, with their prefix; others (officers) are not."""

OTHER_ID_NUMBERS = "other_id_numbers"
"""ID numbers whose holder the page does not say, space-separated."""


def person_field(role: str | None, name: str) -> str:
    """The field name of a person's `name` (one of PERSON_FIELDS) in a role; None or "" is
    the person the document is about."""
    return f"{role}_{name}" if role else name


WITHHELD = {"number_symbol": ("document_symbol", "…/{}"), "issue_date": ("issue_month", "{}-…")}
"""A document's references whose handwritten part (the number, the day) is never guessed:
when it was not read as print the field is left out and the one named here carries what was
printed (the symbol alone "QĐ-UBND", the month "2025-02"), for a clerk to complete the
first; with the pattern showing the clerk where the missing part goes ("…/QĐ-UBND")."""
