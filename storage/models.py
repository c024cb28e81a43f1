"""Database tables: dossiers, their components, stored documents and the event log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.enums import ComponentState, DocumentStatus, DossierStatus, SignatureState
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
    status: Mapped[DossierStatus] = mapped_column(_enum(DossierStatus))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    appointment_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
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

    dossier: Mapped[Dossier] = relationship(back_populates="components")
    documents: Mapped[list[Document]] = relationship(
        back_populates="component", order_by="Document.id"
    )


class Document(Base):
    """One stored file of a dossier and what digitization made of it."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("dossier_id", "original_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    component_id: Mapped[int | None] = mapped_column(ForeignKey("components.id"), index=True)
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


class Event(Base):
    """An append-only record of something that happened; the database refuses edits."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_dossier_at", "dossier_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    actor: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)


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
    """The last number given to an issued document per unit and year (văn thư's register)."""

    __tablename__ = "issue_serials"

    unit_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
