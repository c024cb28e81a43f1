"""The document type classifier: the shipped model, calibrated answers, `khac`, retraining."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import numpy as np
import pytest

from config.catalogue import OTHER_TYPE, Catalogue, DocumentType, get_catalogue
from config.errors import ConfigurationError
from config.settings import get_settings
from config.text import fold
from digitize.classifier.features import document_text
from digitize.classifier.model import SHIPPED_MODEL, ModelFileError, TypeModel, load_model
from digitize.classifier.noise import simulate_ocr
from digitize.classifier.others import OTHER_TRAINING_KINDS
from digitize.classifier.train import TrainOptions, make_vectorizer, train
from digitize.doctype import classify, model_path
from digitize.synthetic import (
    DOCUMENT_TYPES_WITH_TEMPLATES,
    OTHER_KIND_NAMES,
    make_document,
    make_other_document,
)

TINY = TrainOptions(scale=0.03, max_features=3000)
"""A corpus of a few documents per type: enough to check training, in about a second."""


def _read(doc_type: str, seed: int, level: str = "mild") -> list[str]:
    """A generated document as simulated OCR of a scan of the level reads it."""
    rng = random.Random(f"test:{doc_type}:{seed}")
    doc = make_document(doc_type, rng)
    return simulate_ocr(doc, rng, level)


@pytest.fixture(scope="module")
def shipped() -> TypeModel:
    return load_model(SHIPPED_MODEL)


def test_the_shipped_model_records_how_it_was_trained(shipped: TypeModel) -> None:
    meta = shipped.metadata
    assert meta["format"] == "sohoa-type-model/1"
    assert {"seed", "per_type", "fonts"} <= set(meta["corpus"])
    assert meta["sklearn_version"] and meta["sohoa_version"]
    assert set(DOCUMENT_TYPES_WITH_TEMPLATES) | {OTHER_TYPE} == set(shipped.classes)
    assert SHIPPED_MODEL.stat().st_size < 2_000_000


def test_the_model_file_holds_no_pickle(shipped: TypeModel) -> None:
    with np.load(SHIPPED_MODEL, allow_pickle=False) as data:
        assert data["coef"].dtype == np.float16


def test_a_broken_model_file_is_refused_with_its_reason(tmp_path: Path) -> None:
    broken = tmp_path / "model.npz"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ModelFileError, match=r"model\.npz"):
        load_model(broken)
    assert issubclass(ModelFileError, ConfigurationError)


@pytest.mark.parametrize("doc_type", DOCUMENT_TYPES_WITH_TEMPLATES)
def test_each_catalogue_type_is_named_from_noisy_ocr(doc_type: str, shipped: TypeModel) -> None:
    for seed in range(2):
        got = classify(_read(doc_type, seed), get_catalogue(), threshold=0.5, model=shipped)
        assert got.document_type == doc_type, got
        assert got.confidence >= 0.5 and got.source in ("model", "structure")


def test_unseen_kinds_are_khac_rather_than_a_guess(shipped: TypeModel) -> None:
    assert not set(OTHER_KIND_NAMES) & set(OTHER_TRAINING_KINDS)  # unseen by the model
    answers = []
    for kind in OTHER_KIND_NAMES:
        rng = random.Random(f"test:{kind}")
        pages = simulate_ocr(make_other_document(rng, kind=kind), rng, "mild")
        answers.append(classify(pages, get_catalogue(), threshold=0.5, model=shipped))
    assert sum(a.document_type == OTHER_TYPE for a in answers) >= len(answers) - 1


def test_below_the_threshold_the_answer_is_khac_with_the_candidates(shipped: TypeModel) -> None:
    pages = _read("giay_khai_sinh", 3)
    sure = classify(pages, get_catalogue(), threshold=0.5, model=shipped)
    unsure = classify(pages, get_catalogue(), threshold=1.01, model=shipped)
    assert unsure.document_type == OTHER_TYPE and unsure.source == "threshold"
    assert unsure.candidates[0][0] == sure.document_type == "giay_khai_sinh"
    assert OTHER_TYPE not in dict(unsure.candidates)


def test_no_text_is_khac_with_no_confidence(shipped: TypeModel) -> None:
    got = classify(["", "  \n"], get_catalogue(), threshold=0.5, model=shipped)
    assert (got.document_type, got.confidence, got.source) == (OTHER_TYPE, 0.0, "empty")


def test_unreadable_text_is_khac(shipped: TypeModel) -> None:
    junk = ["3T Ï.L 3'T\n(M91 'uộp p2 'òu ox n6 4y)\nfIVĐ ñIA IonÐĐN\n†€0Z tupu ¿ up gg ÁpBu"]
    assert classify(junk, get_catalogue(), threshold=0.5, model=shipped).document_type == OTHER_TYPE


def test_missing_diacritics_and_old_spelling_do_not_matter(shipped: TypeModel) -> None:
    pages = [fold(p).replace("dang ky", "dang ki") for p in _read("to_khai_khai_tu", 1)]
    got = classify(pages, get_catalogue(), threshold=0.5, model=shipped)
    assert got.document_type == "to_khai_khai_tu"


def _catalogue_without(code: str) -> Catalogue:
    catalogue = get_catalogue()
    types = tuple(t for t in catalogue.document_types if t.code != code)
    procedures = tuple(p for p in catalogue.procedures if all(c.type != code for c in p.components))
    return Catalogue(document_types=types, procedures=procedures, provinces=catalogue.provinces)


def test_a_type_removed_from_the_catalogue_is_never_answered(shipped: TypeModel) -> None:
    catalogue = _catalogue_without("quyet_dinh")
    got = classify(_read("quyet_dinh", 0), catalogue, threshold=0.5, model=shipped)
    assert got.document_type != "quyet_dinh"
    assert "quyet_dinh" not in dict(got.candidates)


def test_a_type_added_to_the_catalogue_is_named_by_its_title_until_retraining(
    shipped: TypeModel,
) -> None:
    catalogue = get_catalogue()
    added = DocumentType(
        code="giay_moi", name="Giấy mời", titles=("Giấy mời họp",), keywords=("kính mời",)
    )
    extended = Catalogue(
        document_types=(*catalogue.document_types, added),
        procedures=catalogue.procedures,
        provinces=catalogue.provinces,
    )
    page = "ỦY BAN NHÂN DÂN XÃ AN KHÁNH\nGIẤY MỜI HỌP\nKính mời ông Nguyễn Văn An dự họp"
    got = classify([page], extended, threshold=0.5, model=shipped)
    assert (got.document_type, got.source) == ("giay_moi", "rules")


def test_the_model_in_use_is_the_shipped_one_unless_one_was_trained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert model_path() == SHIPPED_MODEL
    monkeypatch.setenv("SOHOA_TYPE_MODEL", str(tmp_path / "mine.npz"))
    get_settings.cache_clear()
    assert model_path() == tmp_path / "mine.npz"


def test_training_is_reproducible_and_records_its_inputs(tmp_path: Path) -> None:
    first = train(7, options=TINY)
    again = train(7, options=TINY)
    other = train(8, options=TINY)
    paths = []
    for number, model in enumerate((first, again, other)):
        path = tmp_path / f"model-{number}.npz"
        model.save(path)
        paths.append(hashlib.sha256(path.read_bytes()).hexdigest())
    assert paths[0] == paths[1] != paths[2]
    loaded = load_model(tmp_path / "model-0.npz")
    assert loaded.metadata["corpus"]["seed"] == 7
    assert loaded.metadata["clerk_examples"] == 0
    assert 0.05 < loaded.temperature < 20


def test_clerk_corrections_teach_a_type_the_templates_do_not_have() -> None:
    catalogue = get_catalogue()
    added = DocumentType(code="giay_moi", name="Giấy mời")
    extended = Catalogue(
        document_types=(*catalogue.document_types, added),
        procedures=catalogue.procedures,
        provinces=catalogue.provinces,
    )
    invitation = (
        "ỦY BAN NHÂN DÂN XÃ {place}\nGIẤY MỜI\nTrân trọng kính mời ông {name} đến dự cuộc họp "
        "tổng kết công tác năm\nThời gian: 08 giờ 00\fĐịa điểm: hội trường"
    )
    pairs = [
        (invitation.format(place=p, name=n), "giay_moi")
        for p in ("AN KHÁNH", "YÊN PHÚ", "HÒA BÌNH", "TÂN LẬP", "MỸ AN", "AN THỊNH")
        for n in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Long")
    ]
    pairs.append(("anything", "no_such_type"))
    model = train(3, pairs, options=TINY, catalogue=extended)
    assert "giay_moi" in model.classes
    assert model.metadata["clerk_examples"] == len(pairs) - 1
    assert model.metadata["clerk_examples_skipped"] == 1
    page = invitation.format(place="PHÚ LỘC", name="Phạm Văn Đức").split("\f")
    got = classify(page, extended, threshold=0.5, model=model)
    assert got.document_type == "giay_moi"


def test_inference_computes_scikit_learns_tfidf_to_the_last_bit(shipped: TypeModel) -> None:
    """Training's vectorizer, given the shipped vocabulary and idf, and the model's own
    numpy transform agree on every column and every bit of every weight."""
    documents = [_read(t, seed, level) for t in DOCUMENT_TYPES_WITH_TEMPLATES
                 for seed, level in ((1, "mild"), (2, "hard"))]  # fmt: skip
    documents += [["ngắn a b"], [""], ["đ  \t  x\nyy   zzz"], ["0" * 40]]
    reference = make_vectorizer().set_params(
        min_df=1, vocabulary={t: i for i, t in enumerate(shipped.vocabulary)}
    )
    reference.fit(["x"])
    reference.idf_ = shipped.idf.astype(np.float64)
    expected = reference.transform([document_text(p) for p in documents])
    for row, pages in enumerate(documents):
        columns, weights = shipped.ngram_weights(pages)
        want = expected.getrow(row)
        order = np.argsort(want.indices)
        assert columns.tolist() == want.indices[order].tolist()
        assert weights.tobytes() == want.data[order].tobytes()
    assert sum(len(shipped.ngram_weights(p)[0]) > 0 for p in documents) > len(documents) - 3
