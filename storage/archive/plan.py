"""What a dossier's archival package will hold, and what the database says is not ready.

Archiving has two kinds of checks. This module makes the ones the database can answer:
every required component digitized, nothing still in digitization, a result signed by
everyone the signing order names, every file in the blob store. The PDFs themselves (do
their signatures verify, are they PDF/A) are checked by the caller, who can use the
signing package, which storage may not import; storage then refuses the package unless
each of those PDFs is reported sound (see package.archive_record).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from config.catalogue import Procedure, get_catalogue
from config.errors import NotFound
from storage.blobs import BlobStore
from storage.dossiers import get_dossier
from storage.enums import DocumentStatus, DossierStatus, SignatureState
from storage.models import Document, Dossier
from storage.signatures import requests_of

_PENDING = (DocumentStatus.QUEUED, DocumentStatus.PROCESSING)

EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
}


@dataclass(frozen=True)
class PdfToCheck:
    """A PDF going into the package, for the caller to verify."""

    sha256: str
    label: str
    """How to name it in a refusal: "document 9 (giay-khai-sinh.pdf, signed result)"."""
    recorded_pdfa: bool | None
    """What digitization recorded: PDF/A-2b validated when written (None: never recorded)."""
    signed_result: bool
    """The dossier's signed result: it must carry signatures, and is re-validated as PDF/A."""


@dataclass(frozen=True)
class PdfFinding:
    """What the caller found when checking one PDF."""

    sha256: str
    pdfa: bool
    signatures: tuple[dict[str, Any], ...] = ()
    """Per signature: signer, verdict, level, signing_time (written in the metadata)."""
    problems: tuple[str, ...] = ()
    """Why the PDF cannot be archived, each naming the document; empty if it can."""


@dataclass(frozen=True)
class PlannedDocument:
    """One document going into the package, and where its files go in the bag."""

    document_id: int
    folder: str
    """data/documents/<NN>-<type>: its directory in the bag."""
    original_sha256: str
    original_name: str
    pdf_sha256: str
    pdf_name: str
    """`document.pdf` (the digitized PDF/A) or `signed.pdf` (the signed result)."""
    signed: bool


@dataclass(frozen=True)
class ArchivePlan:
    """A dossier's package before it is written: its documents and the checks owed."""

    code: str
    procedure: Procedure | None
    documents: tuple[PlannedDocument, ...]
    checks: tuple[PdfToCheck, ...]
    problems: tuple[str, ...]


def _label(document: Document, what: str = "") -> str:
    extra = f", {what}" if what else ""
    return f"document {document.id} ({document.original_filename}{extra})"


def _result_problems(
    session: Session, dossier: Dossier, procedure: Procedure, digitized: list[Document]
) -> tuple[Document | None, str | None, list[str]]:
    """The result document, its signed PDF, and what keeps it from being archived."""
    results = [d for d in digitized if d.document_type == procedure.result_type]
    if not results:
        return None, None, [f"the dossier has no digitized result ({procedure.result_type})"]
    result = results[-1]
    requests = requests_of(session, result.id)
    if not requests:
        return result, None, [f"its result, {_label(result)}, is not signed (sohoa dossier sign)"]
    problems = [
        f"signature {r.position + 1} of {len(requests)} on its result ({r.role}, "
        f"{r.signer_name}) is {r.status.value}"
        for r in requests
        if r.status is not SignatureState.SIGNED or not r.output_sha256
    ]
    return result, (None if problems else requests[-1].output_sha256), problems


def _component_problems(dossier: Dossier, digitized: list[Document]) -> list[str]:
    done = {d.component_id for d in digitized}
    return [
        f"required component {c.position + 1}, {c.label} ({c.expected_type}), "
        "has no digitized document"
        for c in dossier.components
        if c.required and c.id not in done
    ]


def _folder(number: int, document: Document) -> str:
    return f"data/documents/{number:02d}-{document.document_type or 'khac'}"


def _original_name(document: Document) -> str:
    ext = EXTENSIONS.get(document.media_type)
    if ext is None:
        suffix = document.original_filename.rsplit(".", 1)
        ext = f".{suffix[-1].lower()}" if len(suffix) == 2 and suffix[-1].isalnum() else ".bin"
    return f"original{ext}"


def _order(dossier: Dossier) -> list[Document]:
    """Documents in component order (as the procedure lists them), then as received."""
    positions = {c.id: c.position for c in dossier.components}
    return sorted(dossier.documents, key=lambda d: (positions.get(d.component_id or -1, 999), d.id))


def _plan_documents(
    digitized: list[Document], result: Document | None, signed: str | None, blobs: BlobStore
) -> tuple[list[PlannedDocument], list[PdfToCheck], list[str]]:
    """Where each document's files go in the bag, the PDFs to check, and what is missing."""
    planned, checks, problems = [], [], []
    for number, document in enumerate(digitized, start=1):
        is_signed = result is not None and document.id == result.id and signed is not None
        pdf = signed if is_signed else document.pdf_sha256
        if pdf is None:
            problems.append(f"{_label(document)} has no PDF")
            continue
        for sha, what in ((document.original_sha256, "original"), (pdf, "PDF")):
            if not blobs.exists(sha):
                problems.append(f"the {what} of {_label(document)} is missing from the store")
        planned.append(
            PlannedDocument(
                document_id=document.id,
                folder=_folder(number, document),
                original_sha256=document.original_sha256,
                original_name=_original_name(document),
                pdf_sha256=pdf,
                pdf_name="signed.pdf" if is_signed else "document.pdf",
                signed=is_signed,
            )
        )
        label = _label(document, "signed result" if is_signed else "")
        checks.append(PdfToCheck(pdf, label, None if is_signed else document.pdfa, is_signed))
    return planned, checks, problems


def plan_archive(session: Session, code: str, blobs: BlobStore) -> ArchivePlan:
    """The package a dossier would make now, with every reason it cannot be made yet.

    Documents whose digitization failed are left out (the component they were meant for
    must have another, digitized, if it is required); their events stay in the log."""
    dossier = get_dossier(session, code)
    problems: list[str] = []
    if dossier.status is DossierStatus.CANCELLED:
        problems.append("the dossier was cancelled")
    pending = [d for d in dossier.documents if d.status in _PENDING]
    problems += [f"{_label(d)} is still being digitized" for d in pending]
    digitized = [d for d in _order(dossier) if d.status is DocumentStatus.DIGITIZED]
    problems += _component_problems(dossier, digitized)
    try:
        procedure: Procedure | None = get_catalogue().procedure(dossier.procedure_code)
    except NotFound as e:
        procedure = None
        problems.append(e.message)
    result, signed = None, None
    if procedure is not None:
        result, signed, result_problems = _result_problems(session, dossier, procedure, digitized)
        problems += result_problems
    planned, checks, missing = _plan_documents(digitized, result, signed, blobs)
    return ArchivePlan(code, procedure, tuple(planned), tuple(checks), tuple(problems + missing))
