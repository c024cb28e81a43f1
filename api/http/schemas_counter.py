"""What the API answers to the counter's actions on a dossier (api.services): routed,
ended, checked against a national database, paid, rated, supplemented, resumed, returned,
reused, and files added or asked to be scanned again."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.http.schemas_dossiers import Answer


class DocumentTypeRef(Answer):
    """A document type a clerk may choose."""

    code: str
    name: str


class AddedFileAnswer(Answer):
    """What became of one file handed to a dossier (api.services.AddedFile)."""

    file: str
    status: str = Field(description="stored (and queued), duplicate or rejected.")
    document_id: int | None
    sha256: str | None
    error: dict[str, str] | None


class Uploaded(Answer):
    """The files of an upload, each stored or refused with its reason."""

    code: str
    files: list[AddedFileAnswer]


class RescanRequest(Answer):
    """A request to scan a document's paper again, open until a new file is added."""

    document_id: int | None
    file: str | None
    reason: str | None
    by: str
    at: str | None


class RescanRequests(Answer):
    """The dossier's open rescan requests."""

    code: str
    rescan_requests: list[RescanRequest]


class Routed(Answer):
    """The dossier sent on to the unit that resolves it."""

    code: str
    from_: str = Field(alias="from")
    to: str


class Ended(Answer):
    """The dossier refused, withdrawn or stopped."""

    code: str
    state: str
    ended_at: str


class NationalChecked(Answer):
    """A component satisfied by a national-database lookup."""

    code: str
    component_id: int
    source: str
    reference: str | None
    checked_by: str
    checked_at: str
    national_data: list[str]


class Paid(Answer):
    """The dossier's fees recorded as paid."""

    code: str
    payment: str


class Rated(Answer):
    """The citizen's rating recorded."""

    code: str
    rating: str


class DocumentSplitQueued(Answer):
    """A cut of a digitized upload, queued."""

    document_id: int
    job_id: str


class Reused(Answer):
    """A component served by an earlier digitization result."""

    code: str
    component_id: int
    result: str


class SupplementAsked(Answer):
    """The processing clock stopped for a supplement; `warning` if asked late."""

    code: str
    paused_at: str
    warning: dict[str, Any] | None


class SupplementArrived(Answer):
    """The supplement arrived: the clock runs again, with a new appointment."""

    code: str
    paused_working_days: int
    appointment_at: str | None


class Returned(Answer):
    """The result handed back: the dossier is finished."""

    code: str
    finished_at: str
    on_time: bool


class ApologyLetter(Answer):
    """The apology letter and new appointment an overdue dossier owes (form 04): its fields
    and its text."""

    code: str
    applicant: str
    procedure: str
    received_at: str | None
    appointment_at: str | None
    reason: str
    new_date: str
    text: str
