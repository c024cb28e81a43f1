"""A clerk's corrections of a document: its type (recorded, re-filed, and kept for
training) and its extracted fields (each an event with the value before and after).

The document moves to the component expecting the corrected type (a new one if the
procedure lists none); the old component goes back to missing unless another document
still fills it. The correction is an event, and the document's `type_source` becomes
`clerk`, which is how `sohoa model train` finds the documents clerks have corrected.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.catalogue import get_catalogue
from config.errors import InvalidRequest
from config.settings import Settings
from storage.db import open_database
from storage.documents import component_for_type, get_document, release_component
from storage.enums import ComponentState, DocumentStatus, EventKind
from storage.events import append_event
from storage.models import Document
from storage.search.index import index_document
from storage.signatures import refuse_if_frozen

CLERK = "clerk"


def correct_type(session: Session, document_id: int, document_type: str, *, actor: str) -> Document:
    """Set a digitized document's type as a clerk says it is. ResultFrozen when the
    dossier's result is being signed or signed and the change would touch it: the result
    itself retyped, or another document typed into (or out of) the result's type."""
    catalogue = get_catalogue()
    if document_type not in {t.code for t in catalogue.document_types}:
        raise InvalidRequest(f"document type {document_type!r} is not in the catalogue")
    document = get_document(session, document_id)
    if document.status is not DocumentStatus.DIGITIZED:
        raise InvalidRequest(
            f"document {document_id} is {document.status.value}; only a digitized document's "
            "type can be corrected"
        )
    result_type = catalogue.procedure(document.dossier.procedure_code).result_type
    if result_type in (document_type, document.document_type):
        refuse_if_frozen(session, document.dossier, f"retyping document {document_id}")
    else:
        refuse_if_frozen(session, document.dossier, "retyping it", only=[document])
    before = document.document_type
    release_component(document)
    document.document_type = document_type
    document.type_confidence = 1.0
    document.type_source = CLERK
    component = component_for_type(
        session, document.dossier, document_type, catalogue.document_type(document_type).name
    )
    document.component_id = component.id
    document.component = component
    component.state = ComponentState.DIGITIZED
    append_event(
        session,
        EventKind.DOCUMENT_CORRECTED,
        actor=actor,
        dossier_id=document.dossier_id,
        document_id=document.id,
        data={"from": before, "to": document_type, "component_id": component.id},
    )
    index_document(session, document)
    return document


FIELD_VALUE_MAX = 500
"""Longest value a clerk may type for one field (the longest is an agency's name)."""


def correct_field(
    session: Session, document_id: int, name: str, value: str, *, actor: str
) -> Document:
    """Set one extracted field of a digitized document as a clerk read it on the page (an
    empty value removes it): confidence 1, source `clerk`, and an event with the value
    before and after. ResultFrozen for the result being signed or signed."""
    document = get_document(session, document_id)
    if document.status is not DocumentStatus.DIGITIZED:
        raise InvalidRequest(
            f"document {document_id} is {document.status.value}; only a digitized document's "
            "fields can be corrected"
        )
    value = value.strip()
    if len(value) > FIELD_VALUE_MAX:
        raise InvalidRequest(f"a field's value is at most {FIELD_VALUE_MAX} characters")
    refuse_if_frozen(session, document.dossier, f"correcting field {name}", only=[document])
    fields = dict(document.fields or {})
    before = (fields.get(name) or {}).get("value")
    if value:
        page = (fields.get(name) or {}).get("page")
        fields[name] = {"value": value, "page": page, "confidence": 1.0, "source": CLERK}
    else:
        fields.pop(name, None)
    if before == (value or None):
        return document
    document.fields = fields  # a new dict: the JSON column sees the change
    append_event(
        session,
        EventKind.FIELD_CORRECTED,
        actor=actor,
        dossier_id=document.dossier_id,
        document_id=document.id,
        data={"field": name, "from": before, "to": value or None},
    )
    index_document(session, document)
    return document


def corrected_examples(session: Session) -> list[tuple[str, str]]:
    """(text, type) of every document whose type a clerk set, for the next training."""
    rows = session.execute(
        select(Document.text, Document.document_type).where(
            Document.type_source == CLERK,
            Document.status == DocumentStatus.DIGITIZED,
            Document.text.is_not(None),
        )
    )
    return [(text, doc_type) for text, doc_type in rows if text and doc_type]


def read_corrected_examples(settings: Settings) -> list[tuple[str, str]]:
    """`corrected_examples`, read in one snapshot (`sohoa model train --corrections`)."""
    with open_database(settings).session(readonly=True) as session:
        return corrected_examples(session)
