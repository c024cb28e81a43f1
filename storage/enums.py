"""The states of dossiers, components and documents, and the kinds of logged events."""

from __future__ import annotations

from enum import StrEnum


class DossierStatus(StrEnum):
    """Where a dossier is in its life at the one-stop office."""

    RECEIVED = "received"
    PROCESSING = "processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    RETURNED = "returned"
    ARCHIVED = "archived"
    CANCELLED = "cancelled"


class ComponentState(StrEnum):
    """Whether a dossier component has its paper digitized."""

    MISSING = "missing"
    """No file received for it yet."""
    RECEIVED = "received"
    """A file is stored and waiting for (or in) digitization."""
    DIGITIZED = "digitized"
    """A searchable PDF of it is attached."""
    FAILED = "failed"
    """Its file could not be digitized; the clerk must rescan or replace it."""


class DocumentStatus(StrEnum):
    """Where one stored file is in the digitization pipeline."""

    QUEUED = "queued"
    PROCESSING = "processing"
    DIGITIZED = "digitized"
    FAILED = "failed"


class EventKind(StrEnum):
    """What an append-only event records."""

    DOSSIER_RECEIVED = "dossier.received"
    DOCUMENT_UPLOADED = "document.uploaded"
    UPLOAD_REJECTED = "upload.rejected"
    DIGITIZE_STARTED = "document.digitize_started"
    DOCUMENT_DIGITIZED = "document.digitized"
    DOCUMENT_CLASSIFIED = "document.classified"
    DOCUMENT_FAILED = "document.failed"
    RETRY_SCHEDULED = "document.retry_scheduled"
    JOB_REQUEUED = "document.job_requeued"
    SIGNATURE_REQUESTED = "signature.requested"
    SIGNATURE_PREPARED = "signature.prepared"
    NUMBER_ISSUED = "document.number_issued"
    DOCUMENT_SIGNED = "document.signed"
    SIGNATURE_FAILED = "signature.failed"
    SIGNATURE_RETRY = "signature.retry_scheduled"


class SignatureState(StrEnum):
    """Where one requested signature on a result document is."""

    QUEUED = "queued"
    """Waiting for its turn (the signatures before it) or for a worker."""
    AWAITING_TOKEN = "awaiting_token"  # noqa: S105  # a state, not a secret
    """Prepared; its digest waits for the leader's own token (sohoa sign-agent)."""
    SIGNED = "signed"
    FAILED = "failed"
    CANCELLED = "cancelled"
