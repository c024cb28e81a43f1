"""Putting documents in the search index: folded words of their text and every metadata field.

Index and query are folded by the same function (config.text.fold: NFD, đ→d, marks dropped,
casefolded) and split into words the same way, so "giay khai sinh" finds "Giấy khai sinh",
"dat" finds "đất" and "hòa" finds "hoà" on SQLite and PostgreSQL alike. The words are
stored space-separated: both engines' tokenizers then see exactly sohoa's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import defaults
from config.catalogue import get_catalogue
from config.errors import NotFound
from config.settings import get_settings
from config.text import collapse_whitespace, fold
from storage.enums import DocumentStatus, IndexState
from storage.models import Document, Dossier, SearchEntry, SearchIdNumber

WORD = re.compile(r"[^\W_]+")
"""A word: a run of letters and digits, as FTS5's unicode61 tokenizer cuts them."""
_ID_NUMBER = re.compile(r"^\d{12}$")


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return WORD.findall(fold(text))


def folded(parts: Iterable[str | None]) -> str:
    """The folded words of several texts, space-separated: what the index stores."""
    return " ".join(w for part in parts if part for w in words(part))


@dataclass(frozen=True)
class RecordTerms:
    """What an archived record adds to its documents' entries."""

    record_code: str
    title: str
    retention: str
    """Both labels, e.g. "permanent Vĩnh viễn" or "70 years 70 năm"."""
    access_regime: str
    signers: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntryParts:
    """A document's index entry before folding: what is matched, and what is shown."""

    display_title: str
    title: list[str]
    meta: list[str]
    body: str
    doc_date: date | None
    id_numbers: set[str] = field(default_factory=set)


def type_name(code: str | None) -> str:
    """The catalogue's printed name of a document type, or the code itself if unknown."""
    if code is None:
        return ""
    try:
        return get_catalogue().document_type(code).name
    except NotFound:
        return code


def procedure_name(code: str) -> str:
    """The catalogue's name of a procedure, or the code itself if unknown."""
    try:
        return get_catalogue().procedure(code).name
    except NotFound:
        return code


def field_value(document: Document, name: str) -> str | None:
    """An extracted field's value, None when it was not read."""
    found = (document.fields or {}).get(name)
    value = found.get("value") if isinstance(found, dict) else None
    return str(value) if value not in (None, "") else None


def issue_date(document: Document) -> date | None:
    """The document's issue date, if extraction read a well-formed one."""
    value = field_value(document, "issue_date")
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _id_numbers(document: Document, dossier: Dossier) -> set[str]:
    found = {dossier.applicant_id_number} if dossier.applicant_id_number else set()
    for name, value in (document.fields or {}).items():
        if name.endswith("id_number") or name.endswith("id_numbers"):
            raw = value.get("value") if isinstance(value, dict) else None
            found.update(v for v in str(raw or "").split() if _ID_NUMBER.match(v))
    return found


def _dates(day: date | None) -> list[str]:
    return [day.isoformat(), day.strftime("%d/%m/%Y")] if day else []


def entry_parts(document: Document, record: RecordTerms | None = None) -> EntryParts:
    """Everything of a document (and its dossier and record) that search should match."""
    dossier = document.dossier
    name = type_name(document.document_type)
    number = field_value(document, "number_symbol")
    shown = document.original_filename if document.document_type in (None, "khac") else name
    display = f"{shown} số {number}" if number else shown
    received = dossier.received_at.astimezone(get_settings().zone).date()
    day = issue_date(document) or received
    values = [str(f.get("value")) for f in (document.fields or {}).values() if isinstance(f, dict)]
    meta = [
        dossier.code,
        dossier.procedure_code,
        procedure_name(dossier.procedure_code),
        dossier.applicant_name,
        dossier.applicant_id_number,
        dossier.unit_code,
        document.document_type,
        document.original_filename,
        *values,
        *_dates(day),
        *_dates(received),
    ]
    if record is not None:
        meta += [record.record_code, record.title, record.retention, record.access_regime]
        meta += list(record.signers)
    text = (document.text or "")[: defaults.SEARCH_MAX_INDEXED_CHARS]
    return EntryParts(
        display_title=collapse_whitespace(display)[:300],
        title=[t for t in (display, name, field_value(document, "summary")) if t],
        meta=list(dict.fromkeys(m for m in meta if m)),
        body=text,
        doc_date=day,
        id_numbers=_id_numbers(document, dossier),
    )


def _entry_of(session: Session, document_id: int) -> SearchEntry | None:
    """The document's index entry, if it has one."""
    return session.scalars(
        select(SearchEntry).where(SearchEntry.document_id == document_id)
    ).one_or_none()


def index_document(
    session: Session, document: Document, record: RecordTerms | None = None
) -> SearchEntry:
    """Add or refresh a document's entry, in the caller's transaction: the database updates
    its full-text structures in the same transaction, so the index never disagrees with the
    documents. `record`: the archived record the document now belongs to."""
    parts = entry_parts(document, record)
    entry = _entry_of(session, document.id)
    if entry is None:
        entry = SearchEntry(document_id=document.id)
        session.add(entry)
    dossier = document.dossier
    entry.dossier_id = dossier.id
    entry.dossier_code = dossier.code
    entry.procedure_code = dossier.procedure_code
    entry.unit_code = dossier.unit_code
    entry.document_type = document.document_type
    entry.doc_date = parts.doc_date
    entry.state = IndexState.ARCHIVED if record is not None else IndexState.DIGITIZED
    entry.record_code = record.record_code if record is not None else None
    entry.display_title = parts.display_title
    entry.title = folded(parts.title)
    entry.meta = folded(parts.meta)
    entry.body = folded([parts.body])
    _set_id_numbers(entry, parts.id_numbers)
    return entry


def _set_id_numbers(entry: SearchEntry, numbers: set[str]) -> None:
    kept = [n for n in entry.id_numbers if n.id_number in numbers]
    have = {n.id_number for n in kept}
    entry.id_numbers = kept + [SearchIdNumber(id_number=n) for n in sorted(numbers - have)]


def tombstone_entry(session: Session, document_id: int) -> None:
    """A disposed record's document: its text leaves the index, its metadata stays findable."""
    entry = _entry_of(session, document_id)
    if entry is not None:
        entry.body = ""
        entry.state = IndexState.DISPOSED


def remove_entry(session: Session, document_id: int) -> None:
    """Take a document that is no longer one (a split stack, a superseded part) out of the
    index; archived and disposed entries are never removed."""
    entry = _entry_of(session, document_id)
    if entry is not None and entry.state is IndexState.DIGITIZED:
        session.delete(entry)


def reindex_all(session: Session) -> int:
    """Rebuild every entry from the documents (after an upgrade, or to repair the index);
    archived records keep their state. Returns how many documents were indexed."""
    count = 0
    digitized = select(Document).where(
        Document.text.is_not(None), Document.status == DocumentStatus.DIGITIZED
    )
    for document in session.scalars(digitized):
        entry = _entry_of(session, document.id)
        if entry is not None and entry.state is not IndexState.DIGITIZED:
            continue  # archived and disposed entries are refreshed by their record's events
        index_document(session, document)
        count += 1
    return count
