"""The checklist of required components: present, missing or uncertain, and why."""

from __future__ import annotations

from config.settings import Settings
from storage.blobs import blob_store
from storage.completeness import Verdict, check_completeness
from storage.corrections import correct_type
from storage.db import Database
from storage.documents import DigitizedOutcome, add_document, record_digitized
from storage.dossiers import get_dossier
from tests.storage.archive_support import build_dossier, jpeg_bytes


def _verdicts(database: Database, code: str) -> dict[str, Verdict]:
    with database.session() as session:
        checks = check_completeness(get_dossier(session, code)).checks
        return {c.expected_type: c.verdict for c in checks}


def _digitized(
    database: Database,
    settings: Settings,
    code: str,
    doc_type: str,
    confidence: float,
    **kw: object,
) -> int:
    store = blob_store(settings)
    blob = store.put_bytes(jpeg_bytes(500 + round(confidence * 100)))  # one per test document
    with database.session() as session:
        document, _ = add_document(
            session, get_dossier(session, code), filename=f"{doc_type}.jpg", sha256=blob.sha256,
            size=blob.size, media_type="image/jpeg", actor="clerk",
        )  # fmt: skip
        outcome = DigitizedOutcome(
            pdf_sha256=blob.sha256, pdf_size=blob.size, pdfa=True, text="...", page_count=1,
            document_type=doc_type, type_confidence=confidence, component_label=doc_type,
            **kw,  # type: ignore[arg-type]
        )  # fmt: skip
        record_digitized(session, document.id, outcome, actor="worker")
        return document.id


def test_every_required_component_present_makes_a_complete_dossier(
    database: Database, settings: Settings
) -> None:
    code = build_dossier(database, settings, signed=False).code
    assert set(_verdicts(database, code).values()) == {Verdict.PRESENT}
    with database.session() as session:
        assert check_completeness(get_dossier(session, code)).complete


def test_a_missing_component_and_an_unsure_type_are_told_apart(
    database: Database, settings: Settings
) -> None:
    code = build_dossier(database, settings, skip=("cccd", "giay_chung_sinh"), signed=False).code
    assert _verdicts(database, code)["cccd"] is Verdict.MISSING
    # a document the classifier could not type, whose likeliest candidate is a birth
    # certificate from the hospital: the clerk must look, so it is uncertain, not missing
    _digitized(
        database, settings, code, "khac", 0.41,
        type_source="threshold", type_candidates=[["giay_chung_sinh", 0.41], ["cccd", 0.2]],
    )  # fmt: skip
    verdicts = _verdicts(database, code)
    assert verdicts["giay_chung_sinh"] is Verdict.UNCERTAIN
    assert verdicts["cccd"] is Verdict.UNCERTAIN  # second candidate counts as well
    # an ID card typed with little confidence fills its component, but not surely
    card = _digitized(database, settings, code, "cccd", 0.6)
    assert _verdicts(database, code)["cccd"] is Verdict.UNCERTAIN
    with database.session() as session:
        correct_type(session, card, "cccd", actor="clerk:mai")  # the clerk confirms it
        dossier = get_dossier(session, code)
        checklist = check_completeness(dossier)
    assert _verdicts(database, code)["cccd"] is Verdict.PRESENT
    assert not checklist.complete
    assert checklist.to_dict()["uncertain"] == [
        c.label for c in dossier.components if c.expected_type == "giay_chung_sinh"
    ]
