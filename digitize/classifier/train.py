"""Training the document type model: corpus in, a calibrated and reproducible model file out.

A multinomial logistic regression reads character 2-5-grams of the folded text (tf-idf)
next to the catalogue's rule scores (title in a head line, keyword share), so printed
titles and learnt wording vote together. Its logits are then divided by a temperature
fitted on a separate calibration corpus, so that a confidence of 0.8 is right about 80%
of the time on generated scans. Everything is seeded and single-threaded: the same seed
and the same clerk examples give the same bytes.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import sklearn
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from config import defaults
from config.catalogue import OTHER_TYPE, Catalogue, get_catalogue
from config.errors import InvalidRequest
from config.text import nfc
from digitize.classifier.corpus import CorpusSpec, Example, generate
from digitize.classifier.features import RULES_PER_TYPE, document_text
from digitize.classifier.model import NGRAM_RANGE, FloatArray, TypeModel

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

CLERK_WEIGHT = 3.0
"""How much more one clerk-corrected document counts than one generated document: real
scans are scarce and tell the model what the office's own papers look like."""


def make_vectorizer(max_features: int | None = None) -> TfidfVectorizer:
    """The n-gram vectorizer that chooses the vocabulary and its idf (input is pre-normalized);
    TypeModel.ngram_weights computes the same transform at inference without it."""
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        lowercase=False,
        sublinear_tf=True,
        dtype=np.float32,
        min_df=3,
        max_features=max_features,
    )


def feature_matrix(
    model: TypeModel, page_texts_batch: Sequence[Sequence[str]], catalogue: Catalogue
) -> sp.csr_matrix:
    """The documents' feature rows as the regression reads them: n-gram tf-idf, then the
    rule scores, each row made by the model's own inference functions."""
    width = len(model.vocabulary)
    data: list[FloatArray] = []
    indices: list[npt.NDArray[np.intp]] = []
    indptr = [0]
    for pages in page_texts_batch:
        columns, weights = model.ngram_weights(pages)
        rules = model.rule_scores(pages, catalogue)
        data += [weights, rules]
        indices += [columns, width + np.arange(len(rules))]
        indptr.append(indptr[-1] + len(columns) + len(rules))
    rule_count = RULES_PER_TYPE * len(model.classes)
    return sp.csr_matrix(
        (np.concatenate(data), np.concatenate(indices), indptr),
        shape=(len(indptr) - 1, width + rule_count),
    )


