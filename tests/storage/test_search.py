"""Search on SQLite (FTS5) and PostgreSQL (tsvector), the same tests on both: diacritics
folded both ways, phrases, every filter, ranking, snippets, and an index that is written
in the same transaction as the document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from config.catalogue import get_catalogue
from config.errors import InvalidRequest
from config.settings import Settings
from storage.db import Database
from storage.documents import DigitizedOutcome, add_document, record_digitized
from storage.dossiers import get_dossier, receive_dossier
from storage.search.engine import SearchFilters, SearchHit, search
from storage.search.index import reindex_all
from storage.search.query import parse_query

DOCUMENTS = {
    "birth": (
        "giay_khai_sinh",
        "GIẤY KHAI SINH\nHọ, chữ đệm, tên: Nguyễn Đức Thủy\nNơi sinh: xã Hoà Bình",
    ),
    "land": (
        "don_dang_ky_dat_dai",
        "ĐƠN ĐĂNG KÝ ĐẤT ĐAI\nThửa đất số 12, tờ bản đồ số 5\nDiện tích: 120 m²",
    ),
    "form": (
        "to_khai_khai_sinh",
        "TỜ KHAI ĐĂNG KÝ KHAI SINH\nNgười yêu cầu: Trần Thị Hòa\nĐề nghị khai sinh cho con",
    ),
    "plain": ("khac", "dang ky dat dai tai xa thuy an, viet khong dau"),
}


ISSUED = "2026-03-16"


@dataclass
class Corpus:
    """Document ids by name, and the dossiers' codes."""

    ids: dict[str, int]
    codes: dict[str, str]


def _dossier(database: Database, settings: Settings, *, procedure: str, unit: str, day: int,
             id_number: str) -> str:  # fmt: skip
    with database.session() as session:
        return receive_dossier(
            session, settings, procedure=get_catalogue().procedure(procedure),
            applicant_name="Lê Văn Hùng", applicant_id_number=id_number, unit_code=unit,
            received_at=datetime(2026, 3, day, 2, 0, tzinfo=UTC), actor="clerk",
        ).code  # fmt: skip


def _add(database: Database, code: str, name: str, fields: dict[str, str]) -> int:
    doc_type, text = DOCUMENTS[name]
    with database.session() as session:
        document, _ = add_document(
            session, get_dossier(session, code), filename=f"{name}.jpg",
            sha256=f"{len(name):x}{name}".ljust(64, "0")[:64], size=1, media_type="image/jpeg",
            actor="clerk",
        )  # fmt: skip
        outcome = DigitizedOutcome(
            pdf_sha256="f" * 64, pdf_size=1, pdfa=True, text=text, page_count=1,
            document_type=doc_type, type_confidence=0.9, component_label=doc_type,
            fields={k: {"value": v, "page": 1, "confidence": 0.9} for k, v in fields.items()},
        )  # fmt: skip
        record_digitized(session, document.id, outcome, actor="worker")
        return document.id


@pytest.fixture
def corpus(database: Database, settings: Settings) -> Corpus:
    """Two dossiers in two units: a birth registration and a land transfer."""
    birth = _dossier(database, settings, procedure="1.001193", unit="xa-hoa-binh", day=14,
                     id_number="036185000123")  # fmt: skip
    land = _dossier(database, settings, procedure="1.004227", unit="xa-thuy-an", day=20,
                    id_number="001090000456")  # fmt: skip
    ids = {
        "birth": _add(database, birth, "birth", {"number_symbol": "15/2026", "issue_date": ISSUED}),
        "form": _add(database, birth, "form", {"child_id_number": "036226000789"}),
        "land": _add(database, land, "land", {}),
        "plain": _add(database, land, "plain", {}),
    }  # fmt: skip
    return Corpus(ids, {"birth": birth, "land": land})


def _found(database: Database, query: str, **filters: object) -> list[SearchHit]:
    with database.session(readonly=True) as session:
        return search(session, query, SearchFilters(**filters), limit=50)  # type: ignore[arg-type]


def _names(corpus: Corpus, hits: list[SearchHit]) -> set[str]:
    by_id = {v: k for k, v in corpus.ids.items()}
    return {by_id[h.document_id] for h in hits}


FOLDING = [
    ("giay khai sinh", {"birth"}),  # typed without diacritics, stored with them
    ("GIẤY KHAI SINH", {"birth"}),
    ("dat", {"land", "plain"}),  # đ folds to d
    ("đất đai", {"land", "plain"}),  # with diacritics, stored without them
    ("hòa", {"birth", "form"}),  # old and new tone placement: Hoà / Hòa
    ("thuỷ", {"birth", "land", "plain"}),  # "Thủy" in a text, "thuy" in a unit's code
    ('"khai sinh cho con"', {"form"}),  # a phrase
    ('"sinh khai"', set()),  # the same words in another order are not the phrase
    ("nguy*", {"birth"}),
    ("dat -thua", {"plain"}),
    ("036226000789", {"form"}),  # an ID number read from the document
    ("15/2026", {"birth"}),  # a number and symbol: its parts as a phrase
    ("m²", {"land"}),
]
"""Queries and the documents each must find, exactly."""


