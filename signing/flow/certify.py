"""Certified digitization (Circular 01/2023/TT-VPCP): the clerk's personal signature on a
digitized component's searchable PDF/A, with the "bản số hóa" notice top left of page 1,
turns it into a digitization result (storage.digitization). The request for it is
signing.flow.clerk's; this module makes the signature, on the `sign` queue."""

from __future__ import annotations

import logging

from config.settings import Settings
from signing.batch import BatchItem, sign_batch
from signing.flow.clerk import ACTOR
from signing.plan import digitization_options
from signing.profiles import signer_registry, signing_policy
from signing.services import ServiceConfig
from signing.sources import key_source
from storage.blobs import blob_store
from storage.db import open_database
from storage.digitization import get_result, record_certified
from storage.enums import CertificationState

log = logging.getLogger(__name__)


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
    blobs = blob_store(settings)
    options = digitization_options(profile, level, code)
    item = BatchItem(code, blobs.read_bytes(source_sha), options)
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
