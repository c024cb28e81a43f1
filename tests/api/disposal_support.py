"""An archived record whose retention period is over: a household business registration
(kept 20 years) whose result was signed in 2001, sealed into the archive today."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from config.settings import Settings
from storage.db import open_database
from storage.models import SignatureRequest
from tests.storage.archive_support import archive, build_dossier

BUSINESS = "1.001612"
"""Household business registration: kept 20 years from its result's signature."""
LONG_AGO = datetime(2001, 3, 16, 3, 0, tzinfo=UTC)


def expired_record(settings: Settings, unit: str, *, seed: int) -> str:
    """A record of `unit` archived today and past its retention period; its dossier code."""
    db = open_database(settings)
    built = build_dossier(db, settings, procedure=BUSINESS, unit=unit, seed=seed)
    with db.session() as session:
        session.execute(
            update(SignatureRequest)
            .where(SignatureRequest.document_id.in_(list(built.documents.values())))
            .values(signed_at=LONG_AGO)
        )
    archive(db, settings, built.code)
    return built.code
