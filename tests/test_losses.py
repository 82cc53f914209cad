"""Semantics, extremes and properties of mlecourse.losses (the loss contract of DESIGN.md).

References are computed here (formulas, SciPy, scikit-learn); hard-coded framework values live in
test_losses_reference_values.py and bad inputs in test_losses_bad_input.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.optimize as so
import scipy.special as sc
import scipy.stats as ss
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.metrics import log_loss

from mlecourse import losses as L

LOG_EPS64 = float(-np.log(np.finfo(np.float64).eps))  # 36.04365338911715
LOG_EPS32 = float(-np.log(np.float64(np.finfo(np.float32).eps)))  # 15.942385152878742
RNG = np.random.default_rng(20261122)
SETTINGS = settings(max_examples=40, deadline=None)


def ce_data(n=6, c=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 2, (n, c)), rng.integers(0, c, n)


# ----------------------------------------------------------------------------- BCE


def test_bce_matches_sklearn_log_loss():
    y = RNG.integers(0, 2, 200)
    p = RNG.uniform(0.01, 0.99, 200)
    w = RNG.uniform(0, 2, 200)
    assert L.binary_cross_entropy(y, p) == pytest.approx(log_loss(y, p), rel=1e-13)
    assert L.binary_cross_entropy(y, p, sample_weight=w) == pytest.approx(
        log_loss(y, p, sample_weight=w), rel=1e-13
    )
    z = sc.logit(p)
    assert L.binary_cross_entropy(y, z, from_logits=True) == pytest.approx(
        log_loss(y, p), rel=1e-12
    )


def test_bce_is_bernoulli_nll():
    y, p = RNG.integers(0, 2, 50), RNG.uniform(0.05, 0.95, 50)
    expected = -ss.bernoulli.logpmf(y, p)
    np.testing.assert_allclose(L.binary_cross_entropy(y, p, reduction="none"), expected, rtol=1e-13)


@pytest.mark.parametrize("z", [1e4, 1e9, 1e300])
def test_bce_logits_extremes_equal_the_asymptote(z):
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.3, 0.3])
    logits = np.array([z, -z, -z, z, z, -z])
    # softplus(z) - y z: exactly 0 when right, |z| when wrong, (1 - y) z or y |z| when soft
    expected = [0.0, 0.0, z, z, 0.7 * z, 0.3 * z]
    out = L.binary_cross_entropy(y, logits, from_logits=True, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-15)
    assert np.all(np.isfinite(out))


def test_bce_logits_keeps_tiny_losses():
    # loss(y=1, z=30) = log1p(e^-30): the stable form keeps it to full relative precision
    out = L.binary_cross_entropy([1.0, 0.0], [30.0, -30.0], from_logits=True, reduction="none")
    np.testing.assert_allclose(out, np.log1p(np.exp(-30.0)), rtol=1e-15)


def test_bce_float32_logits_extremes():
    z = np.array([1e4, -1e4, 0.0], np.float32)
    out = L.binary_cross_entropy([1, 1, 1], z, from_logits=True, reduction="none")
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.array([0.0, 1e4, np.log(2.0)], np.float32))


def test_bce_probabilities_zero_and_one_are_clipped():
    out = L.binary_cross_entropy([1, 0, 1, 0], [0.0, 1.0, 1.0, 0.0], reduction="none")
    eps = np.finfo(np.float64).eps
    np.testing.assert_allclose(out, [LOG_EPS64, LOG_EPS64, -np.log1p(-eps), -np.log1p(-eps)])
    out32 = L.binary_cross_entropy([1, 0], np.array([0.0, 1.0], np.float32), reduction="none")
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, [LOG_EPS32, LOG_EPS32], rtol=1e-6)


def test_bce_pos_weight_multiplies_the_positive_term():
    z = RNG.normal(0, 3, (20, 3))
    y = RNG.integers(0, 2, (20, 3))
    pw = np.array([0.5, 2.0, 7.0])
    pos = -y * sc.log_expit(z) * pw
    neg = -(1 - y) * sc.log_expit(-z)
    expected = pos + neg
    np.testing.assert_allclose(
        L.binary_cross_entropy(y, z, from_logits=True, pos_weight=pw, reduction="none"),
        expected,
        rtol=1e-13,
    )
    np.testing.assert_allclose(
        L.binary_cross_entropy(y, sc.expit(z), pos_weight=pw, reduction="none"), expected, rtol=1e-9
    )
    # pos_weight=1 is no weight; a full-shape pos_weight works too
    assert L.binary_cross_entropy(y, z, from_logits=True, pos_weight=1.0) == pytest.approx(
        L.binary_cross_entropy(y, z, from_logits=True), rel=1e-14
    )
    full = np.broadcast_to(pw, z.shape)
    assert L.binary_cross_entropy(y, z, from_logits=True, pos_weight=full) == pytest.approx(
        L.binary_cross_entropy(y, z, from_logits=True, pos_weight=pw), rel=1e-14
    )


def test_bce_pos_weight_stays_exact_at_extremes():
    out = L.binary_cross_entropy(
        [1.0, 0.0, 1.0], [-1e4, 1e4, 1e4], from_logits=True, pos_weight=3.0, reduction="none"
    )
    np.testing.assert_array_equal(out, [3e4, 1e4, 0.0])


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.5, 1.0])
def test_bce_label_smoothing_is_the_smoothed_target(eps):
    y = RNG.integers(0, 2, 30)
    z = RNG.normal(0, 2, 30)
    smoothed = y * (1 - eps) + eps / 2
    assert L.binary_cross_entropy(y, z, from_logits=True, label_smoothing=eps) == pytest.approx(
        L.binary_cross_entropy(smoothed, z, from_logits=True), rel=1e-14
    )


@SETTINGS
@given(
    hnp.arrays(np.float64, st.integers(1, 30), elements=st.floats(-25, 25)),
    st.data(),
)
def test_bce_from_logits_equals_bce_from_sigmoid(z, data):
    y = data.draw(hnp.arrays(np.float64, z.shape, elements=st.floats(0, 1)))
    from_logits = L.binary_cross_entropy(y, z, from_logits=True, reduction="none")
    from_probs = L.binary_cross_entropy(y, sc.expit(z), reduction="none")
    # where sigmoid(z) is representable away from the clip, the two agree
    np.testing.assert_allclose(from_probs, from_logits, rtol=1e-6, atol=1e-12)


# ----------------------------------------------------------------------------- reductions


def test_reductions_and_the_weighted_mean():
    y, z = RNG.integers(0, 2, 10), RNG.normal(size=10)
    w = RNG.uniform(0, 3, 10)
    none = L.binary_cross_entropy(y, z, from_logits=True, reduction="none")
    assert none.shape == (10,)
    assert L.binary_cross_entropy(y, z, from_logits=True, reduction="sum") == pytest.approx(
        none.sum()
    )
    assert L.binary_cross_entropy(y, z, from_logits=True) == pytest.approx(none.mean())
    weighted = L.binary_cross_entropy(y, z, from_logits=True, sample_weight=w)
    assert weighted == pytest.approx((w * none).sum() / w.sum())
    np.testing.assert_allclose(
        L.binary_cross_entropy(y, z, from_logits=True, sample_weight=w, reduction="none"), w * none
    )


def test_results_are_numpy_scalars_and_arrays():
    out = L.mean_squared_error([1.0, 2.0], [1.5, 2.5])
    assert isinstance(out, np.float64)
    assert isinstance(L.mean_squared_error([1.0], [2.0], reduction="none"), np.ndarray)


def test_mean_of_all_ignored_is_an_error_not_nan():
    z, _ = ce_data(3)
    with pytest.raises(ValueError, match="sum to 0"):
        L.sparse_categorical_cross_entropy([-1, -1, -1], z, from_logits=True, ignore_index=-1)
    total = L.sparse_categorical_cross_entropy(
        [-1, -1, -1], z, from_logits=True, ignore_index=-1, reduction="sum"
    )
    assert total == 0.0


# ----------------------------------------------------------------------------- categorical


def test_sparse_ce_from_logits_is_logsumexp_minus_true_logit():
    z, y = ce_data(50, 7)
    expected = sc.logsumexp(z, axis=1) - z[np.arange(50), y]
    out = L.sparse_categorical_cross_entropy(y, z, from_logits=True, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-13)
    p = sc.softmax(z, axis=1)
    assert L.sparse_categorical_cross_entropy(y, p) == pytest.approx(
        log_loss(y, p, labels=range(7)), rel=1e-12
    )


def test_ce_is_categorical_nll():
    z, y = ce_data(20, 5)
    p = sc.softmax(z, axis=1)
    expected = -ss.multinomial.logpmf(np.eye(5)[y], 1, p)
    out = L.categorical_cross_entropy(np.eye(5)[y], p, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-12)


@pytest.mark.parametrize("big", [1e4, 1e9])
def test_ce_logits_extremes(big):
    z = np.array([[big, -big, 0.0]] * 3)
    out = L.sparse_categorical_cross_entropy([0, 1, 2], z, from_logits=True, reduction="none")
    np.testing.assert_array_equal(out, [0.0, 2 * big, big])
    out32 = L.sparse_categorical_cross_entropy(
        [0, 1, 2], z.astype(np.float32), from_logits=True, reduction="none"
    )
    assert out32.dtype == np.float32
    np.testing.assert_array_equal(out32, np.array([0.0, 2 * big, big], np.float32))
    onehot = L.categorical_cross_entropy(np.eye(3), z, from_logits=True, reduction="none")
    np.testing.assert_array_equal(onehot, [0.0, 2 * big, big])


def test_ce_keeps_tiny_losses():
    # -log softmax([40, 0])_0 = log1p(e^-40): computed as log s + (m - z), nothing cancels
    out = L.sparse_categorical_cross_entropy([0], [[40.0, 0.0]], from_logits=True)
    assert out == pytest.approx(np.log1p(np.exp(-40.0)), rel=1e-12)


def test_ce_probabilities_zero_is_clipped():
    out = L.sparse_categorical_cross_entropy([1], [[1.0, 0.0]], reduction="none")
    np.testing.assert_allclose(out, [LOG_EPS64])


def test_ce_axis_selects_the_class_axis():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 5, 3, 2))  # torch layout (N, C, d1, d2)
    y = rng.integers(0, 5, (4, 3, 2))
    moved = np.moveaxis(z, 1, -1)
    for kwargs in ({}, {"label_smoothing": 0.2, "class_weight": np.arange(1.0, 6.0)}):
        a = L.sparse_categorical_cross_entropy(
            y, z, from_logits=True, axis=1, reduction="none", **kwargs
        )
        b = L.sparse_categorical_cross_entropy(
            y, moved, from_logits=True, reduction="none", **kwargs
        )
        assert a.shape == (4, 3, 2)
        np.testing.assert_allclose(a, b, rtol=1e-14)
        onehot = np.moveaxis(np.eye(5)[y], -1, 1)
        c = L.categorical_cross_entropy(
            onehot, z, from_logits=True, axis=1, reduction="none", **kwargs
        )
        np.testing.assert_allclose(c, a, rtol=1e-13)


def test_class_weight_mean_divides_by_the_target_weights():
    z, y = ce_data(8, 3)
    w = np.array([0.5, 2.0, 4.0])
    nll = -sc.log_softmax(z, axis=1)[np.arange(8), y]
    expected = (w[y] * nll).sum() / w[y].sum()
    out = L.sparse_categorical_cross_entropy(y, z, from_logits=True, class_weight=w)
    assert out == pytest.approx(expected, rel=1e-13)


def test_ignore_index_leaves_numerator_and_denominator():
    z, y = ce_data(8, 3)
    y = y.copy()
    y[[1, 5]] = -100
    kept = y != -100
    full = L.sparse_categorical_cross_entropy(
        y[kept], z[kept], from_logits=True, label_smoothing=0.1, class_weight=[1.0, 2.0, 3.0]
    )
    out = L.sparse_categorical_cross_entropy(
        y, z, from_logits=True, ignore_index=-100, label_smoothing=0.1, class_weight=[1.0, 2.0, 3.0]
    )
    assert out == pytest.approx(full, rel=1e-14)
    none = L.sparse_categorical_cross_entropy(
        y, z, from_logits=True, ignore_index=-100, reduction="none"
    )
    assert none[1] == 0.0 and none[5] == 0.0


def test_categorical_label_smoothing_formula():
    z, y = ce_data(6, 4)
    eps = 0.3
    target = np.eye(4)[y] * (1 - eps) + eps / 4
    expected = -(target * sc.log_softmax(z, axis=1)).sum(axis=1).mean()
    for out in (
        L.categorical_cross_entropy(np.eye(4)[y], z, from_logits=True, label_smoothing=eps),
        L.sparse_categorical_cross_entropy(y, z, from_logits=True, label_smoothing=eps),
    ):
        assert out == pytest.approx(expected, rel=1e-13)


def test_unnormalised_probabilities_warn():
    with pytest.warns(UserWarning, match="y_pred should sum to 1"):
        L.categorical_cross_entropy([[1, 0]], [[0.5, 0.7]])
    with pytest.warns(UserWarning, match="y_true should sum to 1"):
        L.categorical_cross_entropy([[1, 1]], [[0.5, 0.5]])


option_sets = st.fixed_dictionaries(
    {
        "from_logits": st.booleans(),
        "class_weight": st.none() | st.just("random"),
        "label_smoothing": st.sampled_from([0.0, 0.1, 0.5, 1.0]),
        "sample_weight": st.none() | st.just("random"),
        "reduction": st.sampled_from(["mean", "sum", "none"]),
    }
)


@SETTINGS
@given(option_sets, st.integers(1, 6), st.integers(2, 5), st.integers(0, 2**16))
def test_one_hot_ce_equals_sparse_ce_for_every_option(options, n, c, seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 3, (n, c))
    y = rng.integers(0, c, n)
    kwargs = dict(options)
    if kwargs["class_weight"]:
        kwargs["class_weight"] = rng.uniform(0.1, 3.0, c)
    if kwargs["sample_weight"]:
        kwargs["sample_weight"] = rng.uniform(0.1, 3.0, n)
    pred = z if kwargs["from_logits"] else sc.softmax(z, axis=1)
    dense = L.categorical_cross_entropy(np.eye(c)[y], pred, **kwargs)
    sparse = L.sparse_categorical_cross_entropy(y, pred, **kwargs)
    np.testing.assert_allclose(dense, sparse, rtol=1e-12, atol=1e-14)


@SETTINGS
@given(
    hnp.arrays(
        np.float64, st.tuples(st.integers(1, 5), st.integers(2, 6)), elements=st.floats(-50, 50)
    ),
    st.floats(-1e4, 1e4),
    st.sampled_from([0.0, 0.2]),
)
def test_ce_is_invariant_to_a_constant_added_to_the_logits(z, shift, eps):
    y = np.arange(z.shape[0]) % z.shape[1]
    a = L.sparse_categorical_cross_entropy(y, z, from_logits=True, label_smoothing=eps)
    b = L.sparse_categorical_cross_entropy(y, z + shift, from_logits=True, label_smoothing=eps)
    # z + shift is rounded to ulp(shift): allow that much
    assert b == pytest.approx(a, rel=1e-9, abs=64 * np.finfo(float).eps * (1 + abs(shift)))
    onehot = np.eye(z.shape[1])[y]
    c = L.categorical_cross_entropy(onehot, z + shift, from_logits=True, label_smoothing=eps)
    assert c == pytest.approx(a, rel=1e-9, abs=64 * np.finfo(float).eps * (1 + abs(shift)))


# ----------------------------------------------------------------------------- regression


def test_mse_and_mae():
    y, yhat = RNG.normal(size=20), RNG.normal(size=20)
    assert L.mean_squared_error(y, yhat) == pytest.approx(np.mean((y - yhat) ** 2), rel=1e-14)
    assert L.mean_absolute_error(y, yhat) == pytest.approx(np.mean(np.abs(y - yhat)), rel=1e-14)
    # MSE = 2 x Gaussian NLL (unit variance, no constant); MAE = Laplace NLL (scale 1, no log 2)
    assert L.mean_squared_error(y, yhat) == pytest.approx(2 * L.gaussian_nll(y, yhat, full=False))
    assert L.mean_absolute_error(y, yhat) == pytest.approx(L.laplace_nll(y, yhat, full=False))


def test_gaussian_nll_matches_scipy_for_each_parameterisation():
    y, mu = RNG.normal(size=15), RNG.normal(size=15)
    sd = RNG.uniform(0.1, 3.0, 15)
    expected = -ss.norm.logpdf(y, mu, sd)
    for kwargs in ({"variance": sd**2}, {"std": sd}, {"log_variance": np.log(sd**2)}):
        out = L.gaussian_nll(y, mu, reduction="none", **kwargs)
        np.testing.assert_allclose(out, expected, rtol=1e-13)
        dropped = L.gaussian_nll(y, mu, reduction="none", full=False, **kwargs)
        np.testing.assert_allclose(out - dropped, 0.5 * np.log(2 * np.pi), rtol=1e-13)
    np.testing.assert_allclose(
        L.gaussian_nll(y, mu, reduction="none"), -ss.norm.logpdf(y, mu, 1.0), rtol=1e-13
    )


def test_gaussian_variance_is_clamped_at_eps():
    for kwargs in ({"variance": 0.0}, {"std": 0.0}, {"log_variance": -1e4}):
        out = L.gaussian_nll([0.0], [0.001], eps=1e-6, full=False, **kwargs)
        assert out == pytest.approx(0.5 * (np.log(1e-6) + 1e-6 / 1e-6), rel=1e-12)


def test_poisson_nll_matches_scipy_and_handles_rate_zero():
    y = RNG.poisson(3.0, 30)
    rate = RNG.uniform(0.5, 6.0, 30)
    expected = -ss.poisson.logpmf(y, rate)
    np.testing.assert_allclose(
        L.poisson_nll(y, np.log(rate), reduction="none"), expected, rtol=1e-12
    )
    np.testing.assert_allclose(
        L.poisson_nll(y, rate, log_input=False, reduction="none"), expected, rtol=1e-12
    )
    np.testing.assert_allclose(
        L.poisson_nll(y, rate, log_input=False, full=False, reduction="none"),
        expected - sc.gammaln(y + 1),
        rtol=1e-12,
        atol=1e-12,
    )
    # rate 0: exact 0 for a zero count, y * (-log eps) + log y! for a positive count
    out = L.poisson_nll([0, 2], [0.0, 0.0], log_input=False, reduction="none")
    np.testing.assert_allclose(out, [0.0, 2 * LOG_EPS64 + np.log(2.0)])


def test_laplace_nll_matches_scipy():
    y, mu = RNG.normal(size=15), RNG.normal(size=15)
    b = RNG.uniform(0.1, 3.0, 15)
    np.testing.assert_allclose(
        L.laplace_nll(y, mu, scale=b, reduction="none"), -ss.laplace.logpdf(y, mu, b), rtol=1e-13
    )
    np.testing.assert_allclose(
        L.laplace_nll(y, mu, scale=b, full=False, reduction="none"),
        -ss.laplace.logpdf(y, mu, b) - np.log(2.0),
        rtol=1e-13,
    )


# ----------------------------------------------------------------------------- dtypes

ALL_CALLS = [
    ("bce", lambda y, p: L.binary_cross_entropy(y, p)),
    ("bce logits", lambda y, p: L.binary_cross_entropy(y, p, from_logits=True, pos_weight=2.0)),
    ("mse", lambda y, p: L.mean_squared_error(y, p)),
    ("mae", lambda y, p: L.mean_absolute_error(y, p)),
    ("gauss", lambda y, p: L.gaussian_nll(y, p, std=np.float32(0.5))),
    ("poisson", lambda y, p: L.poisson_nll(y, p)),
    ("poisson rate", lambda y, p: L.poisson_nll(y, p, log_input=False)),
    ("laplace", lambda y, p: L.laplace_nll(y, p, scale=2.0)),
]


@pytest.mark.parametrize("name, call", ALL_CALLS, ids=[c[0] for c in ALL_CALLS])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("target_dtype", [np.int64, np.bool_, np.float64])
def test_prediction_decides_the_dtype(name, call, dtype, target_dtype):
    y = np.array([1, 0, 1, 1]).astype(target_dtype)
    p = np.array([0.9, 0.2, 0.6, 0.3], dtype=dtype)
    out = call(y, p)
    assert isinstance(out, np.floating) and out.dtype == dtype
    assert np.isfinite(out)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_categorical_dtypes(dtype):
    z = np.array([[2.0, -1.0, 0.5], [0.0, 1e4, -1e4]], dtype)
    y = np.array([0, 1], np.int32)
    a = L.sparse_categorical_cross_entropy(y, z, from_logits=True, class_weight=[1, 2, 3])
    b = L.categorical_cross_entropy(np.eye(3, dtype=bool)[y], z, from_logits=True)
    assert a.dtype == dtype and b.dtype == dtype


# ----------------------------------------------------------------------------- MLE properties


def argmin(f, lo, hi):
    return so.minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10}).x


sample = hnp.arrays(np.float64, st.integers(3, 25), elements=st.floats(-10, 10))


@SETTINGS
@given(hnp.arrays(np.int64, st.integers(2, 30), elements=st.integers(0, 1)))
def test_bce_argmin_is_the_bernoulli_mle(y):
    theta_hat = y.mean()
    assume(0 < theta_hat < 1)
    found = argmin(lambda t: L.binary_cross_entropy(y, np.full(y.shape, t)), 1e-6, 1 - 1e-6)
    assert found == pytest.approx(theta_hat, abs=1e-5)


@SETTINGS
@given(hnp.arrays(np.int64, st.integers(3, 30), elements=st.integers(0, 2)))
def test_ce_argmin_is_the_categorical_mle(y):
    counts = np.bincount(y, minlength=3)
    assume(np.all(counts > 0))

    def nll(logits):
        z = np.broadcast_to(np.r_[0.0, logits], (y.size, 3))
        return L.sparse_categorical_cross_entropy(y, z, from_logits=True)

    found = so.minimize(nll, np.zeros(2), method="BFGS", options={"gtol": 1e-9}).x
    np.testing.assert_allclose(sc.softmax(np.r_[0.0, found]), counts / y.size, atol=1e-4)


@SETTINGS
@given(sample)
def test_gaussian_argmins_are_the_mean_and_the_biased_variance(y):
    mu_hat = y.mean()
    var_hat = np.mean((y - mu_hat) ** 2)
    assume(var_hat > 1e-3)
    found_mu = argmin(lambda m: L.gaussian_nll(y, np.full(y.shape, m), variance=2.0), -11, 11)
    assert found_mu == pytest.approx(mu_hat, abs=1e-5)
    found_log_var = argmin(
        lambda lv: L.gaussian_nll(y, np.full(y.shape, mu_hat), log_variance=lv), -10, 6
    )
    assert np.exp(found_log_var) == pytest.approx(var_hat, rel=1e-4)
    found_mse = argmin(lambda m: L.mean_squared_error(y, np.full(y.shape, m)), -11, 11)
    assert found_mse == pytest.approx(mu_hat, abs=1e-5)


@SETTINGS
@given(hnp.arrays(np.int64, st.integers(2, 30), elements=st.integers(0, 40)))
def test_poisson_argmin_is_the_sample_mean(y):
    lam_hat = y.mean()
    assume(lam_hat > 0)
    found = argmin(lambda lr: L.poisson_nll(y, np.full(y.shape, lr)), -8, 5)
    assert np.exp(found) == pytest.approx(lam_hat, rel=1e-5)
    found_rate = argmin(lambda r: L.poisson_nll(y, np.full(y.shape, r), log_input=False), 1e-3, 45)
    assert found_rate == pytest.approx(lam_hat, rel=1e-5)


@SETTINGS
@given(hnp.arrays(np.float64, st.sampled_from([3, 5, 9, 15]), elements=st.floats(-10, 10)))
def test_laplace_argmins_are_the_median_and_the_mean_absolute_deviation(y):
    # an odd sample size makes the median the unique minimiser
    med = np.median(y)
    b_hat = np.mean(np.abs(y - med))
    assume(b_hat > 1e-3 and np.unique(y).size == y.size)
    found_loc = argmin(lambda m: L.laplace_nll(y, np.full(y.shape, m), scale=1.5), -11, 11)
    assert found_loc == pytest.approx(med, abs=1e-5)
    found_scale = argmin(lambda b: L.laplace_nll(y, np.full(y.shape, med), scale=b), 1e-4, 30)
    assert found_scale == pytest.approx(b_hat, rel=1e-4)
    found_mae = argmin(lambda m: L.mean_absolute_error(y, np.full(y.shape, m)), -11, 11)
    assert found_mae == pytest.approx(med, abs=1e-5)


def test_scalar_and_single_example_inputs():
    assert L.binary_cross_entropy(1, 0.7) == pytest.approx(-np.log(0.7))
    assert L.binary_cross_entropy(1, 0.7, pos_weight=2.0) == pytest.approx(-2 * np.log(0.7))
    assert L.binary_cross_entropy(0, 3.0, from_logits=True) == pytest.approx(
        3.0 + np.log1p(np.exp(-3.0))
    )
    assert L.mean_squared_error(1.0, 3.0) == 4.0
    assert L.mean_absolute_error(1.0, 3.0, reduction="none") == 2.0
    assert L.gaussian_nll(1.0, 0.0, variance=2.0) == pytest.approx(
        -ss.norm.logpdf(1.0, 0.0, np.sqrt(2))
    )
    assert L.poisson_nll(2, 0.5) == pytest.approx(-ss.poisson.logpmf(2, np.exp(0.5)))
    assert L.poisson_nll(2, 1.5, log_input=False) == pytest.approx(-ss.poisson.logpmf(2, 1.5))
    assert L.laplace_nll(1.0, 0.0, scale=2.0) == pytest.approx(-ss.laplace.logpdf(1.0, 0.0, 2.0))
    # one example with a class axis only: the label is a scalar
    z = np.array([2.0, 1.0, -1.0])
    expected = sc.logsumexp(z) - z[1]
    assert L.sparse_categorical_cross_entropy(1, z, from_logits=True) == pytest.approx(expected)
    assert L.categorical_cross_entropy([0, 1, 0], z, from_logits=True) == pytest.approx(expected)
    assert L.sparse_categorical_cross_entropy(1, sc.softmax(z)) == pytest.approx(expected)
    for eps in (0.0, 0.2):
        kwargs = dict(from_logits=True, label_smoothing=eps, class_weight=[1.0, 2.0, 3.0])
        assert L.sparse_categorical_cross_entropy(1, z, **kwargs) == pytest.approx(
            L.categorical_cross_entropy([0, 1, 0], z, **kwargs)
        )


def test_float16_predictions_compute_in_float32():
    out = L.binary_cross_entropy([1, 0], np.array([0.3, 0.2], np.float16))
    assert out.dtype == np.float32


def test_float32_bce_and_ce_are_accurate_to_float32_precision():
    rng = np.random.default_rng(7)
    z = rng.normal(0, 20, 5000).astype(np.float32)
    y = rng.random(5000).astype(np.float32)
    ref = L.binary_cross_entropy(
        y.astype(float), z.astype(float), from_logits=True, reduction="none"
    )
    out = L.binary_cross_entropy(y, z, from_logits=True, reduction="none")
    # relative to the loss, plus the rounding of y * z (|y z| * eps)
    tol = 4 * np.finfo(np.float32).eps * (ref + np.abs(y * z.astype(float)))
    assert np.all(np.abs(out - ref) <= tol)
    zc = rng.normal(0, 20, (500, 6)).astype(np.float32)
    yc = rng.integers(0, 6, 500)
    ref = L.sparse_categorical_cross_entropy(
        yc, zc.astype(float), from_logits=True, reduction="none"
    )
    out = L.sparse_categorical_cross_entropy(yc, zc, from_logits=True, reduction="none")
    np.testing.assert_allclose(out, ref, rtol=8 * np.finfo(np.float32).eps, atol=1e-6)


# ----------------------------------------------------------------------------- fuzzing regressions
# Two defects found by fuzzing against PyTorch (issue 10). Expected values say where they come
# from: torch 2.13.0 CPU, or the exact formula.


def test_bce_from_logits_soft_label_near_one_does_not_cancel():
    # y = 0.9999, z = 1e4 in float32: the loss is (1 - y) z = 1.0001659...; `max(z, 0) - y z`
    # cancelled to 1.0. Expected: torch 2.13.0
    # F.binary_cross_entropy_with_logits(torch.tensor([1e4]), torch.tensor([0.9999]),
    # reduction="none") -> 1.0001659393310547 (float32).
    y, z = np.array([0.9999], np.float32), np.array([1e4], np.float32)
    out = L.binary_cross_entropy(y, z, from_logits=True, reduction="none")
    assert out.dtype == np.float32
    assert out[0] == np.float32(1.0001659393310547)
    # float64: exactly (1 - y) z of the float64 y (torch 2.13.0 gives 0.9999999999998899 there,
    # its max(z, 0) - y z cancelling)
    out64 = L.binary_cross_entropy([0.9999], [1e4], from_logits=True, reduction="none")
    assert out64[0] == pytest.approx((1 - 0.9999) * 1e4, rel=1e-15)
    # the pos_weight path and the TFP-style expected NLL agree on it
    pw = L.binary_cross_entropy(y, z, from_logits=True, pos_weight=1.0, reduction="none")
    assert pw[0] == out[0]


@pytest.mark.parametrize(
    ("dtype", "kwargs"),
    [
        # y = mean = 0, log_variance = -710, eps = 4.476e-309 (subnormal in float64): gave NaN;
        # torch 2.13.0 F.gaussian_nll_loss(..., eps=4.476e-309) gives -355.0
        (np.float64, {"log_variance": -710.0, "eps": 4.476e-309}),
        # variance = 0, eps = 6.8e-46 (0 in float32): gave NaN; torch 2.13.0 gives nan too
        (np.float32, {"variance": 0.0, "eps": 6.8e-46}),
    ],
)
def test_gaussian_nll_rejects_an_eps_the_dtype_cannot_hold(dtype, kwargs):
    zero = np.zeros(1, dtype)
    name = np.dtype(dtype).name
    with pytest.raises(ValueError, match=rf"eps must be at least the smallest normal {name} "):
        L.gaussian_nll(zero, zero, **kwargs)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gaussian_nll_at_the_smallest_eps_is_exact(dtype):
    # eps = np.finfo(dtype).tiny, variance 0: the loss is ½ log(tiny) (full=False). Expected:
    # torch 2.13.0 F.gaussian_nll_loss(zeros, zeros, zeros, eps=tiny) = -354.1982 (float64),
    # -43.6683 (float32), which is 0.5 * math.log(tiny).
    tiny = float(np.finfo(dtype).tiny)
    zero = np.zeros(1, dtype)
    out = L.gaussian_nll(zero, zero, variance=0.0, eps=tiny, full=False)
    assert out.dtype == dtype
    assert float(out) == pytest.approx(0.5 * math.log(tiny), rel=1e-6)
    out = L.gaussian_nll(zero, zero, log_variance=-800.0, eps=tiny, full=False)
    assert float(out) == pytest.approx(0.5 * math.log(tiny), rel=1e-6)