def test_words_are_found_whatever_their_diacritics(database: Database, corpus: Corpus) -> None:
    found = {query: _names(corpus, _found(database, query)) for query, _ in FOLDING}
    assert found == dict(FOLDING)


def test_every_metadata_field_is_searchable(database: Database, corpus: Corpus) -> None:
    assert _names(corpus, _found(database, corpus.codes["land"])) == {"land", "plain"}
    assert _names(corpus, _found(database, "le van hung 001090000456")) == {"land", "plain"}
    assert _names(corpus, _found(database, "dang ky bien dong chuyen nhuong")) == {"land", "plain"}
    assert _names(corpus, _found(database, "16/03/2026")) == {"birth"}
    assert _names(corpus, _found(database, "xa-hoa-binh")) == {"birth", "form"}


def test_filters_narrow_the_results(database: Database, corpus: Corpus) -> None:
    assert _names(corpus, _found(database, "sinh", procedure="1.001193")) == {"birth", "form"}
    assert _names(corpus, _found(database, "sinh", document_type="to_khai_khai_sinh")) == {"form"}
    assert _names(corpus, _found(database, "dat", unit="xa-thuy-an")) == {"land", "plain"}
    assert _names(corpus, _found(database, "dat", unit="xa-hoa-binh")) == set()
    assert _names(corpus, _found(database, "", id_number="036226000789")) == {"form"}
    assert _names(corpus, _found(database, "", id_number="036185000123")) == {"birth", "form"}
    assert _names(corpus, _found(database, "", dossier_code=corpus.codes["birth"])) == {
        "birth",
        "form",
    }
    window = {"date_from": date(2026, 3, 15), "date_to": date(2026, 3, 19)}
    assert _names(corpus, _found(database, "", **window)) == {"birth"}  # issued the 16th
    assert _names(corpus, _found(database, "", date_from=date(2026, 3, 20))) == {"land", "plain"}


def test_results_are_ranked_and_snippets_mark_the_words_as_printed(
    database: Database, corpus: Corpus
) -> None:
    ranked = _found(database, "dat dai")  # in the land form's title, in the other's text
    assert [h.document_id for h in ranked] == [corpus.ids["land"], corpus.ids["plain"]]
    assert ranked[0].score >= ranked[1].score
    hits = _found(database, "khai sinh")
    birth = next(h for h in hits if h.document_id == corpus.ids["birth"])
    assert birth.snippet.startswith("GIẤY <mark>KHAI</mark> <mark>SINH</mark>")
    assert birth.title == "Giấy khai sinh số 15/2026"
    assert (birth.dossier_code, birth.document_type, birth.state) == (
        corpus.codes["birth"],
        "giay_khai_sinh",
        "digitized",
    )
    (land,) = _found(database, '"thua dat so"')
    assert "<mark>Thửa đất số</mark>" in land.snippet
    (by_code,) = _found(database, "001090000456", document_type="don_dang_ky_dat_dai")
    assert "<mark>001090000456</mark>" in by_code.snippet  # matched in metadata, shown there


def test_the_index_is_written_in_the_documents_transaction(
    database: Database, settings: Settings
) -> None:
    code = _dossier(database, settings, procedure="1.001193", unit="demo", day=14,
                    id_number="036185000123")  # fmt: skip
    with pytest.raises(RuntimeError), database.session() as session:
        document, _ = add_document(
            session, get_dossier(session, code), filename="a.jpg", sha256="a" * 64, size=1,
            media_type="image/jpeg", actor="clerk",
        )  # fmt: skip
        outcome = DigitizedOutcome(
            pdf_sha256="f" * 64, pdf_size=1, pdfa=True, text="GIẤY CHỨNG SINH", page_count=1,
            document_type="giay_chung_sinh", type_confidence=0.9, component_label="x",
        )  # fmt: skip
        record_digitized(session, document.id, outcome, actor="worker")
        assert [h.document_id for h in search(session, "chung sinh")] == [document.id]
        raise RuntimeError("the worker died before committing")
    assert _found(database, "chung sinh") == []


def test_digitizing_again_replaces_the_entry_and_reindexing_is_idempotent(
    database: Database, corpus: Corpus
) -> None:
    birth_id = corpus.ids["birth"]
    with database.session() as session:
        document = get_dossier(session, corpus.codes["birth"]).documents[0]
        outcome = DigitizedOutcome(
            pdf_sha256="e" * 64, pdf_size=1, pdfa=True, text="TRÍCH LỤC KHAI SINH", page_count=1,
            document_type="giay_khai_sinh", type_confidence=0.9, component_label="x",
        )  # fmt: skip
        record_digitized(session, birth_id, outcome, actor="worker")
        assert document.id == birth_id
        assert reindex_all(session) == 4
    assert [h.document_id for h in _found(database, "trich luc")] == [birth_id]
    assert _found(database, "nguyen duc thuy") == []


def test_a_query_needs_words_or_a_filter(database: Database, corpus: Corpus) -> None:
    with pytest.raises(InvalidRequest), database.session() as session:
        search(session, "  -- * ")
    assert parse_query("-dat") == []  # nothing positive to look for
