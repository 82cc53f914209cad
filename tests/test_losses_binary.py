"""The binary cross-entropy of mlecourse.losses: values, extremes, options and its MLE.

Expected values come from the Bernoulli pmf (``scipy.stats.bernoulli``), scikit-learn's
``log_loss``, the stable formula written out here, or torch 2.13.0 where a test says so.
The contract over every loss x both twins (reductions, dtypes, bad reductions, shapes) is
test_loss_contract.py; hard-coded framework values are test_losses_reference_values.py and bad
inputs test_losses_bad_input.py; the focal loss is in test_losses_families.py.
"""

from __future__ import annotations

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


# ----------------------------------------------------------------------------- dtypes


def test_float16_predictions_compute_in_float32():
    out = L.binary_cross_entropy([1, 0], np.array([0.3, 0.2], np.float16))
    assert out.dtype == np.float32


def test_float32_bce_is_accurate_to_float32_precision():
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


def test_scalar_inputs():
    assert L.binary_cross_entropy(1, 0.7) == pytest.approx(-np.log(0.7))
    assert L.binary_cross_entropy(1, 0.7, pos_weight=2.0) == pytest.approx(-2 * np.log(0.7))
    assert L.binary_cross_entropy(0, 3.0, from_logits=True) == pytest.approx(
        3.0 + np.log1p(np.exp(-3.0))
    )


# ----------------------------------------------------------------------------- the MLE


def argmin(f, lo, hi):
    return so.minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10}).x


@SETTINGS
@given(hnp.arrays(np.int64, st.integers(2, 30), elements=st.integers(0, 1)))
def test_bce_argmin_is_the_bernoulli_mle(y):
    theta_hat = y.mean()
    assume(0 < theta_hat < 1)
    found = argmin(lambda t: L.binary_cross_entropy(y, np.full(y.shape, t)), 1e-6, 1 - 1e-6)
    assert found == pytest.approx(theta_hat, abs=1e-5)


# ----------------------------------------------------------------------------- fuzzing regressions
# A defect found by fuzzing against PyTorch (issue 10). Expected values say where they come
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
