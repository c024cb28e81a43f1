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
    REFUSED = "refused"
    """Refused after reception, with its reason (Circular 03/2025/TT-VPCP form 03)."""
    WITHDRAWN = "withdrawn"
    """The citizen withdrew it."""
    STOPPED = "stopped"
    """Processing was stopped, with its reason (form 05)."""


class Channel(StrEnum):
    """How the dossier reached the office (the national portal's KenhThucHien)."""

    DIRECT = "direct"
    """Handed in at the centre (KenhThucHien 1)."""
    ONLINE = "online"
    """Submitted online (KenhThucHien 2)."""
    POSTAL = "postal"
    """By public postal service (KenhThucHien 3)."""


class PaymentStatus(StrEnum):
    """Whether the dossier's fees were paid, and how."""

    NONE = "none"
    """No fee is due."""
    UNPAID = "unpaid"
    PAID_ONLINE = "paid_online"
    """Paid through the national portal's or the province's payment gateway."""
    PAID_DIRECT = "paid_direct"
    """Paid at the counter."""


class DataSource(StrEnum):
    """A national database or the e-ID whose data the dossier used instead of papers."""

    POPULATION = "population"
    """The national population database (CSDL quốc gia về dân cư)."""
    CIVIL_STATUS = "civil_status"
    """The civil-status database (CSDL hộ tịch điện tử)."""
    VNEID = "vneid"
    """An account authenticated with VNeID."""


class Rating(StrEnum):
    """The citizen's rating of the service after the result was returned."""

    SATISFIED = "satisfied"
    NEUTRAL = "neutral"
    DISSATISFIED = "dissatisfied"


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
    SPLIT = "split"
    """A scanned stack divided into documents of its own; it is the parts that count."""
    SUPERSEDED = "superseded"
    """A part replaced when a clerk split the stack differently."""


class InboxStatus(StrEnum):
    """Where a file a scanner left in a unit's inbox folder is."""

    WAITING = "waiting"
    """Stored; no cover sheet named its dossier, so a clerk must assign it."""
    FILED = "filed"
    """Filed into a dossier (by its cover sheet or by a clerk) and queued for digitization."""
    REJECTED = "rejected"
    """Not a document (empty, wrong type, too large): the reason is recorded."""
    SPLIT = "split"
    """Cut by a clerk into several files, each an item of its own that waits in its place;
    the original's bytes stay stored under its SHA-256."""


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
    JOB_FAILED = "job.failed"
    """A job with no row of its own to fail (archiving, nightly maintenance, webhook
    deliveries) failed: its kind, id, reason and whether for good (storage.job_records)."""
    SIGNATURE_REQUESTED = "signature.requested"
    SIGNATURE_PREPARED = "signature.prepared"
    NUMBER_ISSUED = "document.number_issued"
    DOCUMENT_SIGNED = "document.signed"
    SIGNATURE_FAILED = "signature.failed"
    SIGNATURE_RETRY = "signature.retry_scheduled"
    RECORD_ARCHIVED = "record.archived"
    ARCHIVE_REFUSED = "record.archive_refused"
    RECORD_ACCESSED = "record.accessed"
    FIXITY_CHECKED = "record.fixity_checked"
    FIXITY_ALERT = "record.fixity_alert"
    FIXITY_REPAIRED = "record.fixity_repaired"
    ALERT_ACKNOWLEDGED = "record.alert_acknowledged"
    RECORD_DISPOSED = "record.disposed"
    DOCUMENT_SPLIT = "document.split"
    DOCUMENT_CORRECTED = "document.corrected"
    FIELD_CORRECTED = "document.field_corrected"
    """A clerk set an extracted field's value: which field, the value before and after."""
    INBOX_FILED = "inbox.filed"
    INBOX_SPLIT = "inbox.split"
    """A clerk cut a waiting scanner file into parts: the original, the pages of each part
    and the items they became."""
    INBOX_TURNED = "inbox.turned"
    """A clerk turned a page of a waiting scanner file: the page, the turn, and the file's
    SHA-256 before and after (the earlier bytes stay stored)."""
    DOSSIER_RETURNED = "dossier.returned"
    """The result was given back to the citizen: the dossier is finished."""
    DOSSIER_ROUTED = "dossier.routed"
    """The dossier went to another competent unit (Decree 118/2025/NĐ-CP)."""
    DOSSIER_PROCESSED = "dossier.processed"
    """Processing finished: the result is ready (the portal's "Đã xử lý xong")."""
    DOSSIER_ENDED = "dossier.ended"
    """Refused, withdrawn or stopped, with the reason."""
    DOSSIER_PAID = "dossier.paid"
    DOSSIER_RATED = "dossier.rated"
    """The citizen rated the service after the return."""
    SUPPLEMENT_REQUESTED = "dossier.supplement_requested"
    """The office waits for the citizen to supplement the dossier: its clock stops."""
    SUPPLEMENT_LATE = "dossier.supplement_late"
    """A supplement was asked for more than the allowed working days after receipt, or for
    a second time (Decree 118/2025/NĐ-CP: once, within 3 working days); a warning."""
    SUPPLEMENT_RECEIVED = "dossier.supplement_received"
    """The supplement arrived: the clock runs again, the appointment moved."""
    APOLOGY_SENT = "dossier.apology_sent"
    """An overdue dossier's apology letter and new date were given to the citizen."""
    CERTIFICATION_REQUESTED = "document.certification_requested"
    DOCUMENT_CERTIFIED = "document.certified"
    """The clerk's signature makes a digitized component a digitization result."""
    CERTIFICATION_FAILED = "document.certification_failed"
    COMPONENT_REUSED = "component.reused"
    """A component points at a digitization result of an earlier dossier, not a new scan."""
    COMPONENT_NATIONAL_CHECKED = "component.national_checked"
    """A component was satisfied by a national-database lookup (population, civil status,
    VNeID shown by the citizen) instead of a paper: which database, the record's reference,
    who looked it up and when."""
    RESCAN_REQUESTED = "document.rescan_requested"
    """A clerk asked for a document's paper to be scanned again (and said why)."""
    USER_ADDED = "user.added"
    USER_CHANGED = "user.changed"


