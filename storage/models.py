"""Database tables: dossiers, their components, stored documents and the event log."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.enums import (
    AlertKind,
    ArchiveCopy,
    CertificationState,
    Channel,
    ComponentState,
    DeliveryState,
    DocumentStatus,
    DossierStatus,
    InboxStatus,
    IndexState,
    PackageStatus,
    PaymentStatus,
    Rating,
    SignatureState,
    TokenKind,
    UserRole,
)
from storage.types import JsonType, UtcDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum(cls: type[StrEnum]) -> Enum:
    """Store a StrEnum as its string value in a plain VARCHAR (no native enum to migrate)."""
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Dossier(Base):
    """A citizen's dossier for one administrative procedure."""

    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    """National dossier code, e.g. 000.00.12.H42-250314-0012."""
    procedure_code: Mapped[str] = mapped_column(String(32), index=True)
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_id_number: Mapped[str | None] = mapped_column(String(12), index=True)
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    """The receiving unit (units.yaml): where the papers were handed in and scanned, whose
    agency code the dossier code carries."""
    competent_unit_code: Mapped[str] = mapped_column(String(64), index=True)
    """The competent unit that resolves it (Decree 118/2025/NĐ-CP): the receiving unit
    unless the dossier was received elsewhere or routed (event dossier.routed)."""
    status: Mapped[DossierStatus] = mapped_column(_enum(DossierStatus))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    rules: Mapped[str] = mapped_column(String(32), default="ND118-2025")
    """The one-stop rules in force the day it was received (config.onestop): it is judged by
    them (supplement and apology windows) whatever came later."""
    appointment_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """When the result was returned to the citizen."""
    first_appointment_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """The appointment printed on the receipt, never moved (the national portal subtracts
    supplement time from the end instead of moving it)."""
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """When processing finished (the result ready: its last signature); what the portal's
    on-time figure judges, not the return."""
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """When it was refused, withdrawn or stopped (status says which)."""
    end_reason: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[Channel] = mapped_column(_enum(Channel), default=Channel.DIRECT)
    fee_amount: Mapped[int] = mapped_column(Integer, default=0)
    """Fees and charges due, in đồng (0: none)."""
    payment_status: Mapped[PaymentStatus] = mapped_column(
        _enum(PaymentStatus), default=PaymentStatus.NONE
    )
    national_data: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    """DataSource values whose data the dossier used (population DB, civil status, VNeID)."""
    rating: Mapped[Rating | None] = mapped_column(_enum(Rating))
    rated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    components: Mapped[list[Component]] = relationship(
        back_populates="dossier", order_by="Component.position", cascade="all, delete-orphan"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="dossier", order_by="Document.id", cascade="all, delete-orphan"
    )


class Component(Base):
    """One component of a dossier, as the procedure lists it or as found among the scans."""

    __tablename__ = "components"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    expected_type: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(300))
    required: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[ComponentState] = mapped_column(_enum(ComponentState))
    result_id: Mapped[int | None] = mapped_column(
        ForeignKey("digitization_results.id", use_alter=True), index=True
    )
    """The digitization result this component counts with: made from its own scan, or
    reused from an earlier dossier of the same citizen (no new file)."""
    national_source: Mapped[str | None] = mapped_column(String(32))
    """The national database (storage.enums.DataSource) the clerk checked this paper against
    instead of taking it (storage.national_checks); None: not checked."""
    national_reference: Mapped[str | None] = mapped_column(String(100))
    """The looked-up record's reference, as the database or VNeID showed it."""
    national_checked_by: Mapped[str | None] = mapped_column(String(100))
    national_checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    dossier: Mapped[Dossier] = relationship(back_populates="components")
    result: Mapped[DigitizationResult | None] = relationship(foreign_keys=[result_id])
    documents: Mapped[list[Document]] = relationship(
        back_populates="component", order_by="Document.id"
    )


_ROOT = "parent_id IS NULL"


