"""Tests of mlecourse.gradients.

The main property: every analytic gradient equals central finite differences of the loss of
the same name in :mod:`mlecourse.losses` (float64), across the option matrix. Expected values
in the example tests come from the closed-form derivatives (each test says which).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mlecourse import gradients, losses

REDUCTIONS = st.sampled_from(["mean", "sum", "none"])
FD_SETTINGS = settings(max_examples=40, deadline=None)


def fd_check(loss: Callable[[np.ndarray], Any], x: np.ndarray, grad: np.ndarray) -> None:
    """Assert the gradient matches finite differences of ``sum(loss(x))``.

    For ``reduction="none"`` the sum of the per-element losses has exactly the per-element
    derivatives as its gradient (no loss depends on another element's prediction).
    Perturbing one probability makes its row sum differ from 1 by ~1e-6, which the losses
    report with a UserWarning; that is expected here and silenced.
    """

    def f(t: np.ndarray) -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return float(np.sum(loss(t)))

    result = gradients.check_gradient(f, x, grad, rtol=1e-5, atol=1e-7)
    assert result.ok, f"{result}\nanalytic={result.analytic}\nnumeric={result.numeric}"


def rng_from(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(1, 4)


def sample_weight_for(rng: np.random.Generator, kind: str, shape: tuple[int, ...]) -> Any:
    if kind == "none":
        return None
    if kind == "scalar":
        return float(rng.uniform(0.5, 2.0))
    return rng.uniform(0.1, 2.0, shape)


SW_KINDS = st.sampled_from(["none", "scalar", "array"])


# ------------------------------------------------------------- finite differences, BCE


@FD_SETTINGS
@given(
    seed=seeds,
    n=sizes,
    c=sizes,
    from_logits=st.booleans(),
    pw_kind=st.sampled_from(["none", "scalar", "per_label", "full"]),
    smoothing=st.sampled_from([0.0, 0.1, 0.5]),
    sw_kind=SW_KINDS,
    soft=st.booleans(),
    reduction=REDUCTIONS,
)
def test_bce_matches_finite_differences(
    seed: int,
    n: int,
    c: int,
    from_logits: bool,
    pw_kind: str,
    smoothing: float,
    sw_kind: str,
    soft: bool,
    reduction: str,
) -> None:
    rng = rng_from(seed)
    y = rng.random((n, c)) if soft else (rng.random((n, c)) < 0.5).astype(float)
    # probabilities kept away from the clip boundaries eps, 1 - eps (kinks of the loss)
    x = rng.normal(0, 3, (n, c)) if from_logits else rng.uniform(0.02, 0.98, (n, c))
    pw = {
        "none": None,
        "scalar": 2.5,
        "per_label": rng.uniform(0.2, 3.0, c),
        "full": rng.uniform(0.2, 3.0, (n, c)),
    }[pw_kind]
    kw = dict(
        from_logits=from_logits,
        pos_weight=pw,
        label_smoothing=smoothing,
        sample_weight=sample_weight_for(rng, sw_kind, (n, c)),
        reduction=reduction,
    )
    grad = gradients.binary_cross_entropy(y, x, **kw)
    assert grad.shape == x.shape
    fd_check(lambda t: losses.binary_cross_entropy(y, t, **kw), x, grad)


# ------------------------------------------------------ finite differences, categorical


def _class_inputs(
    rng: np.random.Generator, n: int, c: int, from_logits: bool
) -> tuple[np.ndarray, np.ndarray]:
    labels = rng.integers(0, c, n)
    if from_logits:
        return labels, rng.normal(0, 3, (n, c))
    p = rng.uniform(0.05, 1.0, (n, c))
    return labels, p / p.sum(axis=1, keepdims=True)


@FD_SETTINGS
@given(
    seed=seeds,
    n=sizes,
    c=st.integers(2, 4),
    from_logits=st.booleans(),
    use_cw=st.booleans(),
    smoothing=st.sampled_from([0.0, 0.1, 0.3]),
    sw_kind=SW_KINDS,
    soft=st.booleans(),
    axis=st.sampled_from([-1, 0]),
    reduction=REDUCTIONS,
)
def test_categorical_ce_matches_finite_differences(
    seed: int,
    n: int,
    c: int,
    from_logits: bool,
    use_cw: bool,
    smoothing: float,
    sw_kind: str,
    soft: bool,
    axis: int,
    reduction: str,
) -> None:
    rng = rng_from(seed)
    labels, x = _class_inputs(rng, n, c, from_logits)
    if soft:
        y = rng.uniform(0.0, 1.0, (n, c))
        y /= y.sum(axis=1, keepdims=True)
    else:
        y = np.eye(c)[labels]
    if axis == 0:  # classes first: PyTorch's (N, C) transposed, (C, N)
        x, y = x.T.copy(), y.T.copy()
    kw = dict(
        from_logits=from_logits,
        class_weight=rng.uniform(0.2, 3.0, c) if use_cw else None,
        label_smoothing=smoothing,
        sample_weight=sample_weight_for(rng, sw_kind, (n,)),
        axis=axis,
        reduction=reduction,
    )
    grad = gradients.categorical_cross_entropy(y, x, **kw)
    assert grad.shape == x.shape
    fd_check(lambda t: losses.categorical_cross_entropy(y, t, **kw), x, grad)


@FD_SETTINGS
@given(
    seed=seeds,
    n=st.integers(2, 4),
    c=st.integers(2, 4),
    from_logits=st.booleans(),
    use_cw=st.booleans(),
    ignore=st.sampled_from([None, -100, 1]),
    smoothing=st.sampled_from([0.0, 0.1, 0.3]),
    sw_kind=SW_KINDS,
    axis=st.sampled_from([-1, 0]),
    reduction=REDUCTIONS,
)
def test_sparse_ce_matches_finite_differences(
    seed: int,
    n: int,
    c: int,
    from_logits: bool,
    use_cw: bool,
    ignore: int | None,
    smoothing: float,
    sw_kind: str,
    axis: int,
    reduction: str,
) -> None:
    rng = rng_from(seed)
    labels, x = _class_inputs(rng, n, c, from_logits)
    if ignore == -100:
        labels[0] = -100  # a padding entry
    if ignore is not None:
        # the mean is undefined if every entry is ignored
        assume(bool(np.any(labels != ignore)))
    if axis == 0:
        x = x.T.copy()
    kw = dict(
        from_logits=from_logits,
        class_weight=rng.uniform(0.2, 3.0, c) if use_cw else None,
        ignore_index=ignore,
        label_smoothing=smoothing,
        sample_weight=sample_weight_for(rng, sw_kind, (n,)),
        axis=axis,
        reduction=reduction,
    )
    grad = gradients.sparse_categorical_cross_entropy(labels, x, **kw)
    assert grad.shape == x.shape
    fd_check(lambda t: losses.sparse_categorical_cross_entropy(labels, t, **kw), x, grad)
    if ignore is not None:
        ignored = np.moveaxis(grad, axis, -1)[labels == ignore]
        np.testing.assert_array_equal(ignored, 0.0)


# ------------------------------------------------------- finite differences, regression


@FD_SETTINGS
@given(seed=seeds, n=sizes, sw_kind=SW_KINDS, reduction=REDUCTIONS)
def test_mse_and_mae_match_finite_differences(
    seed: int, n: int, sw_kind: str, reduction: str
) -> None:
    rng = rng_from(seed)
    y, x = rng.normal(size=(n, 2)), rng.normal(size=(n, 2))
    assume(bool(np.all(np.abs(x - y) > 1e-3)))  # away from the kink of |·|
    kw = dict(sample_weight=sample_weight_for(rng, sw_kind, (n, 2)), reduction=reduction)
    fd_check(
        lambda t: losses.mean_squared_error(y, t, **kw),
        x,
        gradients.mean_squared_error(y, x, **kw),
    )
    fd_check(
        lambda t: losses.mean_absolute_error(y, t, **kw),
        x,
        gradients.mean_absolute_error(y, x, **kw),
    )


@FD_SETTINGS
@given(
    seed=seeds,
    n=sizes,
    log_input=st.booleans(),
    full=st.booleans(),
    sw_kind=SW_KINDS,
    reduction=REDUCTIONS,
)
def test_poisson_matches_finite_differences(
    seed: int, n: int, log_input: bool, full: bool, sw_kind: str, reduction: str
) -> None:
    rng = rng_from(seed)
    y = rng.poisson(3.0, n).astype(float)
    x = rng.normal(0, 1.5, n) if log_input else rng.uniform(0.1, 6.0, n)
    kw = dict(
        log_input=log_input,
        full=full,
        sample_weight=sample_weight_for(rng, sw_kind, (n,)),
        reduction=reduction,
    )
    fd_check(lambda t: losses.poisson_nll(y, t, **kw), x, gradients.poisson_nll(y, x, **kw))


def _spread_value(rng: np.random.Generator, name: str, n: int, scalar: bool) -> Any:
    value = rng.normal(0, 1, n) if name == "log_variance" else rng.uniform(0.3, 2.5, n)
    return float(value[0]) if scalar else value


@FD_SETTINGS
@given(
    seed=seeds,
    n=sizes,
    spread=st.sampled_from([None, "variance", "std", "log_variance"]),
    scalar=st.booleans(),
    full=st.booleans(),
    sw_kind=SW_KINDS,
    reduction=REDUCTIONS,
)
def test_gaussian_nll_matches_finite_differences(
    seed: int,
    n: int,
    spread: str | None,
    scalar: bool,
    full: bool,
    sw_kind: str,
    reduction: str,
) -> None:
    rng = rng_from(seed)
    y, mu = rng.normal(size=n), rng.normal(size=n)
    value = None if spread is None else _spread_value(rng, spread, n, scalar)
    params = {} if spread is None else {spread: value}
    kw = dict(full=full, sample_weight=sample_weight_for(rng, sw_kind, (n,)), reduction=reduction)
    d_mean, d_spread = gradients.gaussian_nll(y, mu, **params, **kw)
    assert d_mean.shape == mu.shape
    fd_check(lambda t: losses.gaussian_nll(y, t, **params, **kw), mu, d_mean)
    if spread is None:
        assert d_spread is None
        return
    at = np.asarray(value, dtype=float)
    # "none" gives per-element derivatives; a scalar spread's total is their sum
    expected_shape = mu.shape if reduction == "none" else at.shape
    assert d_spread.shape == expected_shape
    total = d_spread.sum() if (reduction == "none" and scalar) else d_spread
    fd_check(lambda t: losses.gaussian_nll(y, mu, **{spread: t}, **kw), at, total)


@FD_SETTINGS
@given(
    seed=seeds,
    n=sizes,
    scalar=st.booleans(),
    full=st.booleans(),
    sw_kind=SW_KINDS,
    reduction=REDUCTIONS,
)
def test_laplace_nll_matches_finite_differences(
    seed: int, n: int, scalar: bool, full: bool, sw_kind: str, reduction: str
) -> None:
    rng = rng_from(seed)
    y, loc = rng.normal(size=n), rng.normal(size=n)
    assume(bool(np.all(np.abs(loc - y) > 1e-3)))
    scale = float(rng.uniform(0.3, 2.5)) if scalar else rng.uniform(0.3, 2.5, n)
    kw = dict(full=full, sample_weight=sample_weight_for(rng, sw_kind, (n,)), reduction=reduction)
    d_loc, d_scale = gradients.laplace_nll(y, loc, scale=scale, **kw)
    fd_check(lambda t: losses.laplace_nll(y, t, scale=scale, **kw), loc, d_loc)
    at = np.asarray(scale, dtype=float)
    total = d_scale.sum() if (reduction == "none" and scalar) else d_scale
    fd_check(lambda t: losses.laplace_nll(y, loc, scale=t, **kw), at, total)


# -------------------------------------------------------------- the textbook identities


def test_bce_from_logits_is_sigmoid_minus_label() -> None:
    # ∂BCE/∂z = σ(z) − y (Chapter 4), per element with reduction="sum"
    y = np.array([1.0, 0.0, 1.0, 0.0])
    z = np.array([-2.0, -0.5, 0.0, 3.0])
    expected = 1 / (1 + np.exp(-z)) - y
    np.testing.assert_allclose(
        gradients.binary_cross_entropy(y, z, from_logits=True, reduction="sum"),
        expected,
        rtol=1e-15,
    )
    # the mean divides by the number of elements
    np.testing.assert_allclose(
        gradients.binary_cross_entropy(y, z, from_logits=True), expected / 4, rtol=1e-15
    )


def test_bce_from_probabilities_formula() -> None:
    # ∂BCE/∂p = −y/p + (1 − y)/(1 − p) (Chapter 4)
    y = np.array([1.0, 0.0, 0.3])
    p = np.array([0.2, 0.6, 0.5])
    expected = -y / p + (1 - y) / (1 - p)  # = [-5, 2.5, 0.8]
    np.testing.assert_allclose(
        gradients.binary_cross_entropy(y, p, reduction="none"), expected, rtol=1e-15
    )
    np.testing.assert_allclose(expected, [-5.0, 2.5, 0.8], rtol=1e-15)


def test_bce_chain_rule_links_the_two_parameterisations() -> None:
    # ∂ℓ/∂z = ∂ℓ/∂p · p(1 − p)
    y, z = np.array([1.0, 0.0]), np.array([0.7, -1.3])
    p = 1 / (1 + np.exp(-z))
    d_p = gradients.binary_cross_entropy(y, p, reduction="none")
    d_z = gradients.binary_cross_entropy(y, z, from_logits=True, reduction="none")
    np.testing.assert_allclose(d_z, d_p * p * (1 - p), rtol=1e-12)


def test_ce_worked_example_p_minus_y() -> None:
    # p = [0.23, 0.63, 0.14], y = [0, 1, 0]: ∂CE/∂f = p − y = [0.23, −0.37, 0.14] (Chapter 5)
    logits = np.log([0.23, 0.63, 0.14]) + 5.0  # shifting the logits does not change softmax
    np.testing.assert_allclose(
        gradients.categorical_cross_entropy([0, 1, 0], logits, from_logits=True),
        [0.23, -0.37, 0.14],
        rtol=1e-13,
    )
    np.testing.assert_allclose(
        gradients.sparse_categorical_cross_entropy([1], logits[None], from_logits=True),
        [[0.23, -0.37, 0.14]],
        rtol=1e-13,
    )


def test_ce_from_logits_rows_sum_to_zero() -> None:
    # Σ_k (A p_k − a_k) = A − A = 0: the softmax is invariant to adding a constant to f
    rng = rng_from(0)
    z = rng.normal(size=(5, 4))
    g = gradients.sparse_categorical_cross_entropy(
        rng.integers(0, 4, 5),
        z,
        from_logits=True,
        class_weight=[1.0, 2.0, 0.5, 3.0],
        label_smoothing=0.2,
        reduction="none",
    )
    np.testing.assert_allclose(g.sum(axis=1), 0.0, atol=1e-15)


def test_sparse_and_one_hot_gradients_agree_for_every_option() -> None:
    rng = rng_from(1)
    labels, z = rng.integers(0, 3, 6), rng.normal(size=(6, 3))
    kw = dict(
        from_logits=True,
        class_weight=[0.5, 1.0, 2.0],
        label_smoothing=0.1,
        sample_weight=rng.uniform(0.5, 1.5, 6),
    )
    for reduction in ("mean", "sum", "none"):
        np.testing.assert_allclose(
            gradients.sparse_categorical_cross_entropy(labels, z, reduction=reduction, **kw),
            gradients.categorical_cross_entropy(np.eye(3)[labels], z, reduction=reduction, **kw),
            rtol=1e-13,
        )


def test_mean_is_sum_over_the_loss_denominator() -> None:
    rng = rng_from(2)
    labels, z = rng.integers(0, 3, 5), rng.normal(size=(5, 3))
    cw, sw = np.array([1.0, 2.0, 3.0]), rng.uniform(0.5, 2.0, 5)
    g_sum = gradients.sparse_categorical_cross_entropy(
        labels, z, from_logits=True, class_weight=cw, sample_weight=sw, reduction="sum"
    )
    g_mean = gradients.sparse_categorical_cross_entropy(
        labels, z, from_logits=True, class_weight=cw, sample_weight=sw
    )
    # PyTorch's weighted mean: Σ s_i w_{k_i}
    np.testing.assert_allclose(g_mean, g_sum / np.sum(sw * cw[labels]), rtol=1e-14)


def test_regression_identities() -> None:
    y, x = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 0.0])
    # 2(ŷ − y); sign(ŷ − y) with 0 at ŷ = y
    np.testing.assert_array_equal(
        gradients.mean_squared_error(y, x, reduction="sum"), [2.0, 0.0, -6.0]
    )
    np.testing.assert_array_equal(
        gradients.mean_absolute_error(y, x, reduction="sum"), [1.0, 0.0, -1.0]
    )
    # Poisson with log input: e^η − y
    np.testing.assert_allclose(
        gradients.poisson_nll([1.0, 4.0], np.log([2.0, 4.0]), reduction="sum"),
        [1.0, 0.0],
        atol=1e-15,
    )
    # Gaussian: (μ − y)/σ² and ½(1/σ² − r²/σ⁴), zero at σ² = r²
    d_mean, d_var = gradients.gaussian_nll([3.0], [1.0], variance=[4.0], reduction="sum")
    np.testing.assert_allclose(d_mean, [-0.5])
    np.testing.assert_allclose(d_var, [0.0], atol=1e-15)
    # log-variance: ½(1 − r²/σ²)
    _, d_logvar = gradients.gaussian_nll([2.0], [0.0], log_variance=[0.0], reduction="sum")
    np.testing.assert_allclose(d_logvar, [0.5 * (1 - 4.0)])
    # no spread given: unit variance, gradient μ − y (half the MSE's)
    d_mean, d_none = gradients.gaussian_nll(y, x, reduction="sum")
    assert d_none is None
    np.testing.assert_array_equal(d_mean, 0.5 * gradients.mean_squared_error(y, x, reduction="sum"))


# ---------------------------------------------------------------- edge cases, kinks


def test_extreme_logits_give_finite_limits_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = gradients.binary_cross_entropy(
            [1.0, 0.0, 1.0, 0.0], [1e4, 1e4, -1e4, -1e4], from_logits=True, reduction="sum"
        )
        np.testing.assert_array_equal(g, [0.0, 1.0, -1.0, 0.0])  # σ(±1e4) − y
        g = gradients.categorical_cross_entropy(
            [[0.0, 0.0, 1.0]], [[1e4, 0.0, -1e4]], from_logits=True
        )
        np.testing.assert_array_equal(g, [[1.0, 0.0, -1.0]])
        g = gradients.binary_cross_entropy(
            [1.0], [-1e9], from_logits=True, pos_weight=3.0, reduction="sum"
        )
        np.testing.assert_array_equal(g, [-3.0])


def test_clipped_probabilities_get_zero_gradient() -> None:
    # a positive label predicted with p = 0 exactly: the loss is capped at -log(eps), flat
    g = gradients.binary_cross_entropy([1.0, 1.0], [0.0, 0.5], reduction="none")
    np.testing.assert_array_equal(g, [0.0, -2.0])
    g = gradients.categorical_cross_entropy([[0.0, 1.0]], [[1.0, 0.0]], reduction="none")
    np.testing.assert_array_equal(g, [[0.0, 0.0]])


def test_mae_and_laplace_subgradient_at_zero_is_zero() -> None:
    np.testing.assert_array_equal(gradients.mean_absolute_error([1.0], [1.0]), [0.0])
    d_loc, d_scale = gradients.laplace_nll([1.0], [1.0], scale=[2.0], reduction="sum")
    np.testing.assert_array_equal(d_loc, [0.0])
    np.testing.assert_array_equal(d_scale, [0.5])  # 1/b − 0


def test_gaussian_variance_below_eps_is_clamped() -> None:
    # below eps the loss uses eps: no gradient to the spread; the mean sees variance eps
    d_mean, d_var = gradients.gaussian_nll([1.0], [0.0], variance=[0.0], eps=1e-3, reduction="sum")
    np.testing.assert_array_equal(d_var, [0.0])
    np.testing.assert_allclose(d_mean, [-1.0 / 1e-3])
    _, d_std = gradients.gaussian_nll([1.0], [0.0], std=[1e-3], eps=1e-3, reduction="sum")
    np.testing.assert_array_equal(d_std, [0.0])  # std² = 1e-6 < eps
    _, d_lv = gradients.gaussian_nll([1.0], [0.0], log_variance=[-50.0], reduction="sum")
    np.testing.assert_array_equal(d_lv, [0.0])


def test_poisson_rate_zero_and_overflow() -> None:
    # rate below eps: the log term is constant, derivative 1
    g = gradients.poisson_nll([2.0], [0.0], log_input=False, reduction="sum")
    np.testing.assert_array_equal(g, [1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = gradients.poisson_nll([1.0], [1000.0], reduction="sum")
    assert g[0] == np.inf


def test_float32_in_float32_out() -> None:
    z32 = np.array([[0.5, -1.0], [2.0, 0.0]], dtype=np.float32)
    y = np.array([[1, 0], [0, 1]])
    assert gradients.binary_cross_entropy(y, z32, from_logits=True).dtype == np.float32
    assert gradients.binary_cross_entropy(y, np.full((2, 2), 0.5, np.float32)).dtype == np.float32
    assert gradients.categorical_cross_entropy(y, z32, from_logits=True).dtype == np.float32
    assert (
        gradients.sparse_categorical_cross_entropy([0, 1], z32, from_logits=True).dtype
        == np.float32
    )
    assert gradients.mean_squared_error(z32, z32).dtype == np.float32
    assert gradients.mean_absolute_error(z32, z32).dtype == np.float32
    assert gradients.poisson_nll(y, z32).dtype == np.float32
    assert all(g.dtype == np.float32 for g in gradients.gaussian_nll(z32, z32, std=1.5))
    assert all(g.dtype == np.float32 for g in gradients.laplace_nll(z32, z32, scale=2.0))


def test_bad_input_raises_the_losses_errors() -> None:
    with pytest.raises(ValueError, match=r"y_pred must be probabilities in \[0, 1\]"):
        gradients.binary_cross_entropy([1.0], [1.5])
    with pytest.raises(ValueError, match="y_true and y_pred must have the same shape"):
        gradients.mean_squared_error(np.zeros((3, 1)), np.zeros(3))
    with pytest.raises(ValueError, match="reduction"):
        gradients.mean_absolute_error([1.0], [1.0], reduction="avg")
    with pytest.raises(ValueError, match="at most one of variance, std, log_variance"):
        gradients.gaussian_nll([1.0], [1.0], variance=1.0, std=1.0)
    with pytest.raises(ValueError, match="y_true"):
        gradients.sparse_categorical_cross_entropy([3], [[0.0, 0.0]], from_logits=True)
    with pytest.raises(ValueError, match="scale"):
        gradients.laplace_nll([1.0], [1.0], scale=0.0)
    with pytest.raises(ValueError, match="y_true"):
        gradients.poisson_nll([-1.0], [0.0])


# ------------------------------- finite differences: heavy tails, counts, positive, robust


def _param(rng: np.random.Generator, low: float, high: float, n: int, scalar: bool) -> Any:
    value = np.exp(rng.uniform(np.log(low), np.log(high), n))  # log-uniform: tiny to large
    return float(value[0]) if scalar else value


def _param_check(loss: Callable[[Any], Any], value: Any, grad: np.ndarray, reduction: str) -> None:
    """The derivative w.r.t. a parameter: "none" gives per-element terms, a scalar sums them."""
    at = np.asarray(value, dtype=float)
    scalar = at.ndim == 0
    if scalar:
        expected_shape = () if reduction != "none" else grad.shape
        assert grad.shape == expected_shape
    total = grad.sum() if (reduction == "none" and scalar) else grad
    fd_check(loss, at, total)


@FD_SETTINGS
@given(seed=seeds, n=sizes, scalar=st.booleans(), sw_kind=SW_KINDS, reduction=REDUCTIONS)
def test_student_t_nll_matches_finite_differences(
    seed: int, n: int, scalar: bool, sw_kind: str, reduction: str
) -> None:
    rng = rng_from(seed)
    y, loc = rng.normal(0, 3, n), rng.normal(size=n)
    df, scale = _param(rng, 0.2, 200, n, scalar), _param(rng, 0.3, 3, n, scalar)
    kw = dict(sample_weight=sample_weight_for(rng, sw_kind, (n,)), reduction=reduction)
    d_loc, d_df, d_scale = gradients.student_t_nll(y, loc, df=df, scale=scale, **kw)
    fd_check(lambda t: losses.student_t_nll(y, t, df=df, scale=scale, **kw), loc, d_loc)
    _param_check(lambda t: losses.student_t_nll(y, loc, df=t, scale=scale, **kw), df, d_df,
                 reduction)  # fmt: skip
    _param_check(lambda t: losses.student_t_nll(y, loc, df=df, scale=t, **kw), scale, d_scale,
                 reduction)  # fmt: skip


@FD_SETTINGS
@given(seed=seeds, n=sizes, scalar=st.booleans(), sw_kind=SW_KINDS, reduction=REDUCTIONS)
def test_negative_binomial_nll_matches_finite_differences(
    seed: int, n: int, scalar: bool, sw_kind: str, reduction: str
) -> None:
    rng = rng_from(seed)
    mean = rng.uniform(0.2, 20, n)
    r = _param(rng, 0.1, 100, n, scalar)
    y = rng.negative_binomial(r, r / (r + mean)).astype(float)
    kw = dict(sample_weight=sample_weight_for(rng, sw_kind, (n,)), reduction=reduction)
    d_mean, d_r = gradients.negative_binomial_nll(y, mean, total_count=r, **kw)
    fd_check(lambda t: losses.negative_binomial_nll(y, t, total_count=r, **kw), mean, d_mean)
    _param_check(lambda t: losses.negative_binomial_nll(y, mean, total_count=t, **kw), r, d_r,
                 reduction)  # fmt: skip


@FD_SETTINGS
@given(seed=seeds, n=sizes, scalar=st.booleans(), sw_kind=SW_KINDS, reduction=REDUCTIONS)
def test_gamma_nll_matches_finite_differences(
    seed: int, n: int, scalar: bool, sw_kind: str, reduction: str
) -> None:
    rng = rng_from(seed)
    mean = rng.uniform(0.2, 5, n)
    a = _param(rng, 0.2, 100, n, scalar)
    y = rng.gamma(a, mean / a) + 1e-3
    kw = dict(sample_weight=sample_weight_for(rng, sw_kind, (n,)), reduction=reduction)
    d_mean, d_a = gradients.gamma_nll(y, mean, concentration=a, **kw)
    fd_check(lambda t: losses.gamma_nll(y, t, concentration=a, **kw), mean, d_mean)
    _param_check(lambda t: losses.gamma_nll(y, mean, concentration=t, **kw), a, d_a, reduction)


@FD_SETTINGS
@given(seed=seeds, n=sizes, scalar=st.booleans(), sw_kind=SW_KINDS, reduction=REDUCTIONS)
def test_lognormal_nll_matches_finite_differences(
    seed: int, n: int, scalar: bool, sw_kind: str, reduction: str
) -> None:
    rng = rng_from(seed)
    y, loc = np.exp(rng.normal(size=n)), rng.normal(size=n)
    scale = _param(rng, 0.3, 3, n, scalar)
    kw = dict(sample_weight=sample_weight_for(rng, sw_kind, (n,)), reduction=reduction)
    d_loc, d_scale = gradients.lognormal_nll(y, loc, scale=scale, **kw)
    fd_check(lambda t: losses.lognormal_nll(y, t, scale=scale, **kw), loc, d_loc)
    _param_check(lambda t: losses.lognormal_nll(y, loc, scale=t, **kw), scale, d_scale, reduction)


@FD_SETTINGS
@given(
    seed=seeds,
    n=sizes,
    delta=st.sampled_from([0.1, 1.0, 3.0]),
    quantile=st.sampled_from([0.05, 0.5, 0.9]),
    sw_kind=SW_KINDS,
    reduction=REDUCTIONS,
)
def test_huber_and_pinball_match_finite_differences(
    seed: int, n: int, delta: float, quantile: float, sw_kind: str, reduction: str
) -> None:
    rng = rng_from(seed)
    y, x = rng.normal(0, 3, n), rng.normal(0, 3, n)
    assume(bool(np.all(np.abs(x - y) > 1e-3)))  # away from the pinball's kink
    kw = dict(sample_weight=sample_weight_for(rng, sw_kind, (n,)), reduction=reduction)
    grad = gradients.huber_loss(y, x, delta=delta, **kw)
    fd_check(lambda t: losses.huber_loss(y, t, delta=delta, **kw), x, grad)
    grad = gradients.pinball_loss(y, x, quantile=quantile, **kw)
    fd_check(lambda t: losses.pinball_loss(y, t, quantile=quantile, **kw), x, grad)


@FD_SETTINGS
@given(
    seed=seeds,
    n=sizes,
    from_logits=st.booleans(),
    soft=st.booleans(),
    gamma=st.sampled_from([0.0, 0.5, 1.0, 2.0, 5.0]),
    alpha=st.sampled_from([None, 0.25, 0.9]),
    sw_kind=SW_KINDS,
    reduction=REDUCTIONS,
)
def test_binary_focal_loss_matches_finite_differences(
    seed: int, n: int, from_logits: bool, soft: bool, gamma: float, alpha: float | None,
    sw_kind: str, reduction: str,
) -> None:  # fmt: skip
    rng = rng_from(seed)
    y = rng.uniform(size=n) if soft else rng.integers(0, 2, n).astype(float)
    x = rng.normal(0, 3, n) if from_logits else rng.uniform(0.02, 0.98, n)
    kw = dict(gamma=gamma, alpha=alpha, from_logits=from_logits,
              sample_weight=sample_weight_for(rng, sw_kind, (n,)), reduction=reduction)  # fmt: skip
    fd_check(
        lambda t: losses.binary_focal_loss(y, t, **kw), x, gradients.binary_focal_loss(y, x, **kw)
    )


def test_likelihood_textbook_identities() -> None:
    y, x = np.array([0.0, 1.0, 3.0, -4.0]), np.array([0.5, 0.0, 1.0, 1.0])
    # Huber: the residual ŷ − y inside |r| <= δ, ±δ beyond
    np.testing.assert_array_equal(
        gradients.huber_loss(y, x, delta=1.5, reduction="sum"), [0.5, -1.0, -1.5, 1.5]
    )
    # pinball, τ = 0.9: −τ below the target, 1 − τ above, 0 on it
    np.testing.assert_allclose(
        gradients.pinball_loss([1.0, 1.0, 1.0], [0.0, 2.0, 1.0], quantile=0.9, reduction="sum"),
        [-0.9, 0.1, 0.0],
        rtol=1e-15,
    )
    # the focal loss with γ = 0 has the cross-entropy's gradient, σ(z) − y
    z = np.array([-3.0, 0.0, 2.0])
    yb = np.array([1.0, 0.3, 0.0])
    np.testing.assert_allclose(
        gradients.binary_focal_loss(yb, z, gamma=0.0, from_logits=True, reduction="sum"),
        gradients.binary_cross_entropy(yb, z, from_logits=True, reduction="sum"),
        rtol=1e-14,
    )
    # the Student-t's pull on μ is bounded: it peaks at |z| = √ν and falls back to 0
    d_loc = gradients.student_t_nll([0.0] * 3, [1.0, 3.0, 1e6], df=9.0, reduction="none")[0]
    assert abs(d_loc[1]) == pytest.approx(10 / 6, rel=1e-14)  # (ν + 1) / (2√ν) at z = 3
    assert abs(d_loc[0]) < abs(d_loc[1]) and abs(d_loc[2]) < 1e-5
    # the NB and Gamma mean-gradients vanish at μ = y; NB tends to the Poisson's 1 − y/μ
    d_mean, _ = gradients.negative_binomial_nll([3, 5], [3.0, 2.0], total_count=1e12,
                                                reduction="none")  # fmt: skip
    np.testing.assert_allclose(d_mean, [0.0, 1 - 5 / 2.0], rtol=1e-10, atol=1e-15)
    d_mean, _ = gradients.gamma_nll([2.0], [2.0], concentration=3.0)
    assert d_mean[0] == 0.0


def test_extreme_logits_and_float32_of_the_focal_and_count_losses() -> None:
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.3])
    z = np.array([1e4, -1e4, -1e4, 1e4, 1e4])
    for dtype in (np.float64, np.float32):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            g = gradients.binary_focal_loss(y, z.astype(dtype), from_logits=True,
                                            reduction="none")  # fmt: skip
        assert g.dtype == dtype
        # right and sure: 0; wrong and sure: (1 − p_t)^γ = 1 times σ(z) − y = ∓1; soft y = 0.3
        # at z = 1e4: p = 1, (1 − p_t)^2 (p − y) = 0.7² · 0.7
        np.testing.assert_allclose(g, [0.0, 0.0, -1.0, 1.0, 0.343], rtol=1e-6)
    z32 = np.array([0.5, 1.5], dtype=np.float32)
    pos32 = np.array([1.0, 2.0], dtype=np.float32)
    counts = np.array([1, 3])
    assert all(g.dtype == np.float32 for g in gradients.student_t_nll(z32, z32, df=3.0))
    assert all(g.dtype == np.float32 for g in gradients.negative_binomial_nll(
        counts, pos32, total_count=2.0))  # fmt: skip
    assert all(g.dtype == np.float32 for g in gradients.gamma_nll(pos32, pos32, concentration=2.0))
    assert all(g.dtype == np.float32 for g in gradients.lognormal_nll(pos32, z32, scale=0.5))
    assert gradients.huber_loss(z32, z32 * 2).dtype == np.float32
    assert gradients.pinball_loss(z32, z32 * 2, quantile=0.3).dtype == np.float32
    assert gradients.binary_focal_loss([1, 0], np.float32([0.3, 0.6])).dtype == np.float32


def test_parameter_gradients_raise_the_losses_errors() -> None:
    with pytest.raises(ValueError, match=r"y_true must be > 0 \(the support of the gamma"):
        gradients.gamma_nll([0.0], [1.0], concentration=1.0)
    with pytest.raises(ValueError, match=r"y_true must contain whole numbers"):
        gradients.negative_binomial_nll([1.5], [1.0], total_count=1.0)
    with pytest.raises(ValueError, match=r"df must be > 0"):
        gradients.student_t_nll([1.0], [1.0], df=0.0)
    with pytest.raises(ValueError, match=r"quantile must be in the open interval \(0, 1\)"):
        gradients.pinball_loss([1.0], [1.0], quantile=1.0)


# ------------------------------------------------------------------------ check_gradient


def test_check_gradient_reports_errors_and_leaves_x_alone() -> None:
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    good = gradients.check_gradient(lambda t: np.sum(np.sin(t)), x, np.cos(x))
    assert good.ok and good.max_abs_error < 1e-9 and good.max_rel_error < 1e-8
    assert good.numeric.shape == x.shape and good.analytic.shape == x.shape
    np.testing.assert_array_equal(x, before)
    assert str(good).startswith("gradient check ok")
    bad = gradients.check_gradient(lambda t: np.sum(np.sin(t)), x, np.cos(x) + 1e-3)
    assert not bad.ok and bad.max_abs_error == pytest.approx(1e-3, rel=1e-4)
    assert "MISMATCH" in str(bad)


def test_check_gradient_relative_error_ignores_entries_that_are_both_zero() -> None:
    # f depends on x[0] only: the second entry of both gradients is 0
    result = gradients.check_gradient(lambda t: t[0] ** 2, np.array([3.0, 5.0]), [6.0, 0.0])
    assert result.ok and result.max_rel_error < 1e-9


def test_check_gradient_accepts_scalar_x_and_float32_f() -> None:
    result = gradients.check_gradient(lambda t: t**2, 2.0, 4.0)
    assert result.ok
    result = gradients.check_gradient(lambda t: np.float32(t**2), 2.0, 4.0, eps=1e-2, rtol=1e-2)
    assert result.ok


@pytest.mark.parametrize(
    ("call", "exc", "words"),
    [
        (lambda: gradients.check_gradient("f", [1.0], [1.0]), TypeError, ["f", "callable"]),
        (
            lambda: gradients.check_gradient(np.sum, [1.0, 2.0], [1.0]),
            ValueError,
            ["analytic_grad", "x"],
        ),
        (
            lambda: gradients.check_gradient(lambda t: t, [1.0, 2.0], [1.0, 1.0]),
            ValueError,
            ["f must return a scalar", "(2,)"],
        ),
        (
            lambda: gradients.check_gradient(lambda t: np.nan, [1.0], [1.0]),
            ValueError,
            ["f", "finite"],
        ),
        (lambda: gradients.check_gradient(np.sum, [], []), ValueError, ["x", "empty"]),
        (lambda: gradients.check_gradient(np.sum, [np.inf], [1.0]), ValueError, ["x", "finite"]),
        (
            lambda: gradients.check_gradient(np.sum, [1.0], [1.0], eps=0.0),
            ValueError,
            ["eps", "> 0"],
        ),
        (
            lambda: gradients.check_gradient(np.sum, [1.0], [1.0], rtol=-1.0),
            ValueError,
            ["rtol", ">= 0"],
        ),
    ],
)
def test_check_gradient_bad_input(call: Callable[[], Any], exc: type, words: list[str]) -> None:
    with pytest.raises(exc) as info:
        call()
    for word in words:
        assert word in str(info.value), (word, str(info.value))
