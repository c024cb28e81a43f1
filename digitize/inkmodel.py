"""The handwritten-digit classifier as arrays: trained by scikit-learn, run with numpy alone.

scikit-learn ships one real handwriting set inside its package, the UCI "optdigits" digits
(`sklearn.datasets.load_digits`: 1,797 digits written by 43 people, each a 32 x 32 bitmap
counted in 4 x 4 blocks to 8 x 8). `train` fits a support vector classifier on it (RBF
kernel, gamma and C from scikit-learn's own example for this set); `python -m
digitize.inkmodel` writes what prediction needs (support vectors, their dual coefficients,
the intercepts) to SHIPPED_MODEL, a pickle-free .npz. Prediction is libsvm's one-against-one
vote, written here in numpy because importing scikit-learn and scipy costs a digitizing
worker about 95 MB and a second (as for the type model, digitize.classifier.model); a test
holds it to scikit-learn's own predictions.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import numpy.typing as npt

SHIPPED_MODEL = Path(__file__).resolve().parent / "classifier" / "data" / "ink_digits.npz"
GAMMA = 0.001
C = 10.0

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class InkModel:
    """A fitted one-against-one RBF support vector classifier over optdigits' 64 features."""

    classes: npt.NDArray[np.int64]
    support_vectors: Floats
    n_support: npt.NDArray[np.int64]
    """Support vectors per class, in `classes` order (the vectors are grouped so)."""
    dual_coef: Floats
    """(classes - 1) x vectors, libsvm's layout."""
    intercept: Floats
    """One per pair of classes, pairs in (0, 1), (0, 2) ... order."""
    gamma: float

    def votes(self, features: Floats) -> npt.NDArray[np.int64]:
        """How many of the one-against-one decisions each class wins, per row of `features`
        (each 64 block counts, 0-16); columns in `classes` order."""
        sq = np.sum((features[:, None, :] - self.support_vectors[None, :, :]) ** 2, axis=2)
        kernel = np.exp(-self.gamma * sq)
        starts = np.concatenate(([0], np.cumsum(self.n_support)))
        votes = np.zeros((len(features), len(self.classes)), dtype=np.int64)
        for pair, (i, j) in enumerate(combinations(range(len(self.classes)), 2)):
            si, sj = slice(starts[i], starts[i + 1]), slice(starts[j], starts[j + 1])
            decision = (
                kernel[:, si] @ self.dual_coef[j - 1, si]
                + kernel[:, sj] @ self.dual_coef[i, sj]
                + self.intercept[pair]
            )
            winner = np.where(decision > 0, i, j)
            votes[np.arange(len(features)), winner] += 1
        return votes

    def predict(self, features: Floats) -> npt.NDArray[np.int64]:
        """The class of each row of `features`: the one winning most decisions (the first
        in `classes` order on a tie, as libsvm)."""
        chosen: npt.NDArray[np.int64] = self.classes[np.argmax(self.votes(features), axis=1)]
        return chosen

    def save(self, path: Path) -> None:
        """Write the arrays as a compressed, pickle-free .npz."""
        np.savez_compressed(
            path,
            classes=self.classes,
            support_vectors=self.support_vectors.astype(np.uint8),
            n_support=self.n_support,
            dual_coef=self.dual_coef,
            intercept=self.intercept,
            gamma=np.array([self.gamma]),
        )


def load(path: Path) -> InkModel:
    """The model in a file `save` wrote."""
    with np.load(path, allow_pickle=False) as data:
        return InkModel(
            classes=data["classes"].astype(np.int64),
            support_vectors=data["support_vectors"].astype(np.float64),
            n_support=data["n_support"].astype(np.int64),
            dual_coef=data["dual_coef"].astype(np.float64),
            intercept=data["intercept"].astype(np.float64),
            gamma=float(data["gamma"][0]),
        )


@functools.cache
def shipped() -> InkModel:
    """The shipped model, read once per process."""
    return load(SHIPPED_MODEL)


def train() -> InkModel:
    """The classifier fitted on scikit-learn's bundled handwritten digits (deterministic)."""
    from sklearn.datasets import load_digits  # noqa: PLC0415 - training only, never a worker
    from sklearn.svm import SVC  # noqa: PLC0415

    digits = load_digits()
    fitted = SVC(gamma=GAMMA, C=C).fit(digits.data, digits.target)
    return InkModel(
        classes=np.asarray(fitted.classes_, dtype=np.int64),
        support_vectors=np.asarray(fitted.support_vectors_, dtype=np.float64),
        n_support=np.asarray(fitted.n_support_, dtype=np.int64),
        dual_coef=np.asarray(fitted.dual_coef_, dtype=np.float64),
        intercept=np.asarray(fitted.intercept_, dtype=np.float64),
        gamma=GAMMA,
    )


if __name__ == "__main__":
    train().save(SHIPPED_MODEL)
    print(f"wrote {SHIPPED_MODEL}")
