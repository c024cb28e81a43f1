"""How a dossier ended and what the citizen paid and said: processing finished, refused,
withdrawn or stopped with a reason, fees paid, national data used, the rating after return."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from config.errors import InvalidRequest
from storage.deadlines import CLOSED
from storage.enums import DataSource, DossierStatus, EventKind, PaymentStatus, Rating
from storage.events import append_event
from storage.models import Dossier

END_STATES = (DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED)
"""Ends without a result; the portal's on-time figure counts them as finished."""


def mark_processed(session: Session, dossier: Dossier, *, at: datetime, actor: str) -> None:
    """Processing finished (the result is ready): the moment the portal's on-time figure
    judges. Kept from the first time; a later call changes nothing."""
    if dossier.processed_at is not None:
        return
    dossier.processed_at = at
    append_event(
        session, EventKind.DOSSIER_PROCESSED, actor=actor, dossier_id=dossier.id,
        data={"processed_at": at.isoformat()},
    )  # fmt: skip


def end_dossier(
    session: Session,
    dossier: Dossier,
    *,
    state: DossierStatus,
    reason: str,
    at: datetime,
    actor: str,
) -> Dossier:
    """Refuse, withdraw or stop the dossier, with the reason told to the citizen (Circular
    03/2025/TT-VPCP: form 03 refusal, form 05 notice of stopping). Refused when it already
    ended, or without a reason."""
    if state not in END_STATES:
        raise InvalidRequest(f"{state} is not an end state ({', '.join(END_STATES)})")
    if dossier.finished_at is not None or dossier.status in (*CLOSED, *END_STATES):
        raise InvalidRequest(f"dossier {dossier.code} has already ended ({dossier.status})")
    if not reason.strip():
        raise InvalidRequest("say why the dossier ends")
    dossier.status, dossier.ended_at, dossier.end_reason = state, at, reason.strip()
    append_event(
        session, EventKind.DOSSIER_ENDED, actor=actor, dossier_id=dossier.id,
        data={"state": state.value, "reason": dossier.end_reason, "ended_at": at.isoformat()},
    )  # fmt: skip
    return dossier


def record_payment(
    session: Session, dossier: Dossier, *, status: PaymentStatus, at: datetime, actor: str
) -> None:
    """The fees were paid (online or at the counter), or are still owed."""
    if dossier.fee_amount <= 0 and status is not PaymentStatus.NONE:
        raise InvalidRequest(f"dossier {dossier.code} owes no fee")
    dossier.payment_status = status
    append_event(
        session, EventKind.DOSSIER_PAID, actor=actor, dossier_id=dossier.id,
        data={"status": status.value, "amount": dossier.fee_amount, "at": at.isoformat()},
    )  # fmt: skip


def record_rating(
    session: Session, dossier: Dossier, *, rating: Rating, at: datetime, actor: str
) -> None:
    """The citizen's rating of the service, given after the result was returned."""
    if dossier.finished_at is None:
        raise InvalidRequest(f"dossier {dossier.code} has not been returned yet")
    dossier.rating, dossier.rated_at = rating, at
    append_event(
        session, EventKind.DOSSIER_RATED, actor=actor, dossier_id=dossier.id,
        data={"rating": rating.value, "at": at.isoformat()},
    )  # fmt: skip


def national_sources(values: Iterable[str]) -> list[str]:
    """The national data sources named, validated and deduplicated in a stable order."""
    try:
        chosen = {DataSource(v.strip()) for v in values}
    except ValueError as e:
        known = ", ".join(s.value for s in DataSource)
        raise InvalidRequest(f"unknown national data source ({known}): {e}") from e
    return [s.value for s in DataSource if s in chosen]
