"""Tests of the Chapter 3 solutions against independent computations (SciPy, finite differences)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats
from scipy.special import gammaln

from mlecourse.solutions import ch03


def test_negative_nll_threshold_is_the_root() -> None:
    # -log N(0 | 0, sigma) from SciPy changes sign at the threshold
    root = optimize.brentq(lambda s: -stats.norm.logpdf(0.0, 0.0, s), 0.01, 5.0, xtol=1e-14)
    np.testing.assert_allclose(ch03.negative_nll_threshold(), root, rtol=1e-12)
    assert -stats.norm.logpdf(0.0, 0.0, 0.39) < 0 < -stats.norm.logpdf(0.0, 0.0, 0.41)


def test_negative_nll_threshold_without_the_constant_is_the_root() -> None:
    # PyTorch's default GaussianNLLLoss at y = mu: 0.5 * log(var), from SciPy minus its constant
    def loss(s: float) -> float:
        return -stats.norm.logpdf(0.0, 0.0, s) - 0.5 * np.log(2 * np.pi)

    root = optimize.brentq(loss, 0.01, 5.0, xtol=1e-14)
    np.testing.assert_allclose(ch03.negative_nll_threshold(full=False), root, rtol=1e-12)
    assert loss(0.99) < 0 < loss(1.01)


def _poisson_nll(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    log_rate = X @ w
    return float(np.sum(np.exp(log_rate) - y * log_rate + gammaln(y + 1)))


def test_poisson_hessian_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(30), rng.standard_normal((30, 2))])
    y = rng.poisson(2.0, size=30).astype(float)
    w = np.array([0.3, -0.2, 0.1])
    h = 1e-4
    eye = np.eye(3)
    numeric = np.empty((3, 3))
    for i in range(3):  # central second differences of the NLL itself
        for j in range(3):
            numeric[i, j] = (
                _poisson_nll(w + h * eye[i] + h * eye[j], X, y)
                - _poisson_nll(w + h * eye[i] - h * eye[j], X, y)
                - _poisson_nll(w - h * eye[i] + h * eye[j], X, y)
                + _poisson_nll(w - h * eye[i] - h * eye[j], X, y)
            ) / (4 * h * h)
    H = ch03.poisson_regression_nll_hessian(X, w)
    np.testing.assert_allclose(H, numeric, rtol=1e-5, atol=1e-5)
    assert np.linalg.eigvalsh(H).min() > 0


def test_poisson_hessian_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError):
        ch03.poisson_regression_nll_hessian(np.ones((4, 2)), np.ones(3))


def test_held_out_mean_nll_matches_scipy() -> None:
    rng = np.random.default_rng(5)
    train, test = rng.standard_t(4, size=300), rng.standard_t(4, size=200)
    scores = ch03.held_out_mean_nll(train, test)
    loc_g, scale_g = stats.norm.fit(train)  # SciPy's Gaussian MLE
    loc_l, scale_l = stats.laplace.fit(train)  # SciPy's Laplace MLE
    np.testing.assert_allclose(
        scores["gaussian"], -stats.norm.logpdf(test, loc_g, scale_g).mean(), rtol=1e-12
    )
    np.testing.assert_allclose(
        scores["laplace"], -stats.laplace.logpdf(test, loc_l, scale_l).mean(), rtol=1e-12
    )


@pytest.mark.parametrize("train, test", [([1.0, 1.0], [0.0]), ([], [1.0]), ([0.0, 1.0], [])])
def test_held_out_mean_nll_rejects_bad_input(train: list[float], test: list[float]) -> None:
    with pytest.raises(ValueError):
        ch03.held_out_mean_nll(train, test)


def test_poisson_newton_matches_scipy_minimiser() -> None:
    # reference: BFGS on the exact NLL (with gammaln), an independent optimiser
    rng = np.random.default_rng(11)
    X = np.column_stack([np.ones(200), rng.standard_normal((200, 2))])
    y = rng.poisson(np.exp(X @ np.array([0.7, 0.4, -0.2]))).astype(float)
    reference = optimize.minimize(
        _poisson_nll, np.zeros(3), args=(X, y), method="BFGS", options={"gtol": 1e-9}
    ).x
    w, steps = ch03.poisson_regression_newton(X, y)
    np.testing.assert_allclose(w, reference, atol=1e-5)
    assert steps <= 10


def test_poisson_newton_intercept_only_is_log_mean() -> None:
    # closed form: the MLE of a constant log-rate is log(mean count)
    y = np.array([0.0, 2.0, 5.0, 1.0])
    w, _ = ch03.poisson_regression_newton(np.ones((4, 1)), y)
    np.testing.assert_allclose(w, [np.log(2.0)], rtol=1e-12)


def test_poisson_newton_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="counts"):
        ch03.poisson_regression_newton(np.ones((2, 1)), [1.0, 0.5])
    with pytest.raises(ValueError, match="got X"):
        ch03.poisson_regression_newton(np.ones((2, 1)), [1.0, 2.0, 3.0])
    # all counts 0: the minimum is at log-rate -infinity, one unit of log-rate per step
    with pytest.raises(ValueError, match="converge"):
        ch03.poisson_regression_newton(np.ones((3, 1)), [0.0, 0.0, 0.0], max_steps=5)


def test_conditional_and_joint_mle_solve_their_score_equations() -> None:
    rng = np.random.default_rng(10)
    x = rng.normal(0.7, 1.0, size=300)
    y = rng.poisson(np.exp(0.7 * x)).astype(float)
    conditional, joint = ch03.conditional_and_joint_mle(x, y)

    def cond_nll(theta: float) -> float:
        return float(np.sum(np.exp(theta * x) - y * theta * x))

    def joint_nll(theta: float) -> float:
        return cond_nll(theta) + float(np.sum((x - theta) ** 2) / 2)

    for nll, theta in ((cond_nll, conditional), (joint_nll, joint)):
        best = optimize.minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
        np.testing.assert_allclose(theta, best.x, atol=1e-5)
    assert abs(conditional - joint) > 1e-2  # p(x | theta) carries information


def test_conditional_and_joint_mle_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="same non-zero length"):
        ch03.conditional_and_joint_mle([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="non-zero"):
        ch03.conditional_and_joint_mle([0.0, 0.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="no finite minimiser"):
        ch03.conditional_and_joint_mle([1.0, 2.0], [0.0, 0.0])
