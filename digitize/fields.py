"""Pulling the data regulations ask for out of a document's text: IDs, names, dates, codes.

Circular 01/2023/TT-VPCP asks for the owner's identifier, the number and symbol, the issue
date and the issuing body of every digitized document; the dossier code ties a receipt to
its dossier. Every value comes with the page it was read on and a confidence (0-1), and
dates are ISO 8601. The fields' names, and whose data each is, are digitize.fieldnames.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from digitize.extraction import references
from digitize.extraction.admin import admin_fields
from digitize.extraction.ids import birth_agrees, confidence, find_ids, word_confidence
from digitize.extraction.people import (
    MAIN,
    OTHER,
    Person,
    attach_births,
    attach_ids,
    read_people,
    resolve_roles,
)
from digitize.extraction.signers import signer_name
from digitize.extraction.text import Page, pages_of
from digitize.fieldnames import OTHER_ID_NUMBERS, PERSON_ROLES, person_field
from digitize.result import FoundField

Words = Sequence[Sequence[tuple[str, float]] | None] | None
"""Per page, the OCR words with their confidences, or None."""

NAME_CONFIDENCE = 0.8
"""Confidence of a name read after its label (OCR may still have changed a letter)."""
BIRTH_CONFIDENCE = 0.85
"""Confidence of a date of birth read after its label and parsed as a real date."""
OTHER_IDS_CONFIDENCE = 0.6
"""Confidence of further ID numbers whose holder the page does not say."""


def _ids(person: Person, words: Words) -> list[FoundField]:
    """The person's ID numbers worth reporting, in reading order, with their confidence."""
    year = int(person.birth[0][:4]) if person.birth else None
    found = []
    for hit in person.ids:
        page_words = words[hit.page - 1] if words and hit.page <= len(words) else None
        agrees = birth_agrees(hit.value, year, person.sex)
        sure = confidence(hit, agrees, word_confidence(hit, page_words))
        if sure is not None:
            found.append(FoundField(hit.value, hit.page, round(sure, 2)))
    return found


def _person_fields(person: Person, role: str, words: Words) -> dict[str, FoundField]:
    """A person's fields under their role's names ("" for the person the document is
    about); further IDs under `other_id_numbers`."""
    out: dict[str, FoundField] = {}
    if person.name:
        name, page = person.name
        out[person_field(role, "full_name")] = FoundField(name, page, NAME_CONFIDENCE)
    if person.birth:
        out[person_field(role, "date_of_birth")] = FoundField(*person.birth, BIRTH_CONFIDENCE)
    if person.sex and not role:
        sex = "Nam" if person.sex == "nam" else "Nữ"
        out["sex"] = FoundField(sex, person.name[1] if person.name else 1, NAME_CONFIDENCE)
    ids = _ids(person, words)
    if ids:
        out[person_field(role, "id_number")] = ids[0]
    if others := _joined(ids[1:]):
        out[OTHER_ID_NUMBERS] = others
    return out


def _joined(ids: list[FoundField]) -> FoundField | None:
    """Several IDs as one field, space-separated, or None for none."""
    if not ids:
        return None
    return FoundField(" ".join(f.value for f in ids), ids[0].page, OTHER_IDS_CONFIDENCE)


def _name_from_signature(pages: list[Page], people: list[Person]) -> None:
    """The main person's name from their signature block when no labelled field gave it."""
    main = next((p for p in people if p.role == MAIN), None)
    if main is not None and main.name is not None:
        return
    signed = signer_name(pages)
    if signed is None:
        return
    if main is None:
        main = Person(MAIN, 0)
        people.insert(0, main)
    main.name = signed


def _people_fields(
    pages: list[Page], provinces: Mapping[str, str], words: Words
) -> dict[str, FoundField]:
    """The fields of every person the document describes, by role."""
    people, marks = read_people(pages)
    attach_births(pages, people, marks)
    attach_ids(people, marks, [hit for page in pages for hit in find_ids(page, provinces)])
    resolve_roles(people)
    _name_from_signature(pages, people)
    out: dict[str, FoundField] = {}
    for person in people:
        if person.role == OTHER:
            fields = {OTHER_ID_NUMBERS: f} if (f := _joined(_ids(person, words))) else {}
        elif person.role == MAIN or person.role in PERSON_ROLES:
            fields = _person_fields(person, "" if person.role == MAIN else person.role, words)
        else:
            continue
        for key, found in fields.items():
            if key == OTHER_ID_NUMBERS and key in out:
                joined = f"{out[key].value} {found.value}"
                out[key] = FoundField(joined, out[key].page, OTHER_IDS_CONFIDENCE)
            else:
                out.setdefault(key, found)
    return out


def extract_fields(
    pages: Sequence[str], provinces: Mapping[str, str], *, words: Words = None
) -> dict[str, FoundField]:
    """The fields found in a document's page texts, by name.

    `words`, when OCR gave them, are each page's (word, confidence 0-100) pairs (None for
    a page read from a text layer): an ID number Tesseract was unsure of is not reported,
    nor a document's number or day it did not read as print (digitize.extraction.blanks).
    """
    doc = pages_of(list(pages))
    found = _people_fields(doc, provinces, words)
    code = references.dossier_code(doc)
    number = references.number_symbol(doc, words)
    if number is None and code is not None and any("ma ho so" in p.folded for p in doc):
        number = references.Found(code.value, code.page, code.confidence)  # a receipt's
    for key, value in (
        ("dossier_code", code),
        ("number_symbol", number),
        ("issue_date", references.issue_date(doc, words)),
        ("issuing_body", references.issuing_body(doc)),
        ("valid_until", references.valid_until(doc)),
    ):
        if value is not None:
            found[key] = FoundField(value.value, value.page, value.confidence)
    return _with_admin_header(doc, found, provinces, words)


ADMIN_REFERENCES = ("number_symbol", "issue_date", "issuing_body")
"""References an administrative document's header gives, replacing what the general search
found (a later dateline may be an attached draft's, a later "Số:" a cited document's)."""


def _with_admin_header(
    doc: list[Page], found: dict[str, FoundField], provinces: Mapping[str, str], words: Words
) -> dict[str, FoundField]:
    """The fields with an administrative document's header and signature block read as such
    (Decree 30/2020 layout: "Số: N/SYMBOL" under the agency), unless a certification or a
    receipt's dossier code makes another body's references the document's."""
    if any(references.CERTIFIED.search(page.folded) for page in doc) or "dossier_code" in found:
        return found
    admin = admin_fields(doc, words, provinces.values())
    if "document_symbol" not in admin:
        return found
    for key in ADMIN_REFERENCES:
        found.pop(key, None)
    for key, value in admin.items():
        found[key] = FoundField(value.value, value.page, value.confidence)
    return found