class Document(Base):
    """One document of a dossier and what digitization made of it: a stored file, or the
    pages of a scanned stack (its parent) that form one document."""

    __tablename__ = "documents"
    __table_args__ = (
        Index(
            "uq_documents_root_original",
            "dossier_id",
            "original_sha256",
            unique=True,
            sqlite_where=text(_ROOT),
            postgresql_where=text(_ROOT),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    component_id: Mapped[int | None] = mapped_column(ForeignKey("components.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    """The scanned stack this document's pages were split from; None for an uploaded file."""
    first_page: Mapped[int | None] = mapped_column(Integer)
    """First page of the original file that belongs to this document (1-based); None: the
    first. On an uploaded stack, 2 means its page 1 was a cover sheet, not a document."""
    last_page: Mapped[int | None] = mapped_column(Integer)
    """Last page of the original file that belongs to it; None: the last."""
    force_ocr: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The clerk asked for every PDF page to be OCRed, whatever its own text layer."""
    original_filename: Mapped[str] = mapped_column(String(255))
    original_sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(64))
    status: Mapped[DocumentStatus] = mapped_column(_enum(DocumentStatus))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    """The searchable PDF in the blob store."""
    pdf_size: Mapped[int | None] = mapped_column(Integer)
    pdfa: Mapped[bool | None] = mapped_column(Boolean)
    """Whether the searchable PDF passed PDF/A-2b validation when written."""
    text: Mapped[str | None] = mapped_column(Text)
    """Recognised or extracted text, NFC, pages separated by form feeds."""
    document_type: Mapped[str | None] = mapped_column(String(64), index=True)
    type_confidence: Mapped[float | None] = mapped_column(Float)
    type_source: Mapped[str | None] = mapped_column(String(16))
    """Why this type: model, rules, threshold (khac: no type sure enough), empty, clerk."""
    type_candidates: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    """Runner-up types with their probabilities, for the clerk to pick from."""
    fields: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    """Extracted data by name: {"value", "page", "confidence"}."""
    page_count: Mapped[int | None] = mapped_column(Integer)
    page_info: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    job_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    digitized_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    dossier: Mapped[Dossier] = relationship(back_populates="documents")
    component: Mapped[Component | None] = relationship(back_populates="documents")
    parent: Mapped[Document | None] = relationship(remote_side=[id], back_populates="parts")
    parts: Mapped[list[Document]] = relationship(back_populates="parent", order_by="Document.id")


class InboxItem(Base):
    """A file a unit's scanner left in its inbox folder, stored before anything else."""

    __tablename__ = "inbox_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str | None] = mapped_column(String(64))
    """The stored file; None when it was refused before storing (empty, wrong type)."""
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[InboxStatus] = mapped_column(_enum(InboxStatus), index=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    """The document it became in its dossier."""
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class Event(Base):
    """An append-only record of something that happened; the database refuses edits, and
    each entry is chained to the one before by its digest (storage.audit)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_dossier_at", "dossier_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    actor: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    """The previous entry's digest (storage.audit.CHAIN_START for the first)."""
    entry_hash: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of this entry's content and prev_hash (storage.audit.canonical); None only on
    a row written around sohoa, which `sohoa audit verify` reports."""


class DossierSerial(Base):
    """The last serial given out per agency and day: the XXXX of a dossier code."""

    __tablename__ = "dossier_serials"

    agency_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[str] = mapped_column(String(6), primary_key=True)
    """YYMMDD in the office's time zone."""
    last: Mapped[int] = mapped_column(Integer)


class SignatureRequest(Base):
    """One signature requested on a result document, in its place in the signing order."""

    __tablename__ = "signature_requests"
    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    """0 for the first signature (which certifies the document), then 1, 2..."""
    role: Mapped[str] = mapped_column(String(32))
    """leader, drafter or organisation (signing.profiles.Role)."""
    profile: Mapped[str] = mapped_column(String(100), index=True)
    """The signer profile (signers.yaml) that signs: the named leader, or the seal."""
    signer_name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(8))
    """PAdES level: B-B, B-T, B-LT or B-LTA."""
    status: Mapped[SignatureState] = mapped_column(_enum(SignatureState), index=True)
    input_sha256: Mapped[str | None] = mapped_column(String(64))
    """The PDF this signature was applied to (the previous signature's output)."""
    output_sha256: Mapped[str | None] = mapped_column(String(64))
    """The signed PDF in the blob store."""
    prepared_sha256: Mapped[str | None] = mapped_column(String(64))
    """For a leader's own token: the prepared document waiting for the signature value."""
    prepared: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    """For a leader's own token: the prepared signature's state (signing.remote)."""
    fill: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    """Form fields this signature fills (văn thư: number and issue date)."""
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    job_id: Mapped[str | None] = mapped_column(String(100))
    requested_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    document: Mapped[Document] = relationship()


class IssueSerial(Base):
    """The last number given to an issued document per unit, year and register: the văn
    thư's register, or a book of its own (a civil-status book)."""

    __tablename__ = "issue_serials"

    unit_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    register: Mapped[str] = mapped_column(String(64), primary_key=True, default="van-thu")
    last: Mapped[int] = mapped_column(Integer)


class ArchivePackage(Base):
    """One version of a dossier's archival information package: a BagIt bag in the archive
    and its replica. What it holds (`files`, `path`) never changes once written; the
    database refuses such updates. A correction is a new version pointing at this one."""

    __tablename__ = "archive_packages"
    __table_args__ = (UniqueConstraint("dossier_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    """1 for the first package of a record, then 2, 3... for corrections."""
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("archive_packages.id"))
    """The version this one corrects."""
    record_code: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(500))
    path: Mapped[str] = mapped_column(String(300))
    """The bag's directory, relative to the archive root (and to the replica's)."""
    status: Mapped[PackageStatus] = mapped_column(_enum(PackageStatus), index=True)
    retention: Mapped[str] = mapped_column(String(16))
    """`permanent` or the years it is kept, e.g. `70` (config.retention.Retention.code)."""
    retain_until: Mapped[date | None] = mapped_column(Date, index=True)
    """The day it may be disposed of; None when permanent."""
    access_regime: Mapped[str] = mapped_column(String(32))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    document_count: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer)
    file_count: Mapped[int] = mapped_column(Integer)
    total_bytes: Mapped[int] = mapped_column(BigInteger)
    files: Mapped[dict[str, Any]] = mapped_column(JsonType)
    """Every file of the bag, tag files included: {path: {"sha256": ..., "size": ...}}."""
    record: Mapped[dict[str, Any]] = mapped_column(JsonType)
    """The record's metadata as written in the bag (data/metadata/record.json): what a
    tombstone keeps after disposal."""
    correction_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_fixity_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    last_fixity_ok: Mapped[bool | None] = mapped_column(Boolean)
    disposed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    disposal_reference: Mapped[str | None] = mapped_column(String(200))
    """The disposal decision's number and date, e.g. "Quyết định số 12/QĐ-UBND ngày ..."."""
    disposal_decided_by: Mapped[str | None] = mapped_column(String(200))

    dossier: Mapped[Dossier] = relationship()


class FixityAlert(Base):
    """A file of a package found changed, missing or unexpected: open until acknowledged."""

    __tablename__ = "fixity_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("archive_packages.id"), index=True)
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    copy: Mapped[ArchiveCopy] = mapped_column(_enum(ArchiveCopy))
    kind: Mapped[AlertKind] = mapped_column(_enum(AlertKind))
    path: Mapped[str] = mapped_column(String(500))
    expected_sha256: Mapped[str | None] = mapped_column(String(64))
    found_sha256: Mapped[str | None] = mapped_column(String(64))
    repaired: Mapped[bool] = mapped_column(Boolean)
    """Whether the check put the good copy back (or moved the unexpected file aside)."""
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

    package: Mapped[ArchivePackage] = relationship()


class SearchEntry(Base):
    """One document in the search index: its text and metadata folded for diacritic-free
    matching (config.text.fold), and the columns results are filtered on.

    The full-text structures are the database's own, kept in step by it within the same
    transaction: an FTS5 table fed by triggers on SQLite, a generated tsvector column on
    PostgreSQL (migration 0003; storage.search.schema).
    """

    __tablename__ = "search_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    dossier_code: Mapped[str] = mapped_column(String(40), index=True)
    procedure_code: Mapped[str] = mapped_column(String(32), index=True)
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    document_type: Mapped[str | None] = mapped_column(String(64), index=True)
    doc_date: Mapped[date | None] = mapped_column(Date, index=True)
    """The document's issue date where it was read, else the day its dossier was received."""
    record_code: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[IndexState] = mapped_column(_enum(IndexState))
    display_title: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(Text)
    """Folded words of the title, type name, number and symbol: weighted highest."""
    meta: Mapped[str] = mapped_column(Text)
    """Folded words of every metadata field of the document, its dossier and its record."""
    body: Mapped[str] = mapped_column(Text)
    """Folded words of the document's text (empty for a disposed record's tombstone)."""
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    id_numbers: Mapped[list[SearchIdNumber]] = relationship(cascade="all, delete-orphan")


class SearchIdNumber(Base):
    """A personal ID number a document is about (its own fields, its dossier's applicant):
    the exact filter `--id-number` uses."""

    __tablename__ = "search_id_numbers"

    entry_id: Mapped[int] = mapped_column(ForeignKey("search_entries.id"), primary_key=True)
    id_number: Mapped[str] = mapped_column(String(12), primary_key=True, index=True)


class DossierPause(Base):
    """A time the office waited for the citizen to supplement the dossier: the clock of its
    processing time stops, and the appointment moves by the working days it waited."""

    __tablename__ = "dossier_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    """What the citizen must bring, as told to them (Vietnamese)."""
    paused_at: Mapped[datetime] = mapped_column(UtcDateTime())
    paused_by: Mapped[str] = mapped_column(String(100))
    resumed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resumed_by: Mapped[str | None] = mapped_column(String(100))
    working_days: Mapped[int | None] = mapped_column(Integer)
    """Working days the appointment moved when the supplement arrived."""


class DigitizationResult(Base):
    """A certified digitization result (Circular 01/2023/TT-VPCP): a component's searchable
    PDF/A signed by the clerk who digitized it, its extracted data and its code; indexed by
    its owner's personal ID number so later dossiers reuse it instead of rescanning."""

    __tablename__ = "digitization_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    """Digitization-result code (config.identifiers.format_digitization_code, or
    format_owner_digitization_code in the catalogue's per-owner scheme)."""
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    """The dossier it was digitized for (reusing dossiers point at it from components)."""
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    document_type: Mapped[str] = mapped_column(String(64), index=True)
    owner_id_number: Mapped[str | None] = mapped_column(String(12), index=True)
    """The personal ID number of the document's owner (read on it, else the applicant's)."""
    title: Mapped[str] = mapped_column(String(300))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    """Extracted data by name (the digitized document's fields' values)."""
    issued_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    """Last day it may be reused; None: valid without limit."""
    status: Mapped[CertificationState] = mapped_column(_enum(CertificationState), index=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    """The signed PDF/A in the blob store (set when signed)."""
    signer_profile: Mapped[str] = mapped_column(String(100))
    signer_name: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    job_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    document: Mapped[Document] = relationship()
    dossier: Mapped[Dossier] = relationship()


class ExchangeMessage(Base):
    """The outbox: one published state change of a dossier, built from one event (its id is
    the event's, so a consumer importing twice recognises it)."""

    __tablename__ = "exchange_messages"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ExchangeCursor(Base):
    """How far a consumer of the event log has read (the outbox's filler: `outbox`)."""

    __tablename__ = "exchange_cursors"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(Integer)


class WebhookEndpoint(Base):
    """A system that receives the outbox's messages: a provincial one-stop system."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(200))
    """The shared HMAC-SHA256 key of the X-Sohoa-Signature header."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
    """Messages up to this event id have a delivery row (the endpoint's outbox cursor)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class WebhookDelivery(Base):
    """One message to one endpoint: pending until the receiver answered 2xx."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_deliveries_due", "endpoint_id", "status", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id"))
    event_id: Mapped[int] = mapped_column(ForeignKey("exchange_messages.event_id"))
    status: Mapped[DeliveryState] = mapped_column(_enum(DeliveryState))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_status: Mapped[int | None] = mapped_column(Integer)
    """The receiver's last HTTP status; None when it could not be reached."""
    last_error: Mapped[str | None] = mapped_column(Text)


class WebhookAttempt(Base):
    """The delivery log: every attempt, with what the receiver said or why it was not reached."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)


class User(Base):
    """A person who uses the web service: their role, their unit and their credentials."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    """Login name, NFC and lower case."""
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[UserRole] = mapped_column(_enum(UserRole))
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    """The unit (commune, district office) whose dossiers the user sees."""
    signer_profile: Mapped[str | None] = mapped_column(String(100), unique=True, index=True)
    """For a leader: the signer profile (signers.yaml) they sign with, and no other; a
    profile is one account's."""
    password_hash: Mapped[str] = mapped_column(String(255))
    """Argon2id, in the PHC string format argon2-cffi writes."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    """The password was set by someone else (an admin, `sohoa user`): it only lets its
    holder choose a new one."""
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class AuthToken(Base):
    """A browser session or an API bearer token. Only the token's SHA-256 is kept: a copy of
    the database opens no session."""

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[TokenKind] = mapped_column(_enum(TokenKind))
    csrf_token: Mapped[str | None] = mapped_column(String(64))
    """For a session: the value its page forms must echo back (synchroniser token)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """One login attempt, kept to throttle guessing by user name and by address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)
