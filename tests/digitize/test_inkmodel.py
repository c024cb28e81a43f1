"""The shipped handwritten-digit model (digitize.inkmodel): what training gives, and numpy's
one-against-one vote deciding as scikit-learn's own SVC does."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import load_digits
from sklearn.svm import SVC

from digitize.inkmodel import GAMMA, C, shipped, train


def test_the_shipped_model_is_what_training_gives() -> None:
    """GIVEN the model file in the package WHEN the training is run again THEN it gives the
    same classes, support vectors, coefficients and intercepts (the file is not stale)."""
    fresh, kept = train(), shipped()
    assert np.array_equal(fresh.classes, kept.classes)
    assert np.array_equal(fresh.n_support, kept.n_support)
    assert np.array_equal(fresh.support_vectors, kept.support_vectors)
    assert np.allclose(fresh.dual_coef, kept.dual_coef)
    assert np.allclose(fresh.intercept, kept.intercept)


def test_numpy_predicts_as_scikit_learn() -> None:
    """GIVEN the training digits and 2,000 random block counts WHEN both predict THEN
    every answer is scikit-learn's."""
    digits = load_digits()
    reference = SVC(gamma=GAMMA, C=C).fit(digits.data, digits.target)
    rows = np.vstack([digits.data, np.random.default_rng(0).integers(0, 17, (2000, 64))])
    assert np.array_equal(shipped().predict(rows.astype(np.float64)), reference.predict(rows))


def test_the_votes_are_scikit_learns_one_against_one_votes() -> None:
    """GIVEN 500 training digits WHEN the numpy model counts its pairwise decisions THEN
    each class's wins are what scikit-learn's decision function (ovo) gives, and every row
    casts one vote per pair of classes."""
    digits = load_digits()
    reference = SVC(gamma=GAMMA, C=C, decision_function_shape="ovo").fit(digits.data, digits.target)
    rows = digits.data[:500].astype(np.float64)
    votes = shipped().votes(rows)
    pairs = [(i, j) for i in range(10) for j in range(i + 1, 10)]
    decisions = reference.decision_function(rows)
    expected = np.zeros_like(votes)
    for k, (i, j) in enumerate(pairs):
        winner = np.where(decisions[:, k] > 0, i, j)
        expected[np.arange(len(rows)), winner] += 1
    assert np.array_equal(votes, expected)
    assert (votes.sum(axis=1) == len(pairs)).all()
