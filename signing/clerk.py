"""Who certifies a digitized component and the request for it: the unit's clerk and a
pending digitization result (storage.digitization). A digitizing worker asks for the
signature here as each component is digitized; it must not load the signing stack
(pyHanko, the stamp and PDF/A machinery) to do so: signing.certify makes the signature on
the `sign` queue.
"""

from __future__ import annotations

from datetime import datetime

from config.catalogue import get_catalogue
from config.errors import ConfigurationError, NotFound
from config.settings import Settings
from signing.profiles import AgentKey, Role, SignerProfile, signer_registry
from storage.db import open_database
from storage.digitization import request_certification
from storage.documents import get_document
from storage.enums import DocumentStatus
from storage.models import Document

ACTOR = "signing"


def clerk_profile(settings: Settings, unit_code: str) -> SignerProfile:
    """The unit's clerk who signs its digitization results (signers.yaml, role clerk).

    The key is the unit's clerk's, whoever is signed in; the profile is recorded on each
    result, so who signed stays known."""
    profile = signer_registry(settings).for_role(Role.CLERK, unit_code)
    if isinstance(profile.key, AgentKey):
        raise ConfigurationError(
            f"signer profile {profile.name}: a clerk signs on the server (pkcs12, pkcs11, "
            "csc), not through the leader's signing agent"
        )
    return profile


def ask_clerk_signature(settings: Settings, document_id: int, *, today: datetime) -> int | None:
    """Request the clerk's signature on a digitized document (once); the result's id, or
    None when the document is not one to certify (the dossier's result, or not digitized).
    """
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
        return result.id


def _is_result(document: Document) -> bool:
    """The dossier's result is signed by its leader and seal, not certified as a scan."""
    try:
        procedure = get_catalogue().procedure(document.dossier.procedure_code)
    except NotFound:
        return False
    return document.document_type == procedure.result_type
