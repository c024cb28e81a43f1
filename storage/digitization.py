"""Certified digitization results (Circular 01/2023/TT-VPCP) and the citizens' document
store they make up.

A digitized component becomes a digitization result when the clerk who digitized it signs
its searchable PDF/A: the result has a code, the extracted data, its owner's personal ID
number and a validity period (catalogue: `reusable`, `valid_months`). Only then does the
component count as digitized (storage.stats). A later dossier of the same citizen points
its component at a still-valid result instead of a new scan: no file is copied, the blob
is referenced by both dossiers, and the event log records the reuse.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import defaults
from config.catalogue import get_catalogue
from config.errors import InvalidRequest, NotFound
from config.identifiers import format_digitization_code, format_owner_digitization_code
from storage.documents import get_document
from storage.enums import CertificationState, ComponentState, DocumentStatus, EventKind
from storage.events import append_event
from storage.models import Component, DigitizationResult, Document, Dossier

OPEN_STATES = (CertificationState.PENDING,)
"""States in which a clerk's signature is still owed."""


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _field(document: Document, name: str) -> str | None:
    value = (document.fields or {}).get(name, {}).get("value")
    return str(value) if value else None


def _issued_on(document: Document) -> date | None:
    raw = _field(document, "issue_date")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


NO_LIMIT = "không thời hạn"
"""The printed validity of a document valid without limit, as `valid_until` reads (casefolded)."""


def _printed_validity(document: Document) -> date | str | None:
    """The validity the document prints (field `valid_until`: an ID card's "Có giá trị
    đến"): its date, NO_LIMIT, or None when none was read."""
    raw = _field(document, "valid_until")
    if raw is None:
        return None
    if raw.casefold() == NO_LIMIT:
        return NO_LIMIT
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def validity_of(
    document_type: str,
    issued_on: date | None,
    digitized_on: date,
    printed: date | str | None = None,
) -> date | None:
    """The last day a result of this type may be reused; None when without limit. A type
    the catalogue does not mark reusable is valid only the day it was digitized; else the
    validity printed on the document wins (a card's expiry is its holder's 25th, 40th or
    60th birthday, not a fixed term from issue), and the catalogue's `valid_months` from
    issue applies only when none was read."""
    try:
        spec = get_catalogue().document_type(document_type)
    except NotFound:
        return digitized_on
    if not spec.reusable:
        return digitized_on
    if isinstance(printed, date):
        return printed
    if printed == NO_LIMIT or spec.valid_months is None:
        return None
    return _add_months(issued_on or digitized_on, spec.valid_months)


def _result_code(session: Session, dossier: Dossier, doc_type: str, owner: str | None) -> str:
    """The next digitization result code in the catalogue's scheme: per owner and national
    paper type when both are known and the scheme is "owner", else per dossier."""
    catalogue = get_catalogue()
    national = next((t.national_code for t in catalogue.document_types if t.code == doc_type), None)
    if catalogue.digitization_code == "owner" and owner and national:
        prefix = f"{owner}.{national}."
        made = session.scalar(
            select(func.count()).where(DigitizationResult.code.startswith(prefix, autoescape=True))
        )
        return format_owner_digitization_code(owner, national, 1 + (made or 0))
    made = session.scalar(select(func.count()).where(DigitizationResult.dossier_id == dossier.id))
    return format_digitization_code(dossier.code, 1 + (made or 0))


def _kept_data(document: Document, doc_type: str) -> dict[str, Any]:
    """The data a result keeps: the document's fields' values, and `scope` (where it is
    valid) as printed, else the catalogue's for its type, else config.defaults.
    VALIDITY_SCOPE."""
    data = {name: f.get("value") for name, f in (document.fields or {}).items()}
    if not data.get("scope"):
        try:
            scope = get_catalogue().document_type(doc_type).scope
        except NotFound:
            scope = None
        data["scope"] = scope or defaults.VALIDITY_SCOPE
    return data


