"""Student-t, negative binomial, Gamma, log-normal, Huber, pinball and focal (mlecourse.losses).

Each loss against its peer, its limits and its extremes.

Where each expected value comes from:

* the four NLLs: SciPy's log-densities (``scipy.stats.t``, ``nbinom``, ``gamma``, ``lognorm``)
  over seeded random parameters, and mpmath at 50 digits where SciPy itself loses digits
  (huge ``total_count`` or ``concentration``);
* ``huber_loss``: its piecewise definition, evaluated here element by element, and PyTorch
  ``HuberLoss`` values recorded below (torch 2.13.0+cpu, float64);
* ``pinball_loss``: scikit-learn's ``mean_pinball_loss`` (and ``gamma_nll`` its
  ``mean_gamma_deviance``, up to a factor and a constant);
* ``binary_focal_loss``: the cross-entropy (γ = 0) and Keras ``BinaryFocalCrossentropy``
  values recorded below (keras 3.15.1, TensorFlow 2.21.0 backend, ``dtype="float64"``).

Bad input is in test_losses_bad_input.py; the gradients in test_gradients.py.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import pytest
import scipy.stats as ss
from sklearn.metrics import mean_gamma_deviance, mean_pinball_loss

from mlecourse import losses as L
from mlecourse.special import log_beta, log_gamma_correction

RNG_SEED = 20261126
mpmath.mp.dps = 50


def rng(offset: int = 0) -> np.random.Generator:
    return np.random.default_rng(RNG_SEED + offset)


# ----------------------------------------------------------------------------- the NLLs = SciPy


@pytest.mark.parametrize("scalar_params", [False, True])
def test_student_t_nll_is_scipy_t_logpdf(scalar_params: bool) -> None:
    r = rng(1)
    n = 200
    y, loc = r.standard_t(3, n) * 2, r.normal(0, 2, n)
    df = 10 ** r.uniform(-1.5, 3, n)
    scale = 10 ** r.uniform(-1, 1, n)
    if scalar_params:
        df, scale = float(df[0]), float(scale[0])
    expected = -ss.t.logpdf(y, df, loc, scale)
    out = L.student_t_nll(y, loc, df=df, scale=scale, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-12)


@pytest.mark.parametrize("scalar_params", [False, True])
def test_negative_binomial_nll_is_scipy_nbinom_logpmf(scalar_params: bool) -> None:
    r = rng(2)
    n = 200
    mean = 10 ** r.uniform(-2, 3, n)
    total_count = 10 ** r.uniform(-2, 3, n)  # fractional r included
    if scalar_params:
        total_count = float(total_count[0])
    y = r.negative_binomial(total_count, total_count / (total_count + mean))
    expected = -ss.nbinom.logpmf(y, total_count, total_count / (total_count + mean))
    out = L.negative_binomial_nll(y, mean, total_count=total_count, reduction="none")
    # SciPy subtracts log-gammas: against mpmath its own error reaches 1.6e-12 on these draws
    # (y = 10504, r = 0.057), ours 2.4e-14, so SciPy is met at 1e-11 and mpmath at 1e-13
    np.testing.assert_allclose(out, expected, rtol=1e-11, atol=1e-13)
    exact = [mp_negative_binomial(int(k), m, tc) for k, m, tc in
             zip(y, mean, np.broadcast_to(total_count, y.shape), strict=True)]  # fmt: skip
    np.testing.assert_allclose(out, exact, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("scalar_params", [False, True])
def test_gamma_nll_is_scipy_gamma_logpdf(scalar_params: bool) -> None:
    r = rng(3)
    n = 200
    mean = 10 ** r.uniform(-2, 2, n)
    concentration = 10 ** r.uniform(-1.5, 3, n)
    if scalar_params:
        concentration = float(concentration[0])
    y = r.gamma(concentration, mean / concentration)
    y = np.maximum(y, 1e-300)  # a tiny shape can draw an exact 0
    expected = -ss.gamma.logpdf(y, concentration, scale=mean / concentration)
    out = L.gamma_nll(y, mean, concentration=concentration, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("scalar_params", [False, True])
def test_lognormal_nll_is_scipy_lognorm_logpdf(scalar_params: bool) -> None:
    r = rng(4)
    n = 200
    loc = r.normal(0, 3, n)
    scale = 10 ** r.uniform(-1.5, 1, n)
    if scalar_params:
        scale = float(scale[0])
    y = np.exp(r.normal(loc, scale))
    expected = -ss.lognorm.logpdf(y, s=scale, scale=np.exp(loc))
    out = L.lognormal_nll(y, loc, scale=scale, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_lognormal_nll_is_the_gaussian_nll_of_log_y_plus_log_y() -> None:
    r = rng(5)
    y, loc, scale = np.exp(r.normal(size=50)), r.normal(size=50), r.uniform(0.2, 3, 50)
    expected = L.gaussian_nll(np.log(y), loc, std=scale, reduction="none") + np.log(y)
    out = L.lognormal_nll(y, loc, scale=scale, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-14, atol=1e-14)


def test_student_t_with_one_degree_of_freedom_is_cauchy() -> None:
    r = rng(6)
    y, loc = r.standard_cauchy(50), r.normal(size=50)
    expected = -ss.cauchy.logpdf(y, loc, 2.0)
    out = L.student_t_nll(y, loc, df=1.0, scale=2.0, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-13)


def test_gamma_with_shape_one_is_exponential() -> None:
    r = rng(7)
    y, mean = r.exponential(size=50) + 1e-3, r.uniform(0.1, 5, 50)
    expected = -ss.expon.logpdf(y, scale=mean)
    out = L.gamma_nll(y, mean, concentration=1.0, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-15)


# ----------------------------------------------------------------------------- limits


def test_student_t_tends_to_the_gaussian_as_df_grows() -> None:
    # Expanding (ν+1)/2 log1p(z²/ν) and ½ log ν + log B(ν/2, ½) = ½ log 2π + 1/(4ν) + O(ν⁻²):
    # student_t_nll − gaussian_nll = (1 + 2z² − z⁴) / (4ν) + O(ν⁻²)
    r = rng(8)
    y, loc, scale = r.normal(size=40), r.normal(size=40), r.uniform(0.5, 2, 40)
    z = (y - loc) / scale
    gauss = L.gaussian_nll(y, loc, std=scale, reduction="none")
    for df, tol in ((1e6, 1e-3), (1e8, 1e-4)):
        gap = L.student_t_nll(y, loc, df=df, scale=scale, reduction="none") - gauss
        np.testing.assert_allclose(gap * df, (1 + 2 * z**2 - z**4) / 4, rtol=0, atol=tol)
    # and at ν = 1e300 the Gaussian itself, to the rounding of ½ log ν + log B(ν/2, ½), two
    # terms near ±345 whose sum is ½ log 2π (ulp(345) = 5.7e-14)
    far = L.student_t_nll(y, loc, df=1e300, scale=scale, reduction="none")
    np.testing.assert_allclose(far, gauss, rtol=0, atol=2e-13)


def test_negative_binomial_tends_to_the_poisson_as_total_count_grows() -> None:
    # log NB − log Poisson = Σ_{j<y} log(1 + j/r) − (r + y) log(1 + μ/r) + μ
    #                      = ((y − μ)² − y) / (2r) + O(r⁻²)
    r = rng(9)
    mean = r.uniform(0.1, 20, 40)
    y = r.poisson(mean)
    poisson = L.poisson_nll(y, mean, log_input=False, reduction="none")
    for total_count, tol in ((1e6, 1e-2), (1e8, 1e-4)):
        gap = L.negative_binomial_nll(y, mean, total_count=total_count, reduction="none") - poisson
        expected = -((y - mean) ** 2 - y) / 2
        np.testing.assert_allclose(gap * total_count, expected, rtol=0, atol=tol)
    # at r = 1e300, to the rounding of y log1p(r/μ) + log B(r, y), terms of size 690 y
    far = L.negative_binomial_nll(y, mean, total_count=1e300, reduction="none")
    np.testing.assert_allclose(far, poisson, rtol=0, atol=1e-15 * 690 * y.max())


def test_gamma_tends_to_the_gaussian_as_the_shape_grows() -> None:
    # Gamma(μ, a) has variance μ²/a; the log-densities differ by O(1/√a) within a few sd
    r = rng(10)
    mean = r.uniform(0.5, 3, 40)
    for a in (1e8, 1e12):
        y = mean * (1 + r.normal(size=40) / np.sqrt(a))
        # eps: gaussian_nll clamps a variance below 1e-6 by default
        gauss = L.gaussian_nll(y, mean, variance=mean**2 / a, eps=1e-300, reduction="none")
        out = L.gamma_nll(y, mean, concentration=a, reduction="none")
        np.testing.assert_allclose(out, gauss, rtol=0, atol=10 / np.sqrt(a))


# ----------------------------------------------------------------------------- extremes (mpmath)


def mp_student_t(y: float, loc: float, scale: float, df: float) -> float:
    y, loc, scale, df = map(mpmath.mpf, (y, loc, scale, df))
    z2 = ((y - loc) / scale) ** 2
    log_pdf = (
        mpmath.loggamma((df + 1) / 2) - mpmath.loggamma(df / 2) - mpmath.log(df * mpmath.pi) / 2
        - mpmath.log(scale) - (df + 1) / 2 * mpmath.log1p(z2 / df)
    )  # fmt: skip
    return float(-log_pdf)


def mp_negative_binomial(y: float, mean: float, r: float) -> float:
    y, mean, r = map(mpmath.mpf, (y, mean, r))
    log_pmf = (
        mpmath.loggamma(y + r) - mpmath.loggamma(r) - mpmath.loggamma(y + 1)
        + r * mpmath.log(r / (r + mean)) + y * mpmath.log(mean / (r + mean))
    )  # fmt: skip
    return float(-log_pmf)


def mp_gamma(y: float, mean: float, a: float) -> float:
    y, mean, a = map(mpmath.mpf, (y, mean, a))
    rate = a / mean
    log_pdf = a * mpmath.log(rate) + (a - 1) * mpmath.log(y) - rate * y - mpmath.loggamma(a)
    return float(-log_pdf)


@pytest.mark.parametrize("df", [1e-3, 0.3, 1.0, 7.5, 1e4, 1e8, 1e12])
def test_student_t_at_tiny_and_huge_df_matches_mpmath(df: float) -> None:
    cases = [(1.3, 0.2, 0.8), (-40.0, 1.0, 0.5), (1e6, 0.0, 1.0)]
    for y, loc, scale in cases:
        out = float(L.student_t_nll([y], [loc], df=df, scale=scale))
        expected = mp_student_t(y, loc, scale, df)
        assert out == pytest.approx(expected, rel=1e-13, abs=1e-13), (y, loc, scale)


@pytest.mark.parametrize("total_count", [1e-8, 1e-3, 1.0, 50.0, 1e8, 1e15])
def test_negative_binomial_at_tiny_and_huge_total_count_and_counts_matches_mpmath(
    total_count: float,
) -> None:
    # SciPy's nbinom.logpmf subtracts log-gammas and loses up to all digits at r = 1e15
    for y in (0, 3, 10**6, 10**15):
        out = float(L.negative_binomial_nll([y], [2.5], total_count=total_count))
        expected = mp_negative_binomial(y, 2.5, total_count)
        assert out == pytest.approx(expected, rel=1e-13, abs=1e-13), y


@pytest.mark.parametrize("a", [1e-300, 1e-8, 1e-3, 1.0, 19.99, 20.01, 1e4, 1e8, 1e12])
def test_gamma_at_tiny_and_huge_shape_matches_mpmath(a: float) -> None:
    # SciPy's gamma.logpdf is off by 4e-3 at a = 1e12; the Stirling split keeps ~1e-11
    near_mean = 1.3 * (1 + 1 / np.sqrt(a)) if a > 1 else 3.0
    for y in (0.7, near_mean, 1e-300, 1e200):
        out = float(L.gamma_nll([y], [1.3], concentration=a))
        expected = mp_gamma(y, 1.3, a)
        assert out == pytest.approx(expected, rel=1e-11, abs=1e-11), y


def test_huge_counts_and_support_edges_stay_finite() -> None:
    assert np.isfinite(L.negative_binomial_nll([1e300], [1e300], total_count=1.0))
    assert np.isfinite(L.gamma_nll([1e-300, 1e300], [1.0, 1.0], concentration=2.0))
    assert np.isfinite(L.lognormal_nll([1e-300, 1e300], [0.0, 0.0], scale=1e-3))
    # y = 0 is in the negative binomial's support: the pmf there is (r / (r + μ))^r
    out = L.negative_binomial_nll([0, 0], [3.0, 1e-300], total_count=[0.5, 1e300])
    expected = -ss.nbinom.logpmf(0, 0.5, 0.5 / 3.5) / 2  # the second term is ~0
    assert out == pytest.approx(expected, rel=1e-14)


# ----------------------------------------------------------------------------- Huber

Y_H = np.array([0.0, 1.0, -2.0, 3.5, 0.25, -0.75])
P_H = np.array([0.3, -1.5, -2.0, 0.5, 2.25, -0.70])
# torch.nn.HuberLoss(reduction=red, delta=d)(torch.tensor(P_H), torch.tensor(Y_H)), float64,
# torch 2.13.0+cpu
TORCH_HUBER = {
    (1.0, "mean"): 1.0077083333333332,
    (1.0, "sum"): 6.04625,
    (1.0, "none"): [0.045, 2.0, 0.0, 2.5, 1.5, 0.0012500000000000022],
    (0.5, "mean"): 0.5702083333333333,
    (0.5, "sum"): 3.42125,
    (0.5, "none"): [0.045, 1.125, 0.0, 1.375, 0.875, 0.0012500000000000022],
    (2.0, "mean"): 1.5077083333333334,
    (2.0, "sum"): 9.04625,
    (2.0, "none"): [0.045, 3.0, 0.0, 4.0, 2.0, 0.0012500000000000022],
}
# torch.nn.SmoothL1Loss(reduction="none", beta=0.5)(P_H, Y_H), same versions
TORCH_SMOOTH_L1_BETA_HALF = [0.09, 2.25, 0.0, 2.75, 1.75, 0.0025000000000000044]


@pytest.mark.parametrize(("delta", "reduction"), list(TORCH_HUBER))
def test_huber_matches_recorded_torch_huber_loss(delta: float, reduction: str) -> None:
    out = L.huber_loss(Y_H, P_H, delta=delta, reduction=reduction)
    np.testing.assert_allclose(out, TORCH_HUBER[(delta, reduction)], rtol=1e-14, atol=1e-16)


def test_huber_is_its_piecewise_definition() -> None:
    r = rng(11)
    y, pred = r.normal(0, 3, 300), r.normal(0, 3, 300)
    pred[:3] = y[:3] + np.array([1.3, -1.3, 0.0])  # on the joint |r| = δ, and r = 0
    delta = 1.3

    def by_hand(yi: float, pi: float) -> float:
        res = abs(yi - pi)
        return 0.5 * res * res if res <= delta else delta * res - 0.5 * delta * delta

    expected = [by_hand(a, b) for a, b in zip(y, pred, strict=True)]
    out = L.huber_loss(y, pred, delta=delta, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-14, atol=1e-15)


def test_huber_is_half_the_squared_error_inside_and_smooth_l1_times_beta() -> None:
    r = rng(12)
    y, pred = r.normal(size=50), r.normal(size=50)
    inside = L.huber_loss(y, pred, delta=100.0, reduction="none")
    np.testing.assert_allclose(inside, 0.5 * (y - pred) ** 2, rtol=1e-15)
    smooth_l1 = L.huber_loss(Y_H, P_H, delta=0.5, reduction="none") / 0.5
    np.testing.assert_allclose(smooth_l1, TORCH_SMOOTH_L1_BETA_HALF, rtol=1e-14, atol=1e-16)


# ----------------------------------------------------------------------------- pinball


@pytest.mark.parametrize("quantile", [0.01, 0.1, 0.5, 0.9, 0.99])
def test_pinball_equals_sklearn_mean_pinball_loss(quantile: float) -> None:
    r = rng(13)
    y, pred, w = r.gamma(2.0, size=300), r.gamma(2.0, size=300), r.uniform(0, 3, 300)
    assert L.pinball_loss(y, pred, quantile=quantile) == pytest.approx(
        mean_pinball_loss(y, pred, alpha=quantile), rel=1e-12
    )
    assert L.pinball_loss(y, pred, quantile=quantile, sample_weight=w) == pytest.approx(
        mean_pinball_loss(y, pred, alpha=quantile, sample_weight=w), rel=1e-12
    )


def test_pinball_at_the_median_is_half_the_absolute_error() -> None:
    r = rng(14)
    y, pred = r.normal(size=100), r.normal(size=100)
    np.testing.assert_allclose(
        L.pinball_loss(y, pred, reduction="none"),
        0.5 * L.mean_absolute_error(y, pred, reduction="none"),
        rtol=1e-15,
    )


def test_pinball_is_minimised_at_the_sample_quantile() -> None:
    y = rng(15).lognormal(size=1001)
    for tau in (0.1, 0.5, 0.9):
        q = np.quantile(y, tau, method="inverted_cdf")
        at_q = L.pinball_loss(y, np.full_like(y, q), quantile=tau)
        for step in (-1e-3, 1e-3, -0.1, 0.1):
            assert at_q < L.pinball_loss(y, np.full_like(y, q + step), quantile=tau)


# ----------------------------------------------------------------------------- focal

Y_F = np.array([1.0, 0.0, 1.0, 0.0, 0.3, 0.8])
P_F = np.array([0.9, 0.9, 0.2, 0.05, 0.6, 0.35])
Z_F = np.array([2.0, -1.5, 0.3, 4.0, -0.7, 1.1])
# keras.losses.BinaryFocalCrossentropy(gamma=g, from_logits=logits, reduction=None,
#     dtype="float64", [apply_class_balancing=True, alpha=a])(Y_F[:, None], x[:, None]),
# x = Z_F from logits, P_F otherwise; keras 3.15.1, TensorFlow 2.21.0
KERAS_FOCAL = {
    (2.0, None, False): [0.0010536051565782623, 1.8650939253251773, 1.0300402639578243,
                         0.00012823323596887666, 0.2317202897572014, 0.32234557184874857],
    (2.0, None, True): [0.001803562835240376, 0.006702846926575656, 0.10039327548859706,
                        3.8749072379573475, 0.11481959746026169, 0.06209316616538489],
    (0.5, 0.25, False): [0.008329480123214118, 1.6383180150476555, 0.35988125777680025,
                         0.00860214697803537, 0.3503681931821053, 0.24894977348250538],
    (0.5, 0.25, True): [0.010955720247801108, 0.0645196736474371, 0.09040808808766714,
                        2.9863877400582513, 0.24201899565467944, 0.10502684578355022],
    (3.0, 0.8, False): [8.428841252626098e-05, 0.33571690655853187, 0.6592257689330077,
                        1.2823323596887675e-06, 0.04754900345817773, 0.129325043425718],
    (3.0, 0.8, True): [0.00017199196800891825, 0.00024455407231487795, 0.034178487716768895,
                       0.7610424685583635, 0.01888041316814049, 0.014771584029146828],
}  # fmt: skip


@pytest.mark.parametrize(("gamma", "alpha", "from_logits"), list(KERAS_FOCAL))
def test_focal_matches_recorded_keras_binary_focal_crossentropy(
    gamma: float, alpha: float | None, from_logits: bool
) -> None:
    x = Z_F if from_logits else P_F
    out = L.binary_focal_loss(
        Y_F, x, gamma=gamma, alpha=alpha, from_logits=from_logits, reduction="none"
    )
    # Keras evaluates log(1 - p) rather than log1p(-p): a few ulps apart
    np.testing.assert_allclose(out, KERAS_FOCAL[(gamma, alpha, from_logits)], rtol=1e-12)


def test_focal_at_extreme_logits_against_recorded_keras() -> None:
    # keras.losses.BinaryFocalCrossentropy(gamma=2.0, from_logits=True, reduction=None,
    #     dtype="float64")([[y]], [[z]]), keras 3.15.1 / TensorFlow 2.21.0: the cross-entropy is
    # taken from the logits (no clipping), so confidently wrong logits agree ...
    for y, z, keras_value in ((0.0, 20.0, 19.99999991961501), (1.0, -30.0, 29.999999999994476),
                              (0.0, 1e4, 10000.0)):  # fmt: skip
        assert float(L.binary_focal_loss([y], [z], from_logits=True)) == pytest.approx(
            keras_value, rel=1e-12
        )
    # ... but Keras forms 1 - p_t from sigmoid(40) = 1.0 and returns 0.0 for y = 1, z = 40;
    # here (1 - p_t)^2 BCE = sigmoid(-40)^3 = e^-120 (1 + O(e^-40))
    easy = float(L.binary_focal_loss([1.0], [40.0], from_logits=True))
    assert easy == pytest.approx(np.exp(-120.0), rel=1e-12)
    # from the probability sigmoid(20), Keras clips at 1e-7: 16.118095585040933 (same call with
    # from_logits=False); here the clip is eps = 2.2e-16, so the value stays the logits' one
    p = 1 / (1 + np.exp(-20.0))
    assert float(L.binary_focal_loss([0.0], [p])) == pytest.approx(19.99999991961501, rel=1e-7)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("soft", [False, True])
def test_focal_with_gamma_zero_is_the_cross_entropy_exactly(from_logits: bool, soft: bool) -> None:
    r = rng(16)
    y = r.uniform(size=100) if soft else r.integers(0, 2, 100).astype(float)
    x = r.normal(0, 3, 100) if from_logits else r.uniform(size=100)
    x[:2] = [1e4, -1e4] if from_logits else [0.0, 1.0]
    w = r.uniform(0, 2, 100)
    for reduction in ("none", "mean"):
        kw: dict[str, Any] = dict(from_logits=from_logits, sample_weight=w, reduction=reduction)
        focal = L.binary_focal_loss(y, x, gamma=0.0, **kw)
        np.testing.assert_array_equal(focal, L.binary_cross_entropy(y, x, **kw))


def test_focal_from_logits_equals_focal_from_probabilities() -> None:
    r = rng(17)
    y, z = r.uniform(size=100), r.normal(0, 3, 100)
    p = 1 / (1 + np.exp(-z))
    for gamma, alpha in ((2.0, None), (0.7, 0.25), (4.0, 0.9)):
        from_z = L.binary_focal_loss(y, z, gamma=gamma, alpha=alpha, from_logits=True)
        from_p = L.binary_focal_loss(y, p, gamma=gamma, alpha=alpha)
        assert from_z == pytest.approx(from_p, rel=1e-12)


def test_focal_from_huge_logits_is_finite_and_exact() -> None:
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.3, 0.3])
    z = np.array([1e4, -1e4, -1e4, 1e4, 1e4, -1e4])
    for dtype in (np.float64, np.float32):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no overflow, no log(0) warning
            out = L.binary_focal_loss(y, z.astype(dtype), from_logits=True, reduction="none")
        assert out.dtype == dtype
        # correct: loss 0; wrong: (1 - p_t)^γ = 1 times BCE = 1e4; soft y = 0.3 at z = ±1e4:
        # 1 - p_t = 0.7 (resp. 0.3), BCE = 0.7e4 (resp. 0.3e4)
        expected = [0.0, 0.0, 1e4, 1e4, 0.49 * 0.7e4, 0.09 * 0.3e4]
        np.testing.assert_allclose(out, expected, rtol=1e-6 if dtype == np.float32 else 1e-12)


def test_focal_class_balance_weights_positives_by_alpha() -> None:
    y, p = np.array([1.0, 0.0, 0.4]), np.array([0.3, 0.6, 0.5])
    plain = L.binary_focal_loss(y, p, reduction="none")
    balanced = L.binary_focal_loss(y, p, alpha=0.25, reduction="none")
    np.testing.assert_allclose(balanced, plain * [0.25, 0.75, 0.4 * 0.25 + 0.6 * 0.75], rtol=1e-15)


# ----------------------------------------------------------------------------- shared contract

N4 = 6


# valid arguments of each loss (the contract tests over every loss: test_loss_contract.py)
ARGS: dict[str, tuple[Callable[..., Any], dict[str, Any], np.ndarray, np.ndarray]] = {
    "student_t_nll": (L.student_t_nll, {"df": 3.0, "scale": 1.5},
                      np.linspace(-2, 2, N4), np.linspace(-1, 1, N4)),
    "negative_binomial_nll": (L.negative_binomial_nll, {"total_count": 2.5},
                              np.arange(N4), np.linspace(0.5, 4, N4)),
    "gamma_nll": (L.gamma_nll, {"concentration": 2.0},
                  np.linspace(0.1, 3, N4), np.linspace(0.5, 2, N4)),
    "lognormal_nll": (L.lognormal_nll, {"scale": 0.7},
                      np.linspace(0.1, 3, N4), np.linspace(-1, 1, N4)),
    "huber_loss": (L.huber_loss, {"delta": 0.8}, np.linspace(-2, 2, N4), np.zeros(N4)),
    "pinball_loss": (L.pinball_loss, {"quantile": 0.8}, np.linspace(-2, 2, N4), np.zeros(N4)),
    "binary_focal_loss": (L.binary_focal_loss, {"alpha": 0.25},
                          np.array([0, 1, 1, 0, 0.5, 1]), np.linspace(0.1, 0.9, N4)),
}  # fmt: skip


@pytest.mark.parametrize("name", ["student_t_nll", "negative_binomial_nll", "gamma_nll"])
def test_float32_extremes_stay_float32_and_finite(name: str) -> None:
    fn, kw, y, pred = ARGS[name]
    param = next(iter(kw))
    for value in (1e-6, 1e30):
        out = fn(y, pred.astype(np.float32), **{**kw, param: value}, reduction="none")
        assert out.dtype == np.float32
        assert np.all(np.isfinite(out)), (param, value, out)


# ----------------------------------------------------------------------------- special primitives

GRID = [1e-300, 1e-8, 1e-3, 0.5, 1.0, 3.0, 9.99, 10.0, 10.01, 20.0, 100.0, 5e3, 5e5, 3e6, 1e9,
        1e12, 1e15, 1e100, 1e300]  # fmt: skip


def test_log_beta_matches_mpmath_on_a_grid_from_1e_minus_300_to_1e300() -> None:
    # scipy.special.betaln is off by 2e-10 at (5e5, 0.5) and 3.6e-6 at (1e9, 1e4) (measured);
    # log_beta keeps ~1e-15 relative (or absolute below 1) everywhere on this grid
    a, b = np.meshgrid(GRID, GRID)
    out = log_beta(a, b)
    with mpmath.workdps(330):  # log Γ(1e300) has 303 digits before the point
        exact = np.array([
            [float(mpmath.loggamma(x) + mpmath.loggamma(y) - mpmath.loggamma(mpmath.mpf(x) + y))
             for x, y in zip(row_a, row_b, strict=True)]
            for row_a, row_b in zip(a, b, strict=True)
        ])  # fmt: skip
    np.testing.assert_allclose(out, exact, rtol=5e-15, atol=5e-15)
    np.testing.assert_array_equal(out, out.T)  # symmetric


def test_log_gamma_correction_matches_mpmath() -> None:
    x = np.array(GRID)
    with mpmath.workdps(330):
        exact = [
            float(mpmath.loggamma(v) - ((v - mpmath.mpf(1) / 2) * mpmath.log(v) - v
                                        + mpmath.log(2 * mpmath.pi) / 2))
            for v in GRID
        ]  # fmt: skip
    np.testing.assert_allclose(log_gamma_correction(x), exact, rtol=1e-14, atol=1e-14)


def test_special_primitives_keep_float32() -> None:
    x32 = np.array([0.5, 30.0], dtype=np.float32)
    assert log_gamma_correction(x32).dtype == np.float32
    assert log_beta(x32, x32).dtype == np.float32
    assert log_beta(x32, 0.5).dtype == np.float64  # a Python float is float64, as in NumPy


def test_gamma_nll_is_half_the_shape_times_sklearn_gamma_deviance_plus_a_constant() -> None:
    # mean_gamma_deviance = mean of 2 (log(μ/y) + y/μ − 1); for a fixed shape a the Gamma NLL
    # is a/2 times it plus terms free of μ: the difference does not depend on μ
    y, a = 2.7, 3.5
    diffs = [
        float(L.gamma_nll([y], [mu], concentration=a)) - a / 2 * mean_gamma_deviance([y], [mu])
        for mu in (0.1, 1.0, 2.7, 40.0)
    ]
    np.testing.assert_allclose(diffs, diffs[0], rtol=1e-13)
