"""Components satisfied by a national-database lookup instead of a paper.

Decree 118/2025/NĐ-CP and the 2025 procedure texts let an office check a citizen's papers
against the national population database, the electronic civil-status database, or the
document the citizen shows in VNeID, rather than take (and scan) the paper. The clerk
records which database, the looked-up record's reference, and sohoa keeps who and when:
the checklist then counts the component as present, and the dossier as using national
data (the national portal's reuse figure, 766 record 4.3, counts it; record 4.5 counts the
population database and VNeID).

Only the looked-up record's reference is kept, never the data it holds (Law on Personal
Data Protection 2025: no more personal data than the purpose needs).

Which papers each database may stand in for is the catalogue's (`national_sources` of a
document type). DOMAIN: no official list was found; document_types.yaml ships today's
reading.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy.orm import Session

from config.catalogue import get_catalogue
from config.errors import InvalidRequest, NotFound
from config.text import collapse_whitespace, nfc
from storage.deadlines import CLOSED
from storage.enums import EventKind
from storage.events import append_event
from storage.models import Component, Dossier
from storage.outcomes import END_STATES, national_sources

REFERENCE_MAX = 100
"""The longest record reference kept (a lookup's transaction or record id)."""


def _reference(raw: str) -> str:
    """The reference as stored: NFC, one line, no control or format characters."""
    text = collapse_whitespace(nfc(raw))
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise InvalidRequest("the record reference holds control or invisible characters")
    if not text:
        raise InvalidRequest("give the looked-up record's reference")
    if len(text) > REFERENCE_MAX:
        raise InvalidRequest(f"a record reference has at most {REFERENCE_MAX} characters")
    return text


def allowed_sources(expected_type: str) -> tuple[str, ...]:
    """The national databases a component of this type may be checked against."""
    try:
        return get_catalogue().document_type(expected_type).national_sources
    except NotFound:
        return ()


def record_national_check(
    session: Session,
    dossier: Dossier,
    component_id: int,
    *,
    source: str,
    reference: str,
    at: datetime,
    actor: str,
) -> Component:
    """Record that a component was satisfied by a lookup in `source` (a DataSource value):
    the component keeps the database, the reference, who and when, the dossier's national
    data gains the source, and an event says so (with the lookup it replaced, if any).
    Refused for a component of another dossier, a paper the catalogue does not let that
    database stand in for, an empty reference, or a dossier that has ended."""
    component = next((c for c in dossier.components if c.id == component_id), None)
    if component is None:
        raise InvalidRequest(f"component {component_id} is not part of dossier {dossier.code}")
    if dossier.finished_at is not None or dossier.status in (*CLOSED, *END_STATES):
        raise InvalidRequest(f"dossier {dossier.code} has already ended ({dossier.status})")
    (chosen,) = national_sources([source])
    allowed = allowed_sources(component.expected_type)
    if chosen not in allowed:
        raise InvalidRequest(
            f"a {component.expected_type} cannot be checked against {chosen} "
            f"(catalogue allows: {', '.join(allowed) or 'none'})"
        )
    cleaned = _reference(reference)
    previous = _current(component)
    component.national_source = chosen
    component.national_reference = cleaned
    component.national_checked_by = actor
    component.national_checked_at = at
    if chosen not in dossier.national_data:
        dossier.national_data = national_sources([*dossier.national_data, chosen])
    append_event(
        session,
        EventKind.COMPONENT_NATIONAL_CHECKED,
        actor=actor,
        dossier_id=dossier.id,
        data={
            "component_id": component.id,
            "document_type": component.expected_type,
            "source": chosen,
            "reference": component.national_reference,
            "checked_at": at.isoformat(),
            "replaces": previous,
        },
    )
    return component


def _current(component: Component) -> dict[str, str | None] | None:
    if component.national_source is None:
        return None
    at = component.national_checked_at
    return {
        "source": component.national_source,
        "reference": component.national_reference,
        "by": component.national_checked_by,
        "at": at.isoformat() if at else None,
    }


def is_checked(component: Component) -> bool:
    """Whether the component was satisfied by a national-database lookup."""
    return component.national_source is not None
