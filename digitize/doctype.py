"""Naming a document's type from its OCR text: a trained model voting with the catalogue's rules.

An official document's layout (digitize.classifier.structure: the title under the motto,
the type's abbreviation in its symbol, a công văn's "V/v") is read first: when it names a
type, that type takes the layout's confidence and the model's probabilities share the rest,
since the model learnt from the project's templates and the layout holds on any issuer's.

The model (digitize.classifier) reads character n-grams of the folded text, which survive
OCR errors and missing diacritics, beside rule scores computed from the live catalogue's
printed titles and keywords, and returns calibrated probabilities. Below the threshold
the answer is `khac` with the candidates, so a clerk decides rather than the classifier
guessing. A type the office added to its catalogue after the model was trained is named
by its printed title alone until the next `sohoa model train`.

The model file is found once per process: SOHOA_TYPE_MODEL if set, else the model
`sohoa model train` wrote into the data directory, else the one shipped in the package.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from config import defaults
from config.catalogue import OTHER_TYPE, Catalogue
from config.settings import get_settings
from digitize.classifier.features import head_lines, title_scores
from digitize.classifier.model import SHIPPED_MODEL, TypeModel, cached_model
from digitize.classifier.structure import structure_vote
from digitize.result import Classification

log = logging.getLogger(__name__)

CANDIDATES = 3
"""Runners-up offered to the clerk with every answer."""


def model_path() -> Path:
    """The model file this process uses (see the module docstring for the order)."""
    settings = get_settings()
    if settings.type_model is not None:
        return settings.type_model.expanduser().resolve()
    trained = settings.data_path / defaults.TYPE_MODEL_FILE
    return trained if trained.is_file() else SHIPPED_MODEL


def default_model() -> TypeModel:
    """The process's model, read on first use and kept (call it before forking workers)."""
    return cached_model(model_path())


def _rule_only(
    page_texts: Sequence[str], catalogue: Catalogue, model: TypeModel
) -> tuple[str, float] | None:
    """The best catalogue type the model does not know, if its title heads the page."""
    unknown = [t for t in catalogue.document_types if t.code not in model.classes]
    head = head_lines(page_texts)
    best: tuple[str, float] | None = None
    for doc_type in unknown:
        if doc_type.code == OTHER_TYPE or not doc_type.titles:
            continue
        _, exact = title_scores(head, doc_type.titles)
        if exact >= defaults.TYPE_RULE_ONLY_MIN and (best is None or exact > best[1]):
            best = (doc_type.code, exact * defaults.TYPE_RULE_ONLY_CONFIDENCE)
    return best


def classify(
    page_texts: Sequence[str],
    catalogue: Catalogue,
    *,
    threshold: float,
    model: TypeModel | None = None,
) -> Classification:
    """The most likely type with a calibrated confidence; `khac` with the candidates when
    no type reaches the threshold (confidence is then the best candidate's)."""
    if not any(text.strip() for text in page_texts):
        return Classification(OTHER_TYPE, 0.0, (), source="empty")
    model = model or default_model()
    probabilities = model.probabilities(page_texts, catalogue)
    vote = structure_vote(page_texts, catalogue)
    rule = (vote.document_type, vote.confidence) if vote else None
    rule = rule or _rule_only(page_texts, catalogue, model)
    if rule is not None:
        probabilities = {code: p * (1 - rule[1]) for code, p in probabilities.items()}
        probabilities[rule[0]] = rule[1]
    ranked = sorted(probabilities.items(), key=lambda item: (-item[1], item[0]))
    candidates = tuple((c, round(p, 4)) for c, p in ranked if c != OTHER_TYPE)[:CANDIDATES]
    best, confidence = ranked[0]
    source = "model"
    if rule is not None and best == rule[0]:
        source = "structure" if vote else "rules"
    if best != OTHER_TYPE and confidence < threshold:
        return Classification(OTHER_TYPE, round(confidence, 4), candidates, source="threshold")
    return Classification(best, round(confidence, 4), candidates, source=source)


def classify_pages(
    page_texts: Sequence[str],
    catalogue: Catalogue,
    *,
    threshold: float,
    model: TypeModel | None = None,
) -> list[Classification]:
    """Each page classified on its own, as splitting a scanned batch needs."""
    return [classify([text], catalogue, threshold=threshold, model=model) for text in page_texts]
