"""Daily serials for dossier codes, unique under concurrent producers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from config.errors import InvalidRequest
from config.identifiers import format_dossier_code
from storage.models import DossierSerial

MAX_SERIAL = 9999


def allocate_dossier_code(session: Session, agency_code: str, day: date) -> str:
    """Take the next serial for (agency, day) in the caller's transaction.

    One atomic upsert: concurrent producers, on PostgreSQL or SQLite, each get their own
    serial, and a rolled-back transaction gives its serial back.
    """
    values = {"agency_code": agency_code, "day": f"{day:%y%m%d}", "last": 1}
    keys = ["agency_code", "day"]
    bump = {"last": DossierSerial.last + 1}
    upsert: Insert
    if session.get_bind().dialect.name == "postgresql":
        upsert = (
            postgresql.insert(DossierSerial)
            .values(values)
            .on_conflict_do_update(index_elements=keys, set_=bump)
        )
    else:
        upsert = (
            sqlite.insert(DossierSerial)
            .values(values)
            .on_conflict_do_update(index_elements=keys, set_=bump)
        )
    serial: int = session.execute(upsert.returning(DossierSerial.last)).scalar_one()
    if serial > MAX_SERIAL:
        raise InvalidRequest(f"agency {agency_code} has used all {MAX_SERIAL} codes for {day}")
    return format_dossier_code(agency_code, day, serial)
