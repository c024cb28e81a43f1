"""Certified digitization (Circular 01/2023/TT-VPCP): the clerk's personal signature on a
digitized component's searchable PDF/A, with the "bản số hóa" notice top left of page 1,
turns it into a digitization result (storage.digitization)."""

from __future__ import annotations

import logging
from datetime import datetime

from config.catalogue import get_catalogue
from config.errors import ConfigurationError, NotFound
from config.settings import Settings
from signing.batch import BatchItem, sign_batch
from signing.plan import digitization_options
from signing.profiles import AgentKey, Role, SignerProfile, signer_registry, signing_policy
from signing.services import ServiceConfig
from signing.sources import key_source
from storage.blobs import LocalBlobStore
from storage.db import open_database
from storage.digitization import get_result, record_certified, request_certification
from storage.documents import get_document
from storage.enums import CertificationState, DocumentStatus
from storage.models import Document

log = logging.getLogger(__name__)

ACTOR = "signing"


def clerk_profile(settings: Settings, unit_code: str) -> SignerProfile:
    """The unit's clerk who signs its digitization results (signers.yaml, role clerk).

    Until people log in (issue 7), the clerk is the unit's; the profile is recorded on
    each result, so who signed stays known."""
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


def run_certification(settings: Settings, result_id: int) -> str:
    """Sign one pending digitization result with its clerk's key, store the signed PDF/A and
    record it; returns the result's status ("signed", or as it already was)."""
    with open_database(settings).session() as session:
        result = get_result(session, result_id)
        if result.status is not CertificationState.PENDING:
            return result.status.value
        result.attempts += 1
        source_sha = result.document.pdf_sha256
        profile_name, code = result.signer_profile, result.code
    assert source_sha is not None
    profile = signer_registry(settings).get(profile_name)
    level = signing_policy(settings).digitization_level or signing_policy(settings).default_level
    blobs = LocalBlobStore(settings.blob_path)
    options = digitization_options(profile, level, code)
    item = BatchItem(code, blobs.path(source_sha).read_bytes(), options)
    (outcome,) = sign_batch(
        [item], key_source(profile.key, settings), ServiceConfig.from_settings(settings)
    )
    if outcome.error is not None:
        raise outcome.error
    assert outcome.signed is not None
    blob = blobs.put_bytes(outcome.signed.data)
    with open_database(settings).session() as session:
        record_certified(
            session,
            result_id,
            pdf_sha256=blob.sha256,
            signed_at=outcome.signed.signed_at,
            actor=ACTOR,
        )
    log.info("digitization result %s signed by %s", code, profile_name)
    return CertificationState.SIGNED.value