@dataclass(frozen=True)
class TrainOptions:
    """How to train: corpus size, model size and regularization (the seed is train()'s)."""

    scale: float = 1.0
    """Fraction of the full corpus to generate: 0.2 for `--quick`, less in tests."""
    real_ocr_per_type: int = 0
    """Documents per type read by real Tesseract instead of the OCR simulation."""
    max_features: int = defaults.TYPE_MODEL_MAX_FEATURES
    """Character n-grams kept, the most frequent first; the file grows with it."""
    regularization: float = defaults.TYPE_MODEL_C
    """Inverse L2 regularization strength of the logistic regression (scikit-learn's C)."""

    def corpus(self, seed: int) -> CorpusSpec:
        """The training corpus these options describe."""
        full = CorpusSpec()
        return CorpusSpec(
            seed=seed,
            per_type=max(2, round(full.per_type * self.scale)),
            others=max(10, round(full.others * self.scale)),
            unreadable=max(4, round(full.unreadable * self.scale)),
            real_ocr_per_type=min(self.real_ocr_per_type, round(full.per_type * self.scale)),
        )

    def calibration(self, seed: int) -> CorpusSpec:
        """The corpus the temperature is fitted on: a quarter the size, another namespace."""
        spec = self.corpus(seed)
        return CorpusSpec(
            seed=seed,
            per_type=max(2, spec.per_type // 4),
            others=max(10, spec.others // 4),
            unreadable=max(4, spec.unreadable // 4),
            namespace="calibration",
        )


QUICK = TrainOptions(scale=0.2)
"""`sohoa model train --quick`: a fifth of the corpus, for trials."""


def clerk_examples(
    pairs: Sequence[tuple[str, str]], catalogue: Catalogue
) -> tuple[list[Example], int]:
    """Clerk-corrected documents as examples, and how many named a type the catalogue no
    longer has (those are skipped: the model cannot learn a type that does not exist)."""
    known = {t.code for t in catalogue.document_types}
    examples, skipped = [], 0
    for text, doc_type in pairs:
        if doc_type not in known:
            skipped += 1
            continue
        pages = tuple(nfc(text).split("\f"))
        examples.append(Example(pages, doc_type, "clerk", CLERK_WEIGHT))
    if skipped:
        log.warning("%d corrected documents name types not in the catalogue; skipped", skipped)
    return examples, skipped


def fit_temperature(logits: npt.NDArray[np.float32], labels: npt.NDArray[np.int64]) -> float:
    """The temperature minimizing the negative log-likelihood of held-out labels."""
    scores = logits.astype(np.float64)

    def nll(log_t: float) -> float:
        scaled = scores / np.exp(log_t)
        scaled -= scaled.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scaled).sum(axis=1))
        return float(np.mean(log_norm - scaled[np.arange(len(labels)), labels]))

    result = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
    return float(np.exp(result.x))


def _fingerprint(pairs: Sequence[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for text, doc_type in pairs:
        digest.update(json.dumps([nfc(text), doc_type], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _catalogue_fingerprint(catalogue: Catalogue) -> str:
    dump = json.dumps(
        [t.model_dump() for t in catalogue.document_types], ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(dump.encode("utf-8")).hexdigest()


def _metadata(
    seed: int,
    options: TrainOptions,
    pairs: Sequence[tuple[str, str]],
    *,
    skipped: int,
    counts: dict[str, int],
    catalogue: Catalogue,
) -> dict[str, object]:
    """What the model file records about its making; no clock time, so it is reproducible."""
    return {
        "corpus": options.corpus(seed).describe(),
        "calibration_corpus": options.calibration(seed).describe(),
        "examples_per_class": counts,
        "clerk_examples": len(pairs) - skipped,
        "clerk_examples_skipped": skipped,
        "clerk_examples_sha256": _fingerprint(pairs),
        "catalogue_sha256": _catalogue_fingerprint(catalogue),
        "max_features": options.max_features,
        "regularization": options.regularization,
        "sohoa_version": importlib.metadata.version("sohoa"),
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
    }


def _fit(
    examples: Sequence[Example],
    classes: tuple[str, ...],
    catalogue: Catalogue,
    options: TrainOptions,
) -> TypeModel:
    """The regression fitted on the examples, as an (uncalibrated) model. Features go
    through the model's own n-gram and rule functions, the very path inference takes."""
    vectorizer = make_vectorizer(max_features=options.max_features)
    vectorizer.fit([document_text(e.pages) for e in examples])
    vocabulary = tuple(sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__))
    width = len(vocabulary) + RULES_PER_TYPE * len(classes)
    model = TypeModel(
        classes=classes,
        vocabulary=vocabulary,
        idf=vectorizer.idf_.astype(np.float32),
        coef=np.zeros((len(classes), width), dtype=np.float32),
        intercept=np.zeros(len(classes), dtype=np.float32),
        temperature=1.0,
    )
    x = feature_matrix(model, [e.pages for e in examples], catalogue)
    y = np.array([classes.index(e.label) for e in examples])
    regression = LogisticRegression(C=options.regularization, max_iter=5000, tol=1e-6)
    regression.fit(x, y, sample_weight=np.array([e.weight for e in examples]))
    model.coef = regression.coef_.astype(np.float16).astype(np.float32)
    model.intercept = regression.intercept_.astype(np.float32)
    return model


def train(
    corpus_seed: int = 0,
    extra_examples: Sequence[tuple[str, str]] = (),
    *,
    options: TrainOptions | None = None,
    catalogue: Catalogue | None = None,
    ocr_cache: Path | None = None,
    progress: Progress | None = None,
) -> TypeModel:
    """Train the type model on the corpus generated from `corpus_seed` plus clerk-corrected
    (text, type) pairs, `text` being a document's page texts joined by form feeds.

    The same seed, options, examples and catalogue give the same model, byte for byte.
    InvalidRequest if no example names a type of the catalogue.
    """
    options = options or TrainOptions()
    catalogue = catalogue or get_catalogue()
    known = {t.code for t in catalogue.document_types}
    generated = generate(options.corpus(corpus_seed), ocr_cache=ocr_cache, progress=progress)
    clerk, skipped = clerk_examples(extra_examples, catalogue)
    examples = [e for e in generated if e.label in known] + clerk
    if not examples:
        raise InvalidRequest("no training example names a type of the catalogue")
    classes = tuple(sorted({e.label for e in examples} | {OTHER_TYPE}))
    if progress:
        progress(f"fitting on {len(examples)} examples, {len(classes)} types")
    with threadpool_limits(limits=1):
        model = _fit(examples, classes, catalogue, options)
        calibration = [e for e in generate(options.calibration(corpus_seed)) if e.label in classes]
        logits = np.vstack([model.logits(e.pages, catalogue) for e in calibration])
        labels = np.array([classes.index(e.label) for e in calibration])
        model.temperature = fit_temperature(logits, labels)
    counts = {c: sum(1 for e in examples if e.label == c) for c in classes}
    model.metadata = _metadata(
        corpus_seed, options, extra_examples, skipped=skipped, counts=counts, catalogue=catalogue
    )
    log.info("trained on %d examples; temperature %.3f", len(examples), model.temperature)
    return model


__all__ = ["QUICK", "TrainOptions", "clerk_examples", "fit_temperature", "train"]
