"""A scanned stack of several documents: split into parts, re-split by a clerk, retyped."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
import redis

from api.services import add_file, open_dossier
from config.errors import InvalidRequest
from config.settings import Settings, get_settings
from storage.corrections import correct_type, corrected_examples, read_corrected_examples
from storage.db import open_database
from storage.documents import get_document
from storage.dossiers import get_dossier
from storage.enums import ComponentState, DocumentStatus, EventKind
from storage.events import events_of_dossier
from storage.models import SearchEntry
from storage.parts import live_parts
from tests.support.samples import born_digital
from workers.boundary import JobOutcome
from workers.tasks import digitize_document, split_document
from workers.worker import run_worker

STACK = ("to_khai_khai_sinh", "giay_uy_quyen", "quyet_dinh")


def _stack(tmp_path: Path) -> tuple[Path, list[int]]:
    """One PDF holding three born-digital documents, and each one's page count."""
    out = tmp_path / "stack.pdf"
    counts = []
    with pikepdf.new() as stack:
        for seed, doc_type in enumerate(STACK, start=3):
            path, _ = born_digital(tmp_path, doc_type, seed=seed)
            with pikepdf.open(path) as pdf:
                counts.append(len(pdf.pages))
                stack.pages.extend(pdf.pages)
        stack.save(out)
    return out, counts


def _received(settings: Settings, conn: redis.Redis, tmp_path: Path) -> tuple[str, int, list[int]]:
    code = open_dossier(
        settings,
        procedure_code="1.001193",
        applicant_name="Trần Thị Mai",
        applicant_id_number=None,
        unit_code=None,
        actor="test",
    )
    path, counts = _stack(tmp_path)
    added = add_file(settings, conn, code, path, name="ho-so.pdf", actor="test")
    assert added.document_id is not None
    run_worker(conn, settings, burst=True)
    return code, added.document_id, counts


def _pages(settings: Settings, sha256: str | None) -> int:
    assert sha256 is not None
    with pikepdf.open(settings.blob_path / "sha256" / sha256[:2] / sha256[2:4] / sha256) as pdf:
        assert "/OutputIntents" in pdf.Root  # PDF/A, cut from the stack's
        return len(pdf.pages)


def test_a_stack_is_split_into_documents_that_each_fill_a_component(
    redis_conn: redis.Redis, tmp_path: Path
) -> None:
    settings = get_settings()
    code, stack_id, counts = _received(settings, redis_conn, tmp_path)
    with open_database(settings).session() as session:
        stack = get_document(session, stack_id)
        assert stack.status is DocumentStatus.SPLIT and stack.component_id is None
        parts = live_parts(stack)
        assert [p.document_type for p in parts] == list(STACK)
        ends = [sum(counts[: i + 1]) for i in range(len(counts))]
        assert [(p.first_page, p.last_page) for p in parts] == [
            (end - n + 1, end) for end, n in zip(ends, counts, strict=True)
        ]
        for part, n in zip(parts, counts, strict=True):
            assert part.status is DocumentStatus.DIGITIZED and part.page_count == n
            assert part.original_sha256 == stack.original_sha256
            assert _pages(settings, part.pdf_sha256) == n
            assert part.component is not None
            assert part.component.state is ComponentState.DIGITIZED
            assert part.component.expected_type == part.document_type
        indexed = {e.document_id for e in session.query(SearchEntry)}
        assert indexed == {p.id for p in parts}
        kinds = [e.kind for e in events_of_dossier(session, get_dossier(session, code).id)]
        assert kinds.count(EventKind.DOCUMENT_SPLIT) == 1
        assert kinds.count(EventKind.DOCUMENT_DIGITIZED) == 3
    # the job again (a retry after a crash, say) changes nothing
    assert digitize_document(stack_id)["outcome"] == JobOutcome.SKIPPED


def test_a_clerk_resplits_a_stack_and_the_old_parts_are_superseded(
    redis_conn: redis.Redis, tmp_path: Path
) -> None:
    settings = get_settings()
    _code, stack_id, counts = _received(settings, redis_conn, tmp_path)
    second = counts[0] + 1
    with pytest.raises(InvalidRequest):
        split_document(stack_id, [2], actor="clerk:mai")  # must start at page 1
    new = split_document(stack_id, [1, second], {str(second): "quyet_dinh"}, actor="clerk:mai")
    with open_database(settings).session() as session:
        stack = get_document(session, stack_id)
        parts = live_parts(stack)
        assert [p.id for p in parts] == new
        assert [(p.first_page, p.last_page) for p in parts] == [
            (1, counts[0]),
            (second, sum(counts)),
        ]
        assert parts[1].document_type == "quyet_dinh" and parts[1].type_source == "clerk"
        superseded = [p for p in stack.parts if p.status is DocumentStatus.SUPERSEDED]
        assert len(superseded) == 3
        uy_quyen = next(p for p in superseded if p.document_type == "giay_uy_quyen")
        assert uy_quyen.component is None
        indexed = {e.document_id for e in session.query(SearchEntry)}
        assert indexed == set(new)


def test_a_clerks_correction_refiles_the_document_and_feeds_the_next_training(
    redis_conn: redis.Redis, tmp_path: Path
) -> None:
    settings = get_settings()
    code, stack_id, _counts = _received(settings, redis_conn, tmp_path)
    with open_database(settings).session() as session:
        part = live_parts(get_document(session, stack_id))[1]
        old_component = part.component_id
        with pytest.raises(InvalidRequest):
            correct_type(session, part.id, "no_such_type", actor="clerk:mai")
        correct_type(session, part.id, "cccd", actor="clerk:mai")
    with open_database(settings).session() as session:
        part = get_document(session, part.id)
        assert (part.document_type, part.type_source, part.type_confidence) == (
            "cccd",
            "clerk",
            1.0,
        )
        assert part.component is not None and part.component.expected_type == "cccd"
        dossier = get_dossier(session, code)
        old = next(c for c in dossier.components if c.id == old_component)
        assert old.state is ComponentState.MISSING
        corrected = [
            e
            for e in events_of_dossier(session, dossier.id)
            if e.kind == EventKind.DOCUMENT_CORRECTED
        ]
        assert [(e.data["from"], e.data["to"]) for e in corrected] == [("giay_uy_quyen", "cccd")]
        assert [t for _, t in corrected_examples(session)] == ["cccd"]
    assert [t for _, t in read_corrected_examples(settings)] == ["cccd"]  # model train's