def request_certification(
    session: Session,
    document_id: int,
    *,
    signer_profile: str,
    signer_name: str,
    today: date,
    actor: str,
) -> tuple[DigitizationResult, bool]:
    """Ask for the clerk's signature on a digitized document, once: asking again returns
    the result already asked for. Returns it and whether it is new."""
    existing = session.scalars(
        select(DigitizationResult).where(DigitizationResult.document_id == document_id)
    ).one_or_none()
    if existing is not None:
        return existing, False
    document = get_document(session, document_id)
    if document.status is not DocumentStatus.DIGITIZED or document.pdf_sha256 is None:
        raise InvalidRequest(f"document {document_id} is not digitized; nothing to certify")
    dossier = document.dossier
    doc_type = document.document_type or "khac"
    owner = _field(document, "id_number") or dossier.applicant_id_number
    issued = _issued_on(document)
    result = DigitizationResult(
        code=_result_code(session, dossier, doc_type, owner),
        document_id=document.id,
        dossier_id=dossier.id,
        unit_code=dossier.unit_code,
        document_type=doc_type,
        owner_id_number=owner,
        title=_title(doc_type),
        data=_kept_data(document, doc_type),
        issued_on=issued,
        valid_until=validity_of(doc_type, issued, today, _printed_validity(document)),
        status=CertificationState.PENDING,
        signer_profile=signer_profile,
        signer_name=signer_name,
    )
    session.add(result)
    session.flush()
    append_event(
        session,
        EventKind.CERTIFICATION_REQUESTED,
        actor=actor,
        dossier_id=dossier.id,
        document_id=document.id,
        data={"result": result.id, "code": result.code, "signer": signer_profile},
    )
    return result, True


def _title(document_type: str) -> str:
    try:
        return get_catalogue().document_type(document_type).name
    except NotFound:
        return document_type


def get_result(session: Session, result_id: int) -> DigitizationResult:
    """The digitization result with this id; NotFound otherwise."""
    result = session.get(DigitizationResult, result_id)
    if result is None:
        raise NotFound(f"no digitization result with id {result_id}")
    return result


def record_certified(
    session: Session, result_id: int, *, pdf_sha256: str, signed_at: datetime, actor: str
) -> DigitizationResult:
    """The clerk's signature is made: the result exists and its component is digitized."""
    result = get_result(session, result_id)
    result.status = CertificationState.SIGNED
    result.pdf_sha256 = pdf_sha256
    result.signed_at = signed_at
    result.error_code = result.error_message = None
    component_id = result.document.component_id
    if component_id is not None:
        component = session.get(Component, component_id)
        assert component is not None
        component.result_id = result.id
        component.state = ComponentState.DIGITIZED
    append_event(
        session,
        EventKind.DOCUMENT_CERTIFIED,
        actor=actor,
        dossier_id=result.dossier_id,
        document_id=result.document_id,
        data={
            "result": result.id,
            "code": result.code,
            "component_id": component_id,
            "pdf_sha256": pdf_sha256,
            "document_type": result.document_type,
            "owner_id_number": result.owner_id_number,
            "valid_until": result.valid_until.isoformat() if result.valid_until else None,
            "scope": result.data.get("scope"),
            "signer": result.signer_profile,
        },
    )
    return result


def record_certify_failure(
    session: Session, result_id: int, *, code: str, message: str, final: bool, actor: str
) -> DigitizationResult:
    """Why the clerk's signature failed: for good when `final`, else a retry's reason."""
    result = get_result(session, result_id)
    result.error_code, result.error_message = code, message
    if final:
        result.status = CertificationState.FAILED
    append_event(
        session,
        EventKind.CERTIFICATION_FAILED,
        actor=actor,
        dossier_id=result.dossier_id,
        document_id=result.document_id,
        data={"result": result.id, "code": code, "message": message, "final": final},
    )
    return result


def pending_certifications(session: Session) -> list[DigitizationResult]:
    """Every clerk's signature still owed, oldest first (what the sign queue should hold)."""
    return list(
        session.scalars(
            select(DigitizationResult)
            .where(DigitizationResult.status.in_(OPEN_STATES))
            .order_by(DigitizationResult.id)
        )
    )