class SignatureState(StrEnum):
    """Where one requested signature on a result document is."""

    QUEUED = "queued"
    """Waiting for its turn (the signatures before it) or for a worker."""
    AWAITING_TOKEN = "awaiting_token"  # noqa: S105  # a state, not a secret
    """Prepared; its digest waits for the leader's own token (sohoa sign-agent)."""
    SIGNED = "signed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class PackageStatus(StrEnum):
    """Where one version of an archival package is in its life."""

    ACTIVE = "active"
    """The record's current version."""
    SUPERSEDED = "superseded"
    """An earlier version a correction replaced; kept, never modified."""
    DISPOSED = "disposed"
    """Destroyed after its retention period by a recorded decision; only metadata is left."""


class ArchiveCopy(StrEnum):
    """Which copy of a package a file is in."""

    PRIMARY = "primary"
    REPLICA = "replica"


class AlertKind(StrEnum):
    """What a fixity check found wrong with a file of a package."""

    CHANGED = "changed"
    """The file's SHA-256 is not the one recorded when the package was made."""
    MISSING = "missing"
    """A file of the package is gone."""
    UNEXPECTED = "unexpected"
    """A file that was never part of the package appeared in its directory."""


class IndexState(StrEnum):
    """What the search index holds for a document."""

    DIGITIZED = "digitized"
    """Indexed when digitized; not archived yet."""
    ARCHIVED = "archived"
    """Part of an archived record: the record's metadata is indexed with it."""
    DISPOSED = "disposed"
    """A tombstone: the record was disposed of; metadata only, no text."""


class CertificationState(StrEnum):
    """Where a digitization result is: waiting for the clerk's signature, or made."""

    PENDING = "pending"
    SIGNED = "signed"
    """Signed by the clerk who digitized it: a digitization result that counts and may be
    reused."""
    FAILED = "failed"


class DeliveryState(StrEnum):
    """Where one outbox message is on its way to one receiver."""

    PENDING = "pending"
    """Not acknowledged yet; retried with backoff until it is."""
    DELIVERED = "delivered"


class UserRole(StrEnum):
    """What a user of the web service does; the policy (api.http.policy) says what each may."""

    CLERK = "clerk"
    """Cán bộ một cửa: receives and digitizes their unit's dossiers."""
    LEADER = "leader"
    """Lãnh đạo: signs their unit's results with their own signer profile."""
    ARCHIVIST = "archivist"
    """Cán bộ lưu trữ: archives, searches and hands out records; every access is logged."""
    ADMIN = "admin"
    """Manages accounts; reads the statistics."""
    EXCHANGE = "exchange"
    """A provincial one-stop system's service account: reads its unit's exchange feed (and
    the files it links) and acknowledges messages, nothing else. It has no password: its
    bearer tokens are issued by `sohoa exchange token`."""


class TokenKind(StrEnum):
    """What a stored credential is for."""

    SESSION = "session"
    """A browser session (HttpOnly cookie), with its anti-forgery token."""
    API = "api"
    """A bearer token for the HTTP API."""
