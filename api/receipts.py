"""The receipt a clerk prints for a dossier: its code as text and as a QR code, so the
stack scanned behind it files itself (see api.inbox)."""

from __future__ import annotations

from config.catalogue import get_catalogue
from config.settings import Settings
from digitize.receipt import Receipt, receipt_items, receipt_pdf
from signing.profiles import Role, signer_registry
from storage.db import open_database
from storage.dossiers import get_dossier

COUNCIL = "Ủy ban nhân dân "


def agency_name(settings: Settings, unit_code: str) -> str:
    """The unit's name as its leader's signer profile gives it, else its code."""
    profile = signer_registry(settings).for_role(Role.LEADER, unit_code)
    return profile.unit if profile.unit_code == unit_code and profile.unit else unit_code


def dateline_place(agency: str) -> str:
    """The dateline's place: "Ủy ban nhân dân xã Hòa Bình" gives "Xã Hòa Bình"."""
    place = agency.removeprefix(COUNCIL)
    return place[:1].upper() + place[1:]


def dossier_receipt(settings: Settings, code: str) -> bytes:
    """The receipt of a dossier as an A4 PDF: what was received, when, and when it is due."""
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        procedure = get_catalogue().procedure(dossier.procedure_code)
        handed_in = [c.label for c in dossier.components if c.documents]
        listed = handed_in or [c.label for c in dossier.components if c.required]
        agency = agency_name(settings, dossier.unit_code)
        receipt = Receipt(
            dossier_code=dossier.code,
            agency=agency,
            place=dateline_place(agency),
            applicant=dossier.applicant_name,
            procedure=procedure.name,
            items=receipt_items(listed),
            received_at=dossier.received_at.astimezone(settings.zone),
            appointment=(dossier.appointment_at or dossier.received_at).astimezone(settings.zone),
            processing_time=procedure.processing_time(),
            receiver=dossier.created_by,
            id_number=dossier.applicant_id_number,
        )
    return receipt_pdf(receipt)
