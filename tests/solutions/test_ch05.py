"""Tests of the Chapter 5 exercise solutions against independent computations.

The references are ``scipy.optimize`` minimisation, ``scipy.stats.entropy``,
``scipy.special.log_softmax`` / ``softmax`` in explicit loops, finite differences, and exact
values for huge logits: never the solution's own formula.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, special, stats

from mlecourse.solutions import ch05


@pytest.mark.parametrize(("k", "eps"), [(10, 0.1), (2, 0.2), (3, 0.05), (1000, 0.1), (5, 1.0)])
def test_smoothed_margin_matches_numeric_minimisation(k, eps):
    q_true = 1 - eps + eps / k
    q = np.full(k, eps / k)
    q[0] = q_true

    def smoothed_loss(delta):
        f = np.zeros(k)
        f[0] = delta
        return -np.sum(q * special.log_softmax(f))

    res = optimize.minimize_scalar(
        smoothed_loss, bounds=(-5, 30), method="bounded", options={"xatol": 1e-10}
    )
    margin, minimum = ch05.smoothed_optimal_margin(k, eps)
    assert margin == pytest.approx(res.x, abs=1e-6)
    assert minimum == pytest.approx(res.fun, rel=1e-10)
    assert minimum == pytest.approx(stats.entropy(q), rel=1e-12)


def test_smoothed_margin_rejects_bad_input():
    with pytest.raises(ValueError, match="num_classes"):
        ch05.smoothed_optimal_margin(1, 0.1)
    with pytest.raises(ValueError, match="infinite"):
        ch05.smoothed_optimal_margin(10, 0.0)


def _reference_ce(labels, logits, class_weight=None, ignore_index=None):
    num, den = 0.0, 0.0
    for c, f in zip(labels, np.asarray(logits, dtype=float), strict=True):
        if ignore_index is not None and c == ignore_index:
            continue
        w = 1.0 if class_weight is None else class_weight[c]
        num += -w * special.log_softmax(f)[c]
        den += w
    return num / den


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [None, -100])
def test_cross_entropy_matches_log_softmax_loop(seed, weighted, ignore):
    rng = np.random.default_rng(seed)
    n, k = 20, 4
    logits = rng.normal(scale=3.0, size=(n, k))
    labels = rng.integers(0, k, size=n)
    if ignore is not None:
        labels[rng.random(n) < 0.3] = ignore
    w = rng.uniform(0.1, 3.0, size=k) if weighted else None
    expected = _reference_ce(labels, logits, w, ignore)
    got = ch05.cross_entropy_from_logits(labels, logits, class_weight=w, ignore_index=ignore)
    assert got == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_huge_logits_are_exact():
    # the observed class 1e4 (or 2e4) below the maximum: loss = the gap; the right class: 0
    logits = np.array([[1e4, 0.0, -1e4], [1e4, 0.0, -1e4], [0.0, 0.0, 0.0]])
    labels = np.array([2, 0, 1])
    expected = (2e4 + 0.0 + np.log(3.0)) / 3
    assert ch05.cross_entropy_from_logits(labels, logits) == pytest.approx(expected, rel=1e-15)


def test_cross_entropy_rejects_bad_input():
    with pytest.raises(ValueError, match=r"\(N, K\)"):
        ch05.cross_entropy_from_logits([0, 1], [0.0, 1.0])
    with pytest.raises(ValueError, match="labels must be in"):
        ch05.cross_entropy_from_logits([3], [[0.0, 1.0]])
    with pytest.raises(ValueError, match="undefined"):
        ch05.cross_entropy_from_logits([-100], [[0.0, 1.0]], ignore_index=-100)
    with pytest.raises(ValueError, match="class_weight"):
        ch05.cross_entropy_from_logits([0], [[0.0, 1.0]], class_weight=[1.0])


@pytest.mark.parametrize("f", [[0.3, -1.2, 2.0], [0.0, 0.0], [5.0, -3.0, 0.1, 2.2], [800.0, 0.0]])
def test_softmax_jacobian_matches_finite_differences(f):
    f = np.asarray(f, dtype=float)
    h = 1e-6
    numeric = np.empty((f.size, f.size))
    for k in range(f.size):
        step = np.zeros_like(f)
        step[k] = h
        numeric[:, k] = (special.softmax(f + step) - special.softmax(f - step)) / (2 * h)
    np.testing.assert_allclose(ch05.softmax_jacobian(f), numeric, atol=1e-9)


def test_softmax_jacobian_structure():
    jac = ch05.softmax_jacobian([1.0, 2.0, -0.5])
    np.testing.assert_allclose(jac.sum(axis=1), 0.0, atol=1e-15)
    np.testing.assert_allclose(jac, jac.T)
    assert np.linalg.matrix_rank(jac) == 2
    with pytest.raises(ValueError, match="one-dimensional"):
        ch05.softmax_jacobian([[1.0, 2.0]])
