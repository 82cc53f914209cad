"""The categorical cross-entropies of mlecourse.losses (one-hot and sparse): values,
extremes, the class axis, class weights, ignore_index, label smoothing and the MLE.

Expected values come from the Categorical pmf (``scipy.stats.multinomial`` with one trial),
scikit-learn's ``log_loss``, ``scipy.special.logsumexp``/``log_softmax``, or the formulas of
Chapter 5 written out here. The contract over every loss x both twins is
test_loss_contract.py; hard-coded framework values are test_losses_reference_values.py and bad
inputs test_losses_bad_input.py.
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
SETTINGS = settings(max_examples=40, deadline=None)


def ce_data(n=6, c=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 2, (n, c)), rng.integers(0, c, n)


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


def test_mean_of_all_ignored_is_an_error_not_nan():
    z, _ = ce_data(3)
    with pytest.raises(ValueError, match="sum to 0"):
        L.sparse_categorical_cross_entropy([-1, -1, -1], z, from_logits=True, ignore_index=-1)
    total = L.sparse_categorical_cross_entropy(
        [-1, -1, -1], z, from_logits=True, ignore_index=-1, reduction="sum"
    )
    assert total == 0.0


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


# ----------------------------------------------------------------------------- dtypes


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_categorical_dtypes(dtype):
    z = np.array([[2.0, -1.0, 0.5], [0.0, 1e4, -1e4]], dtype)
    y = np.array([0, 1], np.int32)
    a = L.sparse_categorical_cross_entropy(y, z, from_logits=True, class_weight=[1, 2, 3])
    b = L.categorical_cross_entropy(np.eye(3, dtype=bool)[y], z, from_logits=True)
    assert a.dtype == dtype and b.dtype == dtype


def test_float32_ce_is_accurate_to_float32_precision():
    rng = np.random.default_rng(7)
    _ = rng.normal(0, 20, 5000), rng.random(5000)  # the draws of the BCE half: the same CE data
    zc = rng.normal(0, 20, (500, 6)).astype(np.float32)
    yc = rng.integers(0, 6, 500)
    ref = L.sparse_categorical_cross_entropy(
        yc, zc.astype(float), from_logits=True, reduction="none"
    )
    out = L.sparse_categorical_cross_entropy(yc, zc, from_logits=True, reduction="none")
    np.testing.assert_allclose(out, ref, rtol=8 * np.finfo(np.float32).eps, atol=1e-6)


def test_single_example_inputs():
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


# ----------------------------------------------------------------------------- the MLE


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
