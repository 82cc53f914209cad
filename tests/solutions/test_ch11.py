"""Tests of the Chapter 11 exercise solutions against independent computations.

The references are SciPy's ``weibull_min.logpdf`` (the Weibull head's NLL), the variance of
the negative-binomial score summed over SciPy's ``nbinom.pmf`` (the Fisher information),
``nbinom.mean``/``var`` and the chapter's ``negative_binomial_nll`` (the SciPy
parameterisation), and two values recorded with torch 2.13.0
(``torch.distributions.NegativeBinomial(total_count=2.0, probs=0.75).mean`` =
5.999999999999999 and ``.variance`` = 23.999999999999993, float64) -- never the solution's own
formula.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mlecourse import losses
from mlecourse.solutions import ch11
from mlecourse.tfp import heads


def _softplus(u):
    return np.logaddexp(0.0, u)


# ----------------------------------------------------------------------------- WeibullHead


def test_weibull_head_nll_equals_scipy():
    rng = np.random.default_rng(110)
    raw = rng.normal(0.0, 1.5, size=(40, 2))
    y = rng.weibull(1.3, size=40) * 3.0
    head = ch11.WeibullHead()
    a = _softplus(raw[:, 0]) + head.min_concentration
    scale = _softplus(raw[:, 1]) + head.min_scale
    expected = -stats.weibull_min.logpdf(y, a, scale=scale)
    np.testing.assert_allclose(head.nll(y, raw, reduction="none"), expected, rtol=1e-10)
    np.testing.assert_allclose(float(head.nll(y, raw)), expected.mean(), rtol=1e-10)
    np.testing.assert_allclose(float(heads.nll_loss(head)(y, raw)), expected.mean(), rtol=1e-6)


def test_weibull_head_with_shape_one_is_the_exponential():
    head = ch11.WeibullHead(min_concentration=0.0, min_scale=0.0)
    one = np.log(np.expm1(1.0))  # softplus(one) = 1
    y = np.array([0.1, 1.0, 2.0, 7.5])
    raw = np.tile([one, one], (4, 1))
    # Exponential(1): -log(e^-y) = y
    np.testing.assert_allclose(head.nll(y, raw, reduction="none"), y, rtol=1e-12)


def test_weibull_head_float32_in_float32_out():
    head = ch11.WeibullHead()
    raw = np.array([[0.3, -0.2], [1.0, 0.5]], dtype=np.float32)
    y = np.array([0.5, 2.0], dtype=np.float32)
    value = head.nll(y, raw, reduction="none")
    assert value.dtype.name == "float32"
    expected = -stats.weibull_min.logpdf(
        y.astype(float),
        _softplus(raw[:, 0].astype(float)) + 1e-3,
        scale=_softplus(raw[:, 1].astype(float)) + 1e-3,
    )
    np.testing.assert_allclose(value, expected, rtol=1e-5)


def test_weibull_head_floors_bound_the_parameters():
    head = ch11.WeibullHead(min_concentration=0.5, min_scale=0.25)
    dist = head(np.array([[-80.0, -80.0]]))  # softplus(-80) ~ 2e-35
    np.testing.assert_allclose(dist.concentration.numpy(), [0.5])
    np.testing.assert_allclose(dist.scale.numpy(), [0.25])


@pytest.mark.parametrize("bad", [[0.0, 1.0], [-1.0, 1.0], [np.inf, 1.0], [np.nan, 1.0]])
def test_weibull_head_refuses_targets_outside_the_support(bad):
    with pytest.raises(ValueError, match="y_true of a WeibullHead must be finite durations"):
        ch11.WeibullHead().nll(np.array(bad), np.zeros((2, 2)))


def test_weibull_head_refuses_bad_shapes():
    head = ch11.WeibullHead()
    with pytest.raises(ValueError, match="2 entries along the last axis"):
        head(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="batch shape"):
        head.nll(np.ones((3, 1)), np.zeros((3, 2)))  # (N, 1) targets against (N,)


@pytest.mark.parametrize(
    ("field", "value"), [("min_concentration", -1.0), ("min_scale", np.nan), ("min_scale", True)]
)
def test_weibull_head_refuses_bad_floors(field, value):
    with pytest.raises(ValueError, match=field):
        ch11.WeibullHead(**{field: value})


# ------------------------------------------------------------------- Fisher information


@pytest.mark.parametrize(("mu", "r"), [(3.0, 2.0), (10.0, 0.5), (0.2, 50.0), (40.0, 7.0)])
def test_fisher_information_is_the_variance_of_the_score(mu, r):
    y = np.arange(0, 5000)
    pmf = stats.nbinom.pmf(y, r, r / (r + mu))
    # score by central differences of SciPy's log-pmf in mu
    h = 1e-6 * mu
    score = (
        stats.nbinom.logpmf(y, r, r / (r + mu + h)) - stats.nbinom.logpmf(y, r, r / (r + mu - h))
    ) / (2 * h)
    np.testing.assert_allclose(
        ch11.negative_binomial_fisher_information(mu, r), np.sum(pmf * score**2), rtol=1e-6
    )


def test_fisher_information_is_one_over_the_variance_and_tends_to_poisson():
    mu, r = np.array([0.5, 3.0, 20.0]), np.array([1.0, 2.0, 4.0])
    variance = stats.nbinom.var(r, r / (r + mu))
    np.testing.assert_allclose(
        ch11.negative_binomial_fisher_information(mu, r), 1 / variance, rtol=1e-12
    )
    np.testing.assert_allclose(
        ch11.negative_binomial_fisher_information(mu, 1e15), 1 / mu, rtol=1e-12
    )


def test_fisher_information_keeps_float32():
    value = ch11.negative_binomial_fisher_information(
        np.float32([3.0, 4.0]), np.float32([2.0, 2.0])
    )
    assert value.dtype == np.float32
    np.testing.assert_allclose(value, [2 / 15, 2 / 24], rtol=1e-6)


@pytest.mark.parametrize(
    ("mean", "total_count", "error", "match"),
    [
        (0.0, 1.0, ValueError, "mean must be finite and > 0"),
        (-1.0, 1.0, ValueError, "mean must be finite and > 0"),
        (1.0, np.inf, ValueError, "total_count must be finite and > 0"),
        ([1.0, 2.0], [1.0, 2.0, 3.0], ValueError, "same shape"),
        ([], 1.0, ValueError, "mean must be finite and > 0"),
        ("3", 1.0, TypeError, "mean must be numbers"),
        (True, 1.0, TypeError, "mean must be numbers"),
    ],
)
def test_negative_binomial_helpers_refuse_bad_input(mean, total_count, error, match):
    for solution in (ch11.negative_binomial_fisher_information, ch11.scipy_negative_binomial):
        with pytest.raises(error, match=match):
            solution(mean, total_count)


# ------------------------------------------------------------ SciPy parameterisation

# torch 2.13.0, float64: NegativeBinomial(total_count=2.0, probs=0.75).mean and .variance
TORCH_NB_MEAN, TORCH_NB_VARIANCE = 5.999999999999999, 23.999999999999993


def test_scipy_negative_binomial_matches_the_torch_convention():
    # PyTorch's probs = 0.75 = mu / (mu + r) with r = 2 is the mean 6
    dist = ch11.scipy_negative_binomial(6.0, 2.0)
    np.testing.assert_allclose([dist.mean(), dist.var()], [TORCH_NB_MEAN, TORCH_NB_VARIANCE])


def test_scipy_negative_binomial_has_mean_mu_and_the_chapter_nll():
    rng = np.random.default_rng(111)
    mu, r = rng.uniform(0.1, 30.0, size=20), rng.uniform(0.2, 10.0, size=20)
    dist = ch11.scipy_negative_binomial(mu, r)
    np.testing.assert_allclose(dist.mean(), mu, rtol=1e-12)
    np.testing.assert_allclose(dist.var(), mu + mu**2 / r, rtol=1e-12)
    y = rng.poisson(mu).astype(float)
    np.testing.assert_allclose(
        -dist.logpmf(y),
        losses.negative_binomial_nll(y, mu, total_count=r, reduction="none"),
        rtol=1e-10,
    )


def test_the_bug_of_the_exercise_gives_mean_r_squared_over_mu():
    mu, r = 6.0, 2.0
    buggy = stats.nbinom(r, mu / (mu + r))
    np.testing.assert_allclose(buggy.mean(), r**2 / mu, rtol=1e-12)
    assert abs(ch11.scipy_negative_binomial(mu, r).mean() - buggy.mean()) > 5
