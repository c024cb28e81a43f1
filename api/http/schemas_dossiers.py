"""What the API answers about dossiers and documents (api.dossier_views, api.worklists):
a dossier, a row of the dossier list, a dossier's status poll, a document.

Each model describes a dict the views build, field for field and in their order; `extra` is
forbidden, so a key a view adds without its model here fails the answer (and the tests)
instead of vanishing from it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

Number = int | float
"""A figure as the view gives it: an int stays an int (a bare `float` would print 1.0)."""


class Answer(BaseModel):
    """An API answer: every field the view gives, no other."""

    model_config = ConfigDict(extra="forbid")


class ProcedureRef(Answer):
    """A procedure of the national catalogue: its code and name."""

    code: str
    name: str


class Applicant(Answer):
    """Who the dossier is for."""

    name: str
    id_number: str | None


class ResultView(Answer):
    """A digitization result serving a component (its own, or reused from another
    dossier: `reused_from`)."""

    code: str
    status: str
    document_type: str | None
    type_name: str | None
    owner_id_number: str | None
    issued_on: str | None
    valid_until: str | None
    scope: Any
    unit: str | None
    signer: str | None
    signed_at: str | None
    pdf_sha256: str | None
    dossier: str
    reused_from: str | None


class NationalCheck(Answer):
    """The national-database lookup that satisfied a component instead of a paper."""

    source: str
    reference: str | None
    by: str | None
    at: str | None


class ComponentView(Answer):
    """A paper the procedure asks for, and what serves it."""

    id: int
    label: str
    expected_type: str
    required: bool
    state: str
    documents: list[int]
    result: ResultView | None
    national_check: NationalCheck | None
    national_sources: list[str]


class DocumentError(Answer):
    """Why a document's digitization failed."""

    code: str
    message: str | None


class DocumentSummary(Answer):
    """A document as its dossier lists it: files by SHA-256 and API URL, type, fields."""

    id: int
    file: str
    sha256: str
    status: str
    component_id: int | None
    parent_id: int | None
    pages_of_file: list[int | None] | None
    parts: list[int]
    document_type: str | None
    type_name: str | None
    type_confidence: Number | None
    type_source: str | None
    type_candidates: list[Any] | None
    pages: int | None
    pdfa: bool | None
    pdf: str | None
    pdf_sha256: str | None
    fields: dict[str, Any]
    to_complete: dict[str, str]
    excerpt: str | None
    page_flags: list[str]
    attempts: int
    error: DocumentError | None


class DocumentView(DocumentSummary):
    """A document with its dossier's code and the text of each page."""

    dossier_code: str
    page_texts: list[str]


class DossierView(Answer):
    """A dossier: procedure, applicant, units, dates, components, documents, completeness."""

    code: str
    procedure: ProcedureRef
    applicant: Applicant
    unit: str
    unit_name: str
    competent_unit: str
    competent_unit_name: str
    needs_routing: bool
    status: str
    received_at: str | None
    rules: str
    appointment_at: str | None
    finished_at: str | None
    components: list[ComponentView]
    documents: list[DocumentSummary]
    unassigned_documents: list[int]
    stacks: list[int]
    national_data: list[str]
    fee: int
    payment: str
    rating: str | None
    completeness: dict[str, Any]


class DossierRow(Answer):
    """A dossier as a list shows it (GET /api/dossiers: a page of these, the next page in
    the `Link` header)."""

    code: str
    procedure: ProcedureRef
    applicant: str
    unit: str
    status: str
    received_at: str | None
    appointment_at: str | None
    components_digitized: int
    components_required: int
    documents: int


class ComponentStatus(Answer):
    """A component's state, in Vietnamese and as a badge tone."""

    id: int
    state: str
    state_vi: str
    tone: str


class DocumentStatus(Answer):
    """A document's state as a dossier's page shows it while workers read it."""

    id: int
    file: str
    status: str
    status_vi: str
    tone: str
    type_name: str | None
    type_confidence: Number | None
    pages: int | None
    error: str | None
    thumbnail: str | None


class DossierStatusView(Answer):
    """What workers change on a dossier's page; polled while `pending`."""

    code: str
    unit: str
    status: str
    status_vi: str
    pending: bool
    completeness: dict[str, Any]
    completeness_vi: str
    components: list[ComponentStatus]
    documents: list[DocumentStatus]


class ReusableResult(ResultView):
    """An earlier digitization result of the applicant, and the components of this dossier
    it may serve."""

    components: list[int]


class ReusableResults(Answer):
    """The applicant's still-valid digitization results of the clerk's unit."""

    code: str
    id_number: str | None
    documents: list[ReusableResult]
