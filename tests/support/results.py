"""A clerk-signed digitization result made through storage alone (no OCR, no signing key):
what a citizen's earlier dossier leaves in the document store for later ones to reuse."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.digitization import record_certified, request_certification
from storage.documents import DigitizedOutcome, add_document, record_digitized
from storage.models import DigitizationResult, Dossier


def signed_result(
    session: Session,
    dossier: Dossier,
    doc_type: str,
    *,
    at: datetime,
    sha256: str,
    fields: dict[str, Any] | None = None,
) -> DigitizationResult:
    """A document of `doc_type` filed under the dossier's component expecting it, digitized
    with `fields` read (by name: {"value": ...}) and signed by the clerk at `at`."""
    component = next(c for c in dossier.components if c.expected_type == doc_type)
    document, _ = add_document(
        session, dossier, filename=f"{doc_type}.pdf", sha256=sha256, size=1,
        media_type="application/pdf", actor="clerk", component_id=component.id,
    )  # fmt: skip
    record_digitized(session, document.id, DigitizedOutcome(
        pdf_sha256="f" * 64, pdf_size=1, pdfa=True, text="", page_count=1,
        document_type=doc_type, type_confidence=0.9, component_label=doc_type,
        fields=fields or {},
    ), actor="worker")  # fmt: skip
    result, _ = request_certification(
        session, document.id, signer_profile="mot-cua", signer_name="Đỗ Thị Giang",
        today=at.date(), actor="worker",
    )  # fmt: skip
    return record_certified(session, result.id, pdf_sha256="e" * 64, signed_at=at,
                            actor="signing")  # fmt: skip
