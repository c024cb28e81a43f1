"""Whose a dossier, a document or a stored file is: the unit (and dossier code) a route
checks access against before acting, in one indexed lookup, without building a view."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from config.errors import NotFound
from config.settings import Settings
from storage.blobs import blob_store
from storage.db import open_database
from storage.documents import get_document
from storage.models import (
    Component,
    DigitizationResult,
    Document,
    Dossier,
    SignatureRequest,
)


def dossier_owner(settings: Settings, code: str) -> str:
    """The unit a dossier belongs to (NotFound if there is none): one indexed lookup, for
    routes that check access before acting, without building the dossier's view."""
    with open_database(settings).session(readonly=True) as session:
        unit = session.scalars(
            select(Dossier.unit_code).where(Dossier.code == code.strip())
        ).one_or_none()
    if unit is None:
        raise NotFound(f"no dossier with code {code!r}")
    return unit


def document_owner(settings: Settings, document_id: int) -> tuple[str, str]:
    """The unit and dossier code a document belongs to (NotFound if there is none)."""
    with open_database(settings).session(readonly=True) as session:
        document = get_document(session, document_id)
        return document.dossier.unit_code, document.dossier.code


@dataclass(frozen=True)
class HeldBlob:
    """A stored file, and the dossiers (code, unit) holding it."""

    sha256: str
    media_type: str
    name: str
    holders: list[tuple[str, str]]
    path: Path
    """Where the blob store keeps it, to send to a holder who may read it."""


def blob_holders(settings: Settings, sha256: str) -> HeldBlob:
    """The dossiers holding a blob: as a document's original or searchable PDF, as a
    digitization result (its own dossier's and every dossier reusing it) or as a signature's
    output. NotFound if none does (a blob no record names is nobody's to read)."""
    sha = sha256.lower()
    name, media = f"{sha[:16]}.pdf", "application/pdf"
    with open_database(settings).session(readonly=True) as session:
        dossier_ids = set(
            session.scalars(
                select(Document.dossier_id).where(
                    (Document.original_sha256 == sha) | (Document.pdf_sha256 == sha)
                )
            )
        )
        original = session.scalars(
            select(Document).where(Document.original_sha256 == sha).limit(1)
        ).one_or_none()
        if original is not None and original.pdf_sha256 != sha:
            name, media = original.original_filename, original.media_type
        results = list(
            session.scalars(
                select(
                    DigitizationResult.id,
                ).where(DigitizationResult.pdf_sha256 == sha)
            )
        )
        dossier_ids |= set(
            session.scalars(
                select(DigitizationResult.dossier_id).where(DigitizationResult.pdf_sha256 == sha)
            )
        )
        if results:
            dossier_ids |= set(
                session.scalars(
                    select(Component.dossier_id).where(Component.result_id.in_(results))
                )
            )
        dossier_ids |= set(
            session.scalars(
                select(SignatureRequest.dossier_id).where(SignatureRequest.output_sha256 == sha)
            )
        )
        holders = [
            (code, unit)
            for code, unit in session.execute(
                select(Dossier.code, Dossier.unit_code).where(Dossier.id.in_(dossier_ids))
            )
        ]
    if not holders:
        raise NotFound(f"no record holds file {sha}")
    return HeldBlob(sha, media, name, holders, blob_store(settings).path(sha))