def valid_results(
    session: Session,
    id_number: str,
    *,
    on: date,
    units: Collection[str] | None,
    document_type: str | None = None,
) -> list[DigitizationResult]:
    """A citizen's signed digitization results of reusable types (catalogue) still valid on
    `on`, of the units the person asking may see (None: every unit), newest first."""
    reusable = [t.code for t in get_catalogue().document_types if t.reusable]  # few types
    stmt = select(DigitizationResult).where(
        DigitizationResult.owner_id_number == id_number,
        DigitizationResult.document_type.in_(reusable),
        DigitizationResult.status == CertificationState.SIGNED,
        (DigitizationResult.valid_until.is_(None)) | (DigitizationResult.valid_until >= on),
    )
    if units is not None:
        stmt = stmt.where(DigitizationResult.unit_code.in_(list(units)))
    if document_type is not None:
        stmt = stmt.where(DigitizationResult.document_type == document_type)
    return list(session.scalars(stmt.order_by(DigitizationResult.id.desc())))


def reuse_result(
    session: Session,
    dossier: Dossier,
    component_id: int,
    result_id: int,
    *,
    on: date,
    units: Collection[str] | None,
    actor: str,
) -> Component:
    """Point a component at an earlier, still-valid result of the dossier's applicant
    instead of a new scan. Refused when the result is another person's, of another type,
    expired, not signed, from a unit the clerk may not see, or already this dossier's."""
    component = next((c for c in dossier.components if c.id == component_id), None)
    if component is None:
        raise InvalidRequest(f"component {component_id} is not part of dossier {dossier.code}")
    result = get_result(session, result_id)
    reasons = _refusals(dossier, component, result, on, units)
    if reasons:
        raise InvalidRequest(f"result {result.code} cannot be reused: " + "; ".join(reasons))
    component.result_id = result.id
    component.state = ComponentState.DIGITIZED
    append_event(
        session,
        EventKind.COMPONENT_REUSED,
        actor=actor,
        dossier_id=dossier.id,
        data={
            "component_id": component.id,
            "result": result.id,
            "code": result.code,
            "from_dossier_id": result.dossier_id,
            "document_type": result.document_type,
            "pdf_sha256": result.pdf_sha256,
            "valid_until": result.valid_until.isoformat() if result.valid_until else None,
            "scope": result.data.get("scope"),
        },
    )
    return component


def _refusals(
    dossier: Dossier,
    component: Component,
    result: DigitizationResult,
    on: date,
    units: Collection[str] | None,
) -> list[str]:
    reasons = []
    if result.status is not CertificationState.SIGNED:
        reasons.append("it is not signed by the clerk yet")
    if dossier.applicant_id_number is None or result.owner_id_number != dossier.applicant_id_number:
        reasons.append("it belongs to another person than the applicant")
    if result.document_type != component.expected_type:
        reasons.append(f"it is a {result.document_type}, the component expects a "
                       f"{component.expected_type}")  # fmt: skip
    if not _reusable(result.document_type):
        reasons.append(f"a {result.document_type} serves only the dossier it was made for")
    if result.valid_until is not None and result.valid_until < on:
        reasons.append(f"it expired on {result.valid_until.isoformat()}")
    if units is not None and result.unit_code not in units:
        reasons.append("it was made by a unit whose dossiers you may not see")
    if result.dossier_id == dossier.id:
        reasons.append("it is this dossier's own")
    return reasons


def _reusable(document_type: str) -> bool:
    try:
        return get_catalogue().document_type(document_type).reusable
    except NotFound:
        return False


def reused_dossier_ids(session: Session, dossier_ids: Collection[int]) -> set[int]:
    """Of these dossiers, those with a component pointing at another dossier's result."""
    ids, found = list(dossier_ids), set[int]()
    for start in range(0, len(ids), 500):  # SQLite caps the parameters of one statement
        found.update(
            session.scalars(
                select(Component.dossier_id)
                .join(DigitizationResult, DigitizationResult.id == Component.result_id)
                .where(
                    Component.dossier_id.in_(ids[start : start + 500]),
                    DigitizationResult.dossier_id != Component.dossier_id,
                )
            )
        )
    return found
