"""Lists people work from, a page at a time: a leader's signing inbox, the dossiers an
archivist seals next, the backlog of dossiers due or overdue, and a dossier as such lists
show it. The HTTP API returns them as they are; the pages render them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from api.dossier_views import local_time
from api.paging import Page, cut
from config import defaults, labels
from config.calendar import get_calendar
from config.catalogue import get_catalogue
from config.errors import NotFound
from config.settings import Settings
from storage.backlog import DUE_SOON, OVERDUE, WAITING, backlog
from storage.db import open_database
from storage.enums import (
    ComponentState,
    DossierStatus,
    SignatureState,
)
from storage.models import (
    Document,
    Dossier,
)
from storage.search.index import procedure_name
from storage.signatures import requests_of, result_of, shown_sha256


def dossier_row(settings: Settings, dossier: Dossier) -> dict[str, Any]:
    """A dossier as a list shows it (components and documents loaded with it)."""
    required = [c for c in dossier.components if c.required]
    done = sum(1 for c in required if c.state is ComponentState.DIGITIZED)
    return {
        "code": dossier.code,
        "procedure": {
            "code": dossier.procedure_code,
            "name": procedure_name(dossier.procedure_code),
        },
        "applicant": dossier.applicant_name,
        "unit": dossier.unit_code,
        "status": dossier.status.value,
        "received_at": local_time(settings, dossier.received_at),
        "appointment_at": local_time(settings, dossier.appointment_at),
        "components_digitized": done,
        "components_required": len(required),
        "documents": len(dossier.documents),
    }


def _result_of(session: Session, dossier: Dossier) -> Document | None:
    """The result a leader is shown: the one being signed, else the latest digitized one
    (the same the signing workflow signs, storage.signatures.result_of)."""
    try:
        result_type = get_catalogue().procedure(dossier.procedure_code).result_type
    except NotFound:
        return None
    return result_of(session, dossier, result_type)


def _inbox_row(
    settings: Settings, session: Session, dossier: Dossier, profile: str | None
) -> dict[str, Any] | None:
    """A dossier as the signing inbox shows it; None when it has no result yet."""
    result = _result_of(session, dossier)
    if result is None:
        return None
    requests = requests_of(session, result.id)
    states = [r.status.value for r in requests]
    leader = next((r for r in requests if r.role == "leader"), None)
    to_sign = leader is None or leader.status is SignatureState.FAILED
    mine = leader is not None and (profile is None or leader.profile == profile)
    if leader is not None and not mine:
        to_sign = False  # another leader's to sign
    awaiting = mine and leader is not None and leader.status is SignatureState.AWAITING_TOKEN
    return {
        "code": dossier.code,
        "procedure": procedure_name(dossier.procedure_code),
        "applicant": dossier.applicant_name,
        "document_id": result.id,
        "document_type": result.document_type,
        "sha256": shown_sha256(session, result),
        "to_sign": to_sign,
        "awaiting_token": awaiting,
        "signatures": [
            {
                "role": r.role,
                "signer": r.signer_name,
                "status": r.status.value,
                "status_vi": labels.signature_state(r.status.value),
                "tone": labels.tone(r.status.value),
            }
            for r in requests
        ],
        "signed": bool(states) and all(s == "signed" for s in states),
        "appointment_at": local_time(settings, dossier.appointment_at),
    }


def _inbox_dossiers(unit_code: str) -> Select[Dossier]:
    return (
        select(Dossier)
        .where(Dossier.unit_code == unit_code, Dossier.status != DossierStatus.ARCHIVED)
        .options(selectinload(Dossier.documents))
    )


def signing_inbox(
    settings: Settings,
    unit_code: str,
    profile: str | None,
    *,
    cursor: int | None = None,
    limit: int = defaults.LIST_PAGE_SIZE,
) -> Page[dict[str, Any]]:
    """A page of a unit's results, newest dossier first, after `cursor` (the previous
    page's next_cursor), and where their signatures are: `to_sign` when nothing was asked
    yet or the leader's signature failed, `awaiting_token` when the leader's (this
    profile's) waits for their own token, and the leader's and the seal's states.
    Dossiers without a result are passed over: they are read a page's worth at a time
    until the page is full or none are left."""
    found: list[tuple[int, dict[str, Any]]] = []
    after = cursor
    with open_database(settings).session(readonly=True) as session:
        while len(found) <= limit:
            stmt = _inbox_dossiers(unit_code)
            if after is not None:
                stmt = stmt.where(Dossier.id < after)
            batch = list(session.scalars(stmt.order_by(Dossier.id.desc()).limit(limit + 1)))
            for dossier in batch:
                row = _inbox_row(settings, session, dossier, profile)
                if row is not None:
                    found.append((dossier.id, row))
            if len(batch) <= limit:
                break
            after = batch[-1].id
    shown, next_cursor = cut(found, limit, lambda f: f[0])
    return Page([row for _, row in shown], next_cursor)


def inbox_row(
    settings: Settings, unit_code: str, profile: str | None, code: str
) -> dict[str, Any] | None:
    """One dossier's row of the unit's signing inbox (None: it is not in it), whichever
    page it is on."""
    stmt = _inbox_dossiers(unit_code).where(Dossier.code == code.strip())
    with open_database(settings).session(readonly=True) as session:
        dossier = session.scalars(stmt).one_or_none()
        return None if dossier is None else _inbox_row(settings, session, dossier, profile)


def archive_candidates(
    settings: Settings, *, cursor: int | None = None, limit: int = defaults.LIST_PAGE_SIZE
) -> Page[dict[str, Any]]:
    """A page of the signed dossiers not archived yet, their results returned to the citizen
    or not (what an archivist seals next), newest first, after `cursor` (the previous page's
    next_cursor)."""
    stmt = (
        select(Dossier)
        .where(Dossier.status.in_((DossierStatus.SIGNED, DossierStatus.RETURNED)))
        .options(selectinload(Dossier.components), selectinload(Dossier.documents))
    )
    if cursor is not None:
        stmt = stmt.where(Dossier.id < cursor)
    with open_database(settings).session(readonly=True) as session:
        found = list(session.scalars(stmt.order_by(Dossier.id.desc()).limit(limit + 1)))
        shown, next_cursor = cut(found, limit, lambda d: d.id)
        return Page([dossier_row(settings, d) for d in shown], next_cursor)


def backlog_view(
    settings: Settings,
    *,
    unit: str | None = None,
    leader: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Open dossiers overdue, due by the end of the next working day, or waiting for the
    citizen's supplement, most urgent first, with counts per unit and per leader; overdue
    ones say whether their apology letter is still owed (storage.backlog)."""
    moment = now or datetime.now(settings.zone)
    with open_database(settings).session(readonly=True) as session:
        items = backlog(
            session,
            now=moment,
            zone=settings.zone,
            calendar=get_calendar(),
            unit=unit,
            leader=leader,
        )
    per_unit: dict[str, dict[str, int]] = {}
    per_leader: dict[str, dict[str, int]] = {}
    for item in items:
        for table, key in ((per_unit, item.unit), (per_leader, item.leader or "-")):
            counts = table.setdefault(key, {OVERDUE: 0, DUE_SOON: 0, WAITING: 0})
            counts[item.state] += 1
    return {
        "now": moment.astimezone(settings.zone).isoformat(timespec="seconds"),
        "items": [i.to_dict(settings.zone) for i in items],
        "units": per_unit,
        "leaders": per_leader,
        "apologies_due": [i.code for i in items if i.apology_due],
    }
