"""A document planted with tens of thousands of matches costs a search what an ordinary long
one does: choosing a snippet's window is one pass over at most SEARCH_SNIPPET_MAX_MATCHES
matches of the first SEARCH_SNIPPET_SCAN_CHARS characters (it compared every match with
every other: 16,000 matches took 4.9 s, a 500-page planted document minutes).

The bounds are generous: CPU seconds of this process, many times what the linear code takes
on a loaded machine, a fraction of what the quadratic code took."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from config import defaults
from config.catalogue import get_catalogue
from config.settings import Settings
from storage.db import Database
from storage.documents import DigitizedOutcome, add_document, record_digitized
from storage.dossiers import get_dossier, receive_dossier
from storage.search.engine import search
from storage.search.query import parse_query
from storage.search.snippets import match_spans, snippet

PLANTED = "Giấy khai sinh " * 16_000
"""16,000 matches of each word: the reviewer's document."""
GENEROUS_SECONDS = 1.5
"""The quadratic window took 4.9 s on 16,000 matches; the linear one takes milliseconds."""


def test_a_snippet_of_sixteen_thousand_matches_is_cut_in_linear_time() -> None:
    """ATTACK: a document whose text repeats the searched word 16,000 times.
    BOUNDARY: storage.search.snippets: matches merged in order and capped, the window found
    by two pointers; the snippet still marks the words."""
    clauses = parse_query("giay")
    started = time.process_time()
    cut = snippet(PLANTED, clauses, defaults.SEARCH_SNIPPET_CHARS)
    spent = time.process_time() - started
    assert spent < GENEROUS_SECONDS, f"{spent:.2f} s of CPU for one snippet"
    assert cut is not None and cut.startswith("<mark>Giấy</mark> khai sinh")
    assert len(cut) < 40 * defaults.SEARCH_SNIPPET_CHARS


def test_the_matches_scanned_and_the_text_scanned_are_capped() -> None:
    """ATTACK: a 500-page document of nothing but matches of two clauses.
    BOUNDARY: at most SEARCH_SNIPPET_MAX_MATCHES spans in order, from the first
    SEARCH_SNIPPET_SCAN_CHARS characters only; one snippet per document."""
    huge = "khai sinh đất " * 80_000  # about a million characters, 240,000 matches
    spans = match_spans(huge, parse_query("khai dat"))
    assert len(spans) == defaults.SEARCH_SNIPPET_MAX_MATCHES
    assert spans == sorted(spans)
    assert {i for _, _, i in spans} == {0, 1}
    started = time.process_time()
    cut = snippet(huge, parse_query("khai dat"), defaults.SEARCH_SNIPPET_CHARS)
    assert time.process_time() - started < GENEROUS_SECONDS
    assert cut is not None and cut.count("<mark>") < defaults.SEARCH_SNIPPET_CHARS
    no_spaces = "x" * 300_000 + "khai" + "y" * 300_000
    assert snippet(no_spaces, parse_query("khai"), 200) is None  # past the scanned start
    glued = "x" * 5_000 + " khai" + "z" * 5_000
    shown = snippet(glued, parse_query("khai*"), 200)
    assert shown is not None and len(shown) < 1_000  # a word without spaces is not shown whole


def test_a_search_finding_a_planted_document_answers_in_time(
    database: Database, settings: Settings
) -> None:
    """ATTACK: an archivist's search whose results include a planted 500-page document.
    BOUNDARY: the search engine builds its snippets with the capped, linear code."""
    with database.session() as session:
        code = receive_dossier(
            session, settings, procedure=get_catalogue().procedure("1.001193"),
            applicant_name="Lê Văn Hùng", applicant_id_number=None, unit_code="xa-a",
            received_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC), actor="clerk",
        ).code  # fmt: skip
        document, _ = add_document(
            session, get_dossier(session, code), filename="planted.pdf", sha256="a" * 64,
            size=1, media_type="application/pdf", actor="clerk",
        )  # fmt: skip
        outcome = DigitizedOutcome(
            pdf_sha256="b" * 64, pdf_size=1, pdfa=True, text=PLANTED, page_count=500,
            document_type="khac", type_confidence=0.9, component_label="Khác", fields={},
        )  # fmt: skip
        record_digitized(session, document.id, outcome, actor="worker")
    with database.session(readonly=True) as session:
        started = time.process_time()
        hits = search(session, "giay")
        spent = time.process_time() - started
    assert [h.document_id for h in hits] == [document.id]
    assert "<mark>Giấy</mark>" in hits[0].snippet
    assert spent < GENEROUS_SECONDS + 1.0, f"{spent:.2f} s of CPU for one search"
