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


@pytest.mark.parametrize("z", [[0.3, -1.2, 2.0], [0.0, 0.0], [5.0, -3.0, 0.1, 2.2], [800.0, 0.0]])
def test_softmax_jacobian_matches_finite_differences(z):
    z = np.asarray(z, dtype=float)
    h = 1e-6
    numeric = np.empty((z.size, z.size))
    for k in range(z.size):
        step = np.zeros_like(z)
        step[k] = h
        numeric[:, k] = (special.softmax(z + step) - special.softmax(z - step)) / (2 * h)
    np.testing.assert_allclose(ch05.softmax_jacobian(z), numeric, atol=1e-9)


def test_softmax_jacobian_structure():
    jac = ch05.softmax_jacobian([1.0, 2.0, -0.5])
    np.testing.assert_allclose(jac.sum(axis=1), 0.0, atol=1e-15)
    np.testing.assert_allclose(jac, jac.T)
    assert np.linalg.matrix_rank(jac) == 2
    with pytest.raises(ValueError, match="one-dimensional"):
        ch05.softmax_jacobian([[1.0, 2.0]])


# --- the wiring quiz: NumPy re-implementations against values recorded from PyTorch ---------
# Recorded with torch 2.13.0+cpu (float64 tensors, torch.nn.functional as F, mean reduction)
# on the inputs below, in a scratch environment: torch is not a dependency of this project.
Z_MULTI = np.array([[2.0, -1.0, 0.5], [0.1, 0.3, -0.2], [-1.5, 2.5, 0.0], [1.0, 1.0, 3.0]])
Y_MULTI = np.array([0, 2, 1, 2])
Z_BINARY = np.array([3.0, -1.0, 0.5, -2.0])
Y_BINARY = np.array([1.0, 0.0, 0.0, 1.0])
TORCH_RECORDED = {  # (layer, loss): value; None where torch raises a RuntimeError
    ("none", "BCEWithLogitsLoss"): 0.8657135085787611,  # F.binary_cross_entropy_with_logits(z, y)
    ("Sigmoid", "BCELoss"): 0.8657135085787611,  # F.binary_cross_entropy(sigmoid(z), y)
    ("Sigmoid", "BCEWithLogitsLoss"): 0.7125596296710293,
    ("LogSigmoid", "BCELoss"): None,  # "all elements of input should be between 0 and 1"
    ("LogSigmoid", "BCEWithLogitsLoss"): 0.9198517037673356,
    ("none", "BCELoss"): None,
    ("none", "CrossEntropyLoss"): 0.49061742749046994,  # F.cross_entropy(z, y)
    ("LogSoftmax", "NLLLoss"): 0.49061742749046994,  # F.nll_loss(F.log_softmax(z, 1), y)
    ("LogSoftmax", "CrossEntropyLoss"): 0.49061742749046994,
    ("Softmax", "CrossEntropyLoss"): 0.7993046353404791,
    ("Softmax", "NLLLoss"): -0.6828579444077733,
    ("none", "NLLLoss"): -1.825,  # F.nll_loss(z, y)
}
# the verdicts, reasoned in the chapter: exact NLL at any scale / at moderate logits only / never
EXPECTED_VERDICTS = {
    ("none", "BCEWithLogitsLoss"): "right",
    ("Sigmoid", "BCELoss"): "acceptable",
    ("none", "CrossEntropyLoss"): "right",
    ("LogSoftmax", "NLLLoss"): "right",
    ("LogSoftmax", "CrossEntropyLoss"): "right",
}


def test_wiring_quiz_values_match_recorded_torch():
    quiz = ch05.wiring_quiz(Z_BINARY, Y_BINARY, Z_MULTI, Y_MULTI)
    assert len(quiz) == len(TORCH_RECORDED) == 12
    for wiring in quiz:
        recorded = TORCH_RECORDED[(wiring.layer, wiring.loss)]
        if recorded is None:
            assert np.isnan(wiring.value)
        else:
            assert wiring.value == pytest.approx(recorded, rel=1e-12)
        assert wiring.verdict == EXPECTED_VERDICTS.get((wiring.layer, wiring.loss), "wrong")


def test_torch_bce_loss_clamps_log_like_torch():
    # torch 2.13.0: F.binary_cross_entropy(torch.tensor([0.0]), torch.tensor([1.0])) = 100.0
    assert ch05.torch_bce_loss([0.0], [1.0]) == 100.0
    # F.binary_cross_entropy(torch.sigmoid(torch.tensor([-200.0])), torch.tensor([1.0])) = 100.0
    assert ch05.torch_bce_loss(special.expit([-200.0]), [1.0]) == 100.0
    with pytest.raises(ValueError, match="between 0 and 1"):
        ch05.torch_bce_loss([-0.1], [1.0])


def test_torch_losses_match_scipy_references():
    logits = np.array([[1e4, 0.0, -1e4], [0.2, 0.1, -0.3]])
    labels = np.array([2, 0])
    expected = -np.mean(special.log_softmax(logits, axis=1)[np.arange(2), labels])
    assert ch05.torch_cross_entropy(logits, labels) == pytest.approx(expected, rel=1e-15)
    z = np.array([-800.0, 800.0, 0.3])
    y = np.array([1.0, 0.0, 1.0])
    # -log sigmoid(-800) = 800 exactly in float64; -log(1 - sigmoid(800)) = 800
    expected_bce = (800.0 + 800.0 - np.log(special.expit(0.3))) / 3
    assert ch05.torch_bce_with_logits(z, y) == pytest.approx(expected_bce, rel=1e-15)
