"""What the API answers the archivist: the archive's health, a sealing queued, the lists of
records due for the archive, past their retention and fixity alerts, alerts acknowledged, an
archived record, a disposal."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.http.schemas_dossiers import Answer


class SealQueued(Answer):
    """A dossier's archiving, queued (GET /api/jobs/{job_id} follows it)."""

    code: str
    job_id: str


class AlertsAcknowledged(Answer):
    """How many fixity alerts were acknowledged."""

    acknowledged: int


class DueForArchive(Answer):
    """A dossier due for the archive within the notice period, or overdue."""

    id: int
    code: str
    procedure: str
    status: str
    closed_on: str
    due_on: str
    days_left: int


class ExpiredRecord(Answer):
    """An archived record past its retention period."""

    id: int
    code: str
    version: int
    title: str
    retention: str
    end_date: str
    retain_until: str | None


class FixityAlertRow(Answer):
    """An open fixity alert: a copy of a package that did not check out."""

    id: int
    record_code: str
    version: int
    copy_: str = Field(alias="copy", description="primary or replica.")
    kind: str
    path: str = Field(description="The file's path inside the package (never a server path).")
    repaired: bool
    raised_at: str


class DisposalAnswer(Answer):
    """What a disposal destroyed (every version's files) and the decision it kept."""

    record_code: str
    versions: int
    blobs_deleted: int
    decision: str
    decided_by: str


class ArchiveHealth(Answer):
    """The archive's health (storage.archive.status): packages per state, their size, open
    fixity alerts (the latest listed), records due for the archive and past retention."""

    packages: dict[str, int]
    bytes: int
    open_alerts: int
    alerts: list[FixityAlertRow]
    due_for_archive: int
    overdue_for_archive: int
    past_retention: int


class RecordVersion(Answer):
    """One version of a record's package."""

    version: int
    status: str
    created_at: str | None
    created_by: str
    correction_reason: str | None
    last_fixity_ok: bool | None


class ArchivedRecord(Answer):
    """An archived record: its metadata as sealed and its versions."""

    code: str
    record_code: str
    title: str
    status: str
    retention: str
    retain_until: str | None
    access_regime: str
    documents: list[Any] = Field(description="The documents as sealed in the package.")
    record: dict[str, Any] = Field(description="The record's metadata as sealed.")
    versions: list[RecordVersion]
