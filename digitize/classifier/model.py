"""The trained type model as a file: arrays in a pickle-free .npz, read once per process.

The file holds what inference needs and nothing executable: the character n-gram
vocabulary and its idf weights, the linear model's weights over those n-grams and over
the catalogue rule scores, the calibration temperature, and a JSON description of how it
was trained (corpus seed and size, clerk examples, scikit-learn and sohoa versions).
numpy loads it with allow_pickle=False, so a model file cannot run code, and a newer
scikit-learn reads it as well as the one that trained it (a joblib pickle would not).

Inference needs numpy alone: scikit-learn chose the vocabulary and fitted the weights
(digitize.classifier.train), but the tf-idf of one document is a few lines of arithmetic,
and importing scikit-learn and scipy for it cost every digitizing worker ~95 MB. The
analyzer here is scikit-learn's `char_wb` to the letter; a test holds it to scikit-learn's
own output on the training corpus.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from config.catalogue import OTHER_TYPE, Catalogue, DocumentType
from config.errors import ConfigurationError
from digitize.classifier.features import RULES_PER_TYPE, document_text, rule_features

log = logging.getLogger(__name__)

FORMAT = "sohoa-type-model/1"
"""Version of the file layout; a file of another layout is refused, not misread."""

SHIPPED_MODEL = Path(__file__).resolve().parent / "data" / "document_types.npz"
"""The model trained by `sohoa model train` from the repo's templates, shipped in the package."""

NGRAM_RANGE = (2, 5)
"""Character n-gram lengths, within word boundaries (scikit-learn's char_wb analyzer)."""

FloatArray = npt.NDArray[np.float32]
IndexArray = npt.NDArray[np.intp]

_WHITE_SPACES = re.compile(r"\s\s+")

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class ModelFileError(ConfigurationError):
    """A type model file that cannot be used: missing, corrupt, or of another layout."""

    code = "type_model_unusable"
    hint_vi = "Tệp mô hình phân loại tài liệu không dùng được; hãy báo cho quản trị hệ thống."


def char_ngrams(text: str) -> list[str]:
    """The character n-grams of a normalized text within word boundaries, each word padded
    with a space: scikit-learn's `char_wb` analyzer, which the vocabulary was chosen with."""
    grams: list[str] = []
    low, high = NGRAM_RANGE
    for word in _WHITE_SPACES.sub(" ", text).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:  # a word shorter than n gives one (short) gram, once
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


