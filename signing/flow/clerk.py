"""The request for a clerk's signature on a digitized component: a pending digitization
result (storage.digitization) for the unit's clerk. A digitizing worker asks for the
signature here as each component is digitized; it must not load the signing stack
(pyHanko, the stamp and PDF/A machinery) to do so: signing.flow.certify makes the signature
on the `sign` queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from config.catalogue import get_catalogue
from config.errors import NotFound
from config.settings import Settings
from signing.profiles import clerk_profile
from storage.db import open_database
from storage.digitization import request_certification
from storage.documents import get_document
from storage.enums import CertificationState, DocumentStatus
from storage.models import Document

ACTOR = "signing"


@dataclass(frozen=True)
class AskedSignature:
    """A digitization result awaiting (or past) its clerk's signature."""

    result_id: int
    owed: bool
    """Still pending: a signature is yet to be made."""
    job_id: str | None
    """The last job noted on it (workers.jobs), live or not."""


def ask_clerk_signature(
    settings: Settings, document_id: int, *, today: datetime
) -> AskedSignature | None:
    """Request the clerk's signature on a digitized document (once); the result as it
    stands, or None when the document is not one to certify (the dossier's result, or not
    digitized)."""
    with open_database(settings).session() as session:
        document = get_document(session, document_id)
        if document.status is not DocumentStatus.DIGITIZED or _is_result(document):
            return None
        profile = clerk_profile(settings, document.dossier.unit_code)
        result, _ = request_certification(
            session,
            document_id,
            signer_profile=profile.name,
            signer_name=profile.full_name,
            today=today.astimezone(settings.zone).date(),
            actor=ACTOR,
        )
        owed = result.status is CertificationState.PENDING
        return AskedSignature(result.id, owed, result.job_id)


def _is_result(document: Document) -> bool:
    """The dossier's result is signed by its leader and seal, not certified as a scan."""
    try:
        procedure = get_catalogue().procedure(document.dossier.procedure_code)
    except NotFound:
        return False
    return document.document_type == procedure.result_type
