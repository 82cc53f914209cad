"""Tests of the Chapter 7 exercise solutions against independent computations.

The references are numerical integration (scipy.integrate.quad), scipy.stats.entropy,
and integer arithmetic on exact fractions -- never the solution's own formula.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from scipy import integrate, stats

from mlecourse.solutions import ch07


@pytest.mark.parametrize(
    ("mu1", "sigma1", "mu2", "sigma2"),
    [(0.0, 1.0, 0.0, 1.0), (0.0, 1.0, 1.5, 1.0), (0.3, 0.5, -1.0, 2.0), (2.0, 3.0, 0.0, 0.7)],
)
def test_gaussian_kl_matches_numerical_integration(mu1, sigma1, mu2, sigma2):
    p, q = stats.norm(mu1, sigma1), stats.norm(mu2, sigma2)

    def integrand(x):
        return p.pdf(x) * (p.logpdf(x) - q.logpdf(x))

    lo, hi = mu1 - 12 * sigma1, mu1 + 12 * sigma1
    expected, _ = integrate.quad(integrand, lo, hi, epsabs=1e-13, epsrel=1e-12, limit=200)
    assert ch07.gaussian_kl(mu1, sigma1, mu2, sigma2) == pytest.approx(
        expected, rel=1e-8, abs=1e-12
    )


def test_gaussian_kl_is_half_the_squared_error_for_unit_variances_and_asymmetric_otherwise():
    assert ch07.gaussian_kl(0.25, 1.0, -1.0, 1.0) == pytest.approx(0.5 * 1.25**2, rel=1e-14)
    assert ch07.gaussian_kl(0.0, 1.0, 0.0, 2.0) != pytest.approx(
        ch07.gaussian_kl(0.0, 2.0, 0.0, 1.0)
    )


def test_gaussian_kl_rejects_bad_input():
    with pytest.raises(ValueError, match="positive"):
        ch07.gaussian_kl(0.0, 0.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="finite"):
        ch07.gaussian_kl(np.nan, 1.0, 0.0, 1.0)


def _smallest_length(p: Fraction) -> int:
    """The smallest integer l with 2**-l <= p, by exact rational arithmetic."""
    length = 0
    while Fraction(1, 2**length) > p:
        length += 1
    return length


@pytest.mark.parametrize(
    "fractions",
    [
        [Fraction(1, 2), Fraction(1, 4), Fraction(1, 8), Fraction(1, 8)],
        [Fraction(2, 5), Fraction(3, 10), Fraction(1, 5), Fraction(1, 10)],
        [Fraction(9, 10), Fraction(1, 20), Fraction(1, 20)],
        [Fraction(1, 3), Fraction(1, 3), Fraction(1, 3)],
        [Fraction(7, 10), Fraction(0), Fraction(3, 10)],
    ],
)
def test_shannon_code_lengths_match_exact_arithmetic(fractions):
    probs = np.array([float(f) for f in fractions])
    expected = [_smallest_length(f) if f > 0 else 0 for f in fractions]
    lengths = ch07.shannon_code_lengths(probs)
    assert lengths.tolist() == expected
    assert lengths.dtype == np.int64
    # Kraft inequality and the source-coding bounds, with H from scipy (bits)
    assert (
        sum(Fraction(1, 2**ell) for ell, f in zip(expected, fractions, strict=True) if f > 0) <= 1
    )
    h2 = stats.entropy(probs, base=2)
    length = ch07.expected_code_length(probs, lengths)
    assert h2 - 1e-12 <= length < h2 + 1


def test_shannon_code_is_optimal_exactly_for_dyadic_distributions():
    dyadic = np.array([0.5, 0.25, 0.125, 0.0625, 0.0625])
    lengths = ch07.shannon_code_lengths(dyadic)
    assert ch07.expected_code_length(dyadic, lengths) == pytest.approx(
        stats.entropy(dyadic, base=2), rel=1e-14
    )


def test_expected_code_length_is_the_weighted_sum():
    assert ch07.expected_code_length([0.2, 0.3, 0.5], [3, 2, 1]) == pytest.approx(
        0.2 * 3 + 0.3 * 2 + 0.5 * 1, rel=1e-15
    )


def test_code_length_functions_reject_bad_input():
    with pytest.raises(ValueError, match="sum to 1"):
        ch07.shannon_code_lengths([0.5, 0.4])
    with pytest.raises(ValueError, match="probabilities"):
        ch07.shannon_code_lengths([1.5, -0.5])
    with pytest.raises(ValueError, match="shape"):
        ch07.expected_code_length([0.5, 0.5], [1, 1, 1])
    with pytest.raises(ValueError, match=">= 0"):
        ch07.expected_code_length([0.5, 0.5], [1, -1])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_entropy_gap_to_uniform_is_the_kl_from_uniform(seed):
    p = np.random.default_rng(seed).dirichlet(np.full(7, 0.3))
    expected = stats.entropy(p, np.full(7, 1 / 7))  # scipy: KL(p || uniform)
    assert ch07.entropy_gap_to_uniform(p) == pytest.approx(expected, rel=1e-10, abs=1e-14)
    assert ch07.entropy_gap_to_uniform(p) == pytest.approx(np.log(7) - stats.entropy(p), rel=1e-10)


def test_entropy_gap_to_uniform_extremes():
    assert ch07.entropy_gap_to_uniform(np.full(4, 0.25)) == pytest.approx(0.0, abs=1e-15)
    assert ch07.entropy_gap_to_uniform([0.0, 1.0, 0.0]) == pytest.approx(np.log(3), rel=1e-15)


# Recorded with torch 2.13.0 (CPU), float64:
#   q = torch.tensor([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]], dtype=torch.float64)
#   p = torch.tensor([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]], dtype=torch.float64)
#   F.kl_div(q.log(), p, reduction=...), F.kl_div(q.log(), p.log(), ..., log_target=True),
#   F.kl_div(q, p, reduction="batchmean")  (probabilities passed as input by mistake)
_Q = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
_P = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]])
_TORCH_NONE = np.array(
    [[-0.0693147181, 0.1093929341, 0.0], [-0.0911607784, -0.0455803892, 0.2290726830]]
)


@pytest.mark.parametrize(
    ("reduction", "log_target", "model_input", "expected"),
    [
        ("batchmean", False, np.log(_Q), 0.06620486569672553),
        ("mean", False, np.log(_Q), 0.022068288565575175),
        ("sum", False, np.log(_Q), 0.13240973139345105),
        ("batchmean", True, np.log(_Q), 0.06620486569672551),
        ("batchmean", False, _Q, -1.3738332478483488),
    ],
)
def test_kl_div_loss_matches_recorded_torch_values(reduction, log_target, model_input, expected):
    target = np.log(_P) if log_target else _P
    got = ch07.kl_div_loss(model_input, target, reduction=reduction, log_target=log_target)
    assert got == pytest.approx(expected, rel=1e-12)


def test_kl_div_loss_none_matches_recorded_torch_elements():
    # torch prints these elements with 10 decimals: compare at that precision
    got = ch07.kl_div_loss(np.log(_Q), _P, reduction="none")
    np.testing.assert_allclose(got, _TORCH_NONE, atol=1e-10)


def test_kl_div_loss_batchmean_is_the_mean_kl_from_scipy():
    rng = np.random.default_rng(3)
    p, q = rng.dirichlet(np.ones(5), size=7), rng.dirichlet(np.ones(5), size=7)
    expected = np.mean([stats.entropy(pi, qi) for pi, qi in zip(p, q, strict=True)])
    got = ch07.kl_div_loss(np.log(q), p, reduction="batchmean")
    assert got == pytest.approx(expected, rel=1e-12)


def test_kl_div_loss_zero_target_contributes_nothing():
    got = ch07.kl_div_loss(np.log([[0.5, 0.5]]), [[1.0, 0.0]], reduction="none")
    np.testing.assert_allclose(got, [[np.log(2.0), 0.0]], rtol=1e-15)


def test_kl_div_loss_rejects_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        ch07.kl_div_loss(np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="reduction"):
        ch07.kl_div_loss(np.zeros((1, 2)), np.full((1, 2), 0.5), reduction="avg")
    with pytest.raises(ValueError, match="NaN"):
        ch07.kl_div_loss(np.array([[np.nan, 0.0]]), np.full((1, 2), 0.5))