@dataclass
class TypeModel:
    """A calibrated linear classifier over n-grams of the folded text and rule scores."""

    classes: tuple[str, ...]
    """Type codes, `khac` included; rows of coef."""
    vocabulary: tuple[str, ...]
    idf: FloatArray
    coef: FloatArray
    """classes x (len(vocabulary) + RULES_PER_TYPE * len(classes))."""
    intercept: FloatArray
    temperature: float
    """Logits are divided by it before the softmax: fitted on held-out data (calibration)."""
    metadata: dict[str, Any] = field(default_factory=dict)
    """How the model was trained; written into the file as JSON."""
    _index: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def term_index(self) -> dict[str, int]:
        """Each vocabulary n-gram's column, built once per model (a worker builds it before
        forking, so every horse shares it)."""
        if self._index is None:
            self._index = {term: i for i, term in enumerate(self.vocabulary)}
        return self._index

    def ngram_weights(self, page_texts: Sequence[str]) -> tuple[IndexArray, FloatArray]:
        """A document's tf-idf over the vocabulary, as (columns, weights): sublinear term
        frequency (1 + log count) times idf, scaled to unit length; n-grams outside the
        vocabulary count for nothing. scikit-learn's TfidfVectorizer transform, in float32."""
        index = self.term_index()
        counts: dict[int, int] = {}
        for gram in char_ngrams(document_text(page_texts)):
            column = index.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.fromiter(sorted(counts), dtype=np.intp, count=len(counts))
        weights = np.fromiter((counts[c] for c in columns), dtype=np.float32, count=len(counts))
        np.log(weights, out=weights)
        weights += 1
        # scikit-learn's precision, so a model trains and reads alike to the last bit: the
        # products with idf and the division by the length in float64, the sum of squares
        # of the float32 weights accumulated in order in float64
        weights *= self.idf[columns].astype(np.float64)
        squares = np.cumsum(np.square(weights), dtype=np.float64)
        if len(squares) and squares[-1] > 0:
            weights /= np.sqrt(squares[-1])
        return columns, weights

    def rule_scores(self, page_texts: Sequence[str], catalogue: Catalogue | None) -> FloatArray:
        """The rule features of each class under the live catalogue (zeros for a class it
        no longer has)."""
        return rule_features(page_texts, _types_by_class(self.classes, catalogue))

    def logits(self, page_texts: Sequence[str], catalogue: Catalogue | None) -> FloatArray:
        """Uncalibrated class scores of one document: the weights over its n-grams and over
        the rule scores, plus the intercept."""
        columns, weights = self.ngram_weights(page_texts)
        width = len(self.vocabulary)
        scores = self.coef[:, columns] @ weights
        scores += self.coef[:, width:] @ self.rule_scores(page_texts, catalogue)
        return np.asarray(scores + self.intercept, dtype=np.float32)

    def probabilities(
        self, page_texts: Sequence[str], catalogue: Catalogue | None = None
    ) -> dict[str, float]:
        """Calibrated probability of each class the live catalogue still has."""
        logits = self.logits(page_texts, catalogue)
        allowed = _allowed(self.classes, catalogue)
        return softmax_dict(self.classes, logits / self.temperature, allowed)

    def save(self, path: Path) -> None:
        """Write the model as a compressed .npz with its metadata (parent dirs created).

        The zip entries carry a fixed date, so the same model gives the same bytes: a
        retraining from the same seed and examples can be checked with a checksum.
        """
        meta = {"format": FORMAT, **self.metadata}
        arrays: dict[str, npt.NDArray[Any]] = {
            "classes": np.array(self.classes),
            "vocabulary": np.array(self.vocabulary),
            "idf": self.idf.astype(np.float32),
            "coef": self.coef.astype(np.float16),
            "intercept": self.intercept.astype(np.float32),
            "temperature": np.array([self.temperature], dtype=np.float64),
            "metadata": np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w") as entry:
                    np.lib.format.write_array(entry, array, allow_pickle=False)
        partial.replace(path)


def softmax_dict(
    classes: Sequence[str], logits: FloatArray, allowed: npt.NDArray[np.bool_]
) -> dict[str, float]:
    """Softmax over the allowed classes, as {code: probability}."""
    masked = np.where(allowed, logits.astype(np.float64), -np.inf)
    exp = np.exp(masked - masked.max())
    probs = exp / exp.sum()
    return {c: float(p) for c, p, ok in zip(classes, probs, allowed, strict=True) if ok}


def _types_by_class(
    classes: Sequence[str], catalogue: Catalogue | None
) -> list[DocumentType | None]:
    known: Mapping[str, DocumentType] = (
        {t.code: t for t in catalogue.document_types} if catalogue else {}
    )
    return [known.get(code) for code in classes]


def _allowed(classes: Sequence[str], catalogue: Catalogue | None) -> npt.NDArray[np.bool_]:
    if catalogue is None:
        return np.ones(len(classes), dtype=bool)
    codes = {t.code for t in catalogue.document_types}
    return np.array([c in codes or c == OTHER_TYPE for c in classes], dtype=bool)


def load_model(path: Path) -> TypeModel:
    """Read a model file; ModelFileError says why one cannot be used."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["metadata"]))
            if meta.get("format") != FORMAT:
                raise ModelFileError(f"{path}: not a {FORMAT} file ({meta.get('format')!r})")
            classes = tuple(str(c) for c in data["classes"])
            vocabulary = tuple(str(t) for t in data["vocabulary"])
            model = TypeModel(
                classes=classes,
                vocabulary=vocabulary,
                idf=data["idf"].astype(np.float32),
                coef=data["coef"].astype(np.float32),
                intercept=data["intercept"].astype(np.float32),
                temperature=float(data["temperature"][0]),
                metadata=meta,
            )
    except (OSError, KeyError, ValueError) as e:
        raise ModelFileError(f"type model {path} cannot be read: {e}") from e
    expected = (len(classes), len(vocabulary) + RULES_PER_TYPE * len(classes))
    if model.coef.shape != expected:
        raise ModelFileError(f"type model {path}: weights of shape {model.coef.shape}")
    return model


@functools.cache
def cached_model(path: Path) -> TypeModel:
    """The model in a file, read once per process and path (workers classify many files)."""
    model = load_model(path)
    log.info(
        "document type model %s: %d types, corpus seed %s, %s clerk examples",
        path,
        len(model.classes),
        model.metadata.get("corpus", {}).get("seed"),
        model.metadata.get("clerk_examples"),
    )
    return model
