"""The TFP twin equals the NumPy reference, its gradients and the Keras built-ins.

Expected values come from :mod:`mlecourse.losses` (the reference), :mod:`mlecourse.gradients`
(the analytic gradients) and ``keras.losses`` 3.x; tolerances are float32's unless a test
says otherwise.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from scipy.special import expit

from mlecourse import gradients as G
from mlecourse import losses as R

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
T = pytest.importorskip("mlecourse.tfp.losses")

pytestmark = pytest.mark.tf

REDUCTIONS = ("mean", "sum", "none")
RTOL32, ATOL32 = 2e-5, 2e-6


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def softmax(f: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(f - f.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return expit(z)


# --------------------------------------------------------------------------- the option matrix
# Each case: (name, y_true, prediction, kwargs, dtype-cast keys). Arrays are float64 here and
# cast to the dtype under test (targets of the sparse loss stay integers).


def _bce_cases():
    r = rng(1)
    z = r.normal(scale=2.0, size=(5, 3))
    y = (r.random((5, 3)) < 0.5).astype(float)
    sw = r.random((5, 3)) + 0.1
    for from_logits, pw, ls, use_sw, red in itertools.product(
        (True, False), (None, 2.5, np.array([0.5, 1.0, 3.0])), (0.0, 0.1), (False, True), REDUCTIONS
    ):
        kw = dict(from_logits=from_logits, label_smoothing=ls, reduction=red)
        if pw is not None:
            kw["pos_weight"] = pw
        if use_sw:
            kw["sample_weight"] = sw
        yield "binary_cross_entropy", y, (z if from_logits else sigmoid(z)), kw


def _cce_cases():
    r = rng(2)
    f = r.normal(scale=2.0, size=(6, 4))
    y = np.eye(4)[r.integers(0, 4, 6)]
    cw = np.array([1.0, 2.0, 0.5, 3.0])
    sw = r.random(6) + 0.1
    for from_logits, use_cw, ls, use_sw, red in itertools.product(
        (True, False), (False, True), (0.0, 0.2), (False, True), REDUCTIONS
    ):
        kw = dict(from_logits=from_logits, label_smoothing=ls, reduction=red)
        if use_cw:
            kw["class_weight"] = cw
        if use_sw:
            kw["sample_weight"] = sw
        yield "categorical_cross_entropy", y, (f if from_logits else softmax(f)), kw


def _sparse_cases():
    r = rng(3)
    f = r.normal(scale=2.0, size=(8, 4))
    labels = r.integers(0, 4, 8)
    padded = labels.copy()
    padded[[1, 5]] = -100
    cw = np.array([1.0, 2.0, 0.5, 3.0])
    sw = r.random(8) + 0.1
    for from_logits, use_cw, ignore, ls, use_sw, red in itertools.product(
        (True, False), (False, True), (None, -100), (0.0, 0.2), (False, True), REDUCTIONS
    ):
        kw = dict(from_logits=from_logits, label_smoothing=ls, reduction=red)
        if use_cw:
            kw["class_weight"] = cw
        if ignore is not None:
            kw["ignore_index"] = ignore
        if use_sw:
            kw["sample_weight"] = sw
        y = padded if ignore is not None else labels
        yield "sparse_categorical_cross_entropy", y, (f if from_logits else softmax(f)), kw


def _regression_cases():
    r = rng(4)
    y = r.normal(size=(4, 3))
    pred = y + r.normal(scale=0.7, size=(4, 3))
    sw = r.random((4, 3)) + 0.1
    for name, use_sw, red in itertools.product(
        ("mean_squared_error", "mean_absolute_error"), (False, True), REDUCTIONS
    ):
        kw = dict(reduction=red)
        if use_sw:
            kw["sample_weight"] = sw
        yield name, y, pred, kw


def _gaussian_cases():
    r = rng(5)
    y = r.normal(size=(4, 3))
    mu = y + r.normal(scale=0.7, size=(4, 3))
    var = r.random((4, 3)) + 0.2
    var[0, 0] = 1e-8  # below eps: clamped
    sw = r.random((4, 3)) + 0.1
    params = {
        "none": {},
        "variance": {"variance": var},
        "std": {"std": np.sqrt(var)},
        "log_variance": {"log_variance": np.log(var)},
        "scalar variance": {"variance": 0.5},
    }
    for (_, param), full, use_sw, red in itertools.product(
        params.items(), (True, False), (False, True), REDUCTIONS
    ):
        kw = dict(param, full=full, reduction=red)
        if use_sw:
            kw["sample_weight"] = sw
        yield "gaussian_nll", y, mu, kw


def _poisson_cases():
    r = rng(6)
    counts = r.poisson(3.0, size=(4, 3)).astype(float)
    counts[0, 0] = 0.0
    counts[1, 1] = 40.0
    eta = r.normal(scale=1.0, size=(4, 3)) + 1.0
    sw = r.random((4, 3)) + 0.1
    for log_input, full, use_sw, red in itertools.product(
        (True, False), (True, False), (False, True), REDUCTIONS
    ):
        kw = dict(log_input=log_input, full=full, reduction=red)
        if use_sw:
            kw["sample_weight"] = sw
        yield "poisson_nll", counts, (eta if log_input else np.exp(eta)), kw


def _laplace_cases():
    r = rng(7)
    y = r.normal(size=(4, 3))
    loc = y + r.laplace(scale=0.5, size=(4, 3))
    b = r.random((4, 3)) + 0.3
    sw = r.random((4, 3)) + 0.1
    for scale, full, use_sw, red in itertools.product(
        (1.0, 0.7, b), (True, False), (False, True), REDUCTIONS
    ):
        kw = dict(scale=scale, full=full, reduction=red)
        if use_sw:
            kw["sample_weight"] = sw
        yield "laplace_nll", y, loc, kw


def all_cases():
    for gen in (
        _bce_cases,
        _cce_cases,
        _sparse_cases,
        _regression_cases,
        _gaussian_cases,
        _poisson_cases,
        _laplace_cases,
    ):
        yield from gen()


def case_id(case) -> str:
    name, _, _, kw = case
    shown = ",".join(
        f"{k}={'arr' if isinstance(v, np.ndarray) else v}" for k, v in sorted(kw.items())
    )
    return f"{name}[{shown}]"


CASES = list(all_cases())
INTEGER_TARGETS = {"sparse_categorical_cross_entropy"}
DTYPE_CAST = ("sample_weight", "pos_weight", "class_weight", "variance", "std", "log_variance")


def cast_case(name, y, pred, kw, dtype):
    """The case in ``dtype``: the prediction, float targets and array options."""
    kw = {
        k: (v.astype(dtype) if isinstance(v, np.ndarray) and k in (*DTYPE_CAST, "scale") else v)
        for k, v in kw.items()
    }
    y = y if name in INTEGER_TARGETS else y.astype(dtype)
    return y, pred.astype(dtype), kw


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_twin_equals_reference_in_float32(case):
    name, y, pred, kw = case
    y, pred, kw = cast_case(name, y, pred, kw, np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # float32 softmax rows: sums within tol
        expected = getattr(R, name)(y, pred, **kw)
        got = getattr(T, name)(tf.constant(y), tf.constant(pred), **kw)
    assert isinstance(got, tf.Tensor)
    assert got.dtype == tf.float32
    assert got.shape == np.shape(expected)
    np.testing.assert_allclose(got.numpy(), expected, rtol=RTOL32, atol=ATOL32)


# Every 5th case in float64 (5 and 3 are coprime, so the reductions rotate).
F64_CASES = CASES[::5]


@pytest.mark.parametrize("case", F64_CASES, ids=[case_id(c) for c in F64_CASES])
def test_twin_equals_reference_in_float64(case):
    name, y, pred, kw = case
    expected = getattr(R, name)(y, pred, **kw)
    got = getattr(T, name)(y, pred, **kw)  # NumPy inputs are accepted as they are
    assert got.dtype == tf.float64
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12, atol=1e-13)


# --------------------------------------------------------------------------- gradients

# Every option combination once, its reduction rotating through mean, sum and none.
GRAD_CASES = [CASES[3 * i + i % 3] for i in range(len(CASES) // 3)]


def tape_gradient(name, y, pred, kw):
    """d loss / d prediction by tf.GradientTape (``none`` differentiated through its sum)."""
    x = tf.Variable(pred)
    spread_name = next((k for k in ("variance", "std", "log_variance") if k in kw), None)
    if name == "laplace_nll":
        spread_name = "scale"
    kw = dict(kw)
    spread = None
    if spread_name is not None:
        spread = tf.Variable(np.asarray(kw[spread_name], dtype=pred.dtype))
        kw[spread_name] = spread
    with tf.GradientTape() as tape:
        loss = getattr(T, name)(y, x, **kw)
        total = tf.reduce_sum(loss)
    watched = [x] if spread is None else [x, spread]
    grads = tape.gradient(total, watched)
    return [g.numpy() for g in grads]


@pytest.mark.parametrize("case", GRAD_CASES, ids=[case_id(c) for c in GRAD_CASES])
def test_tape_gradient_equals_analytic_gradient(case):
    name, y, pred, kw = case
    expected = getattr(G, name)(y, pred, **kw)
    got = tape_gradient(name, y, pred, kw)
    if isinstance(expected, tuple):
        d_pred, d_spread = expected
        np.testing.assert_allclose(got[0], d_pred, rtol=1e-10, atol=1e-12)
        if d_spread is not None:
            if np.ndim(got[1]) == 0:
                d_spread = np.sum(d_spread)  # a scalar spread shared by every element
            np.testing.assert_allclose(got[1], d_spread, rtol=1e-10, atol=1e-12)
    else:
        np.testing.assert_allclose(got[0], expected, rtol=1e-10, atol=1e-12)


def test_gradient_of_bce_from_logits_is_sigmoid_minus_y():
    # d/dz BCE(y, sigmoid(z)) = sigmoid(z) - y, Chapter 4.
    z = tf.Variable([-3.0, 0.0, 2.0, 1e4, -1e4], dtype=tf.float64)
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    with tf.GradientTape() as tape:
        loss = T.binary_cross_entropy(y, z, from_logits=True, reduction="sum")
    expected = sigmoid(z.numpy()) - y
    np.testing.assert_allclose(tape.gradient(loss, z).numpy(), expected, atol=1e-15)
    assert np.isfinite(loss.numpy())
    np.testing.assert_allclose(
        loss.numpy(), R.binary_cross_entropy(y, z.numpy(), from_logits=True, reduction="sum")
    )


def test_probability_gradients_are_the_references_not_renormalised():
    # tfd.Categorical(probs=p) divides by sum(p); the twin undoes it, so d/dp = -y/p exactly.
    p = np.array([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]])
    labels = np.array([0, 2])
    x = tf.Variable(p)
    with tf.GradientTape() as tape:
        loss = T.sparse_categorical_cross_entropy(labels, x, reduction="sum")
    expected = np.zeros_like(p)
    expected[[0, 1], labels] = -1.0 / p[[0, 1], labels]
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), expected, rtol=1e-12)


# --------------------------------------------------------------------------- edge values


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_logits_stay_finite_and_exact(dtype):
    z = np.array([1e4, -1e4, 1e4, -1e4], dtype=dtype)
    y = np.array([1, 0, 0, 1])
    got = T.binary_cross_entropy(y, z, from_logits=True, reduction="none").numpy()
    np.testing.assert_array_equal(got, [0.0, 0.0, 1e4, 1e4])
    f = np.array([[1e4, 0.0, -1e4]], dtype=dtype)
    got = T.sparse_categorical_cross_entropy([2], f, from_logits=True).numpy()
    assert got == pytest.approx(2e4)


def test_probabilities_of_exactly_0_and_1_are_clipped_like_the_reference():
    y = np.array([1.0, 0.0, 1.0])
    p = np.array([0.0, 1.0, 1.0])
    got = T.binary_cross_entropy(y, p, reduction="none").numpy()
    expected = R.binary_cross_entropy(y, p, reduction="none")
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got[0] == pytest.approx(-np.log(np.finfo(np.float64).eps))


def test_poisson_rate_zero_is_finite_like_the_reference():
    y = np.array([0.0, 3.0])
    rate = np.array([0.0, 0.0])
    got = T.poisson_nll(y, rate, log_input=False, reduction="none").numpy()
    np.testing.assert_allclose(got, R.poisson_nll(y, rate, log_input=False, reduction="none"))
    assert got[0] == 0.0


def test_mse_keeps_relative_accuracy_for_tiny_residuals():
    y = np.array([1.0, 2.0], dtype=np.float32)
    pred = y + np.array([1e-4, -3e-5], dtype=np.float32)
    got = T.mean_squared_error(y, pred, reduction="none").numpy()
    np.testing.assert_allclose(got, R.mean_squared_error(y, pred, reduction="none"), rtol=1e-6)


def test_soft_binary_targets_are_the_expected_nll():
    q = np.array([0.2, 0.7, 1.0, 0.0])
    z = np.array([0.3, -1.2, 2.0, 0.5])
    got = T.binary_cross_entropy(q, z, from_logits=True, reduction="none").numpy()
    # E_{Y~q}[-log p(Y)] = -(q log sigmoid(z) + (1 - q) log sigmoid(-z))
    expected = -(q * np.log(sigmoid(z)) + (1 - q) * np.log(sigmoid(-z)))
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_categorical_and_sparse_agree_for_every_option():
    r = rng(11)
    f = r.normal(size=(6, 5))
    labels = r.integers(0, 5, 6)
    kw = dict(from_logits=True, class_weight=np.arange(1.0, 6.0), label_smoothing=0.15)
    dense = T.categorical_cross_entropy(np.eye(5)[labels], f, **kw)
    sparse = T.sparse_categorical_cross_entropy(labels, f, **kw)
    np.testing.assert_allclose(dense.numpy(), sparse.numpy(), rtol=1e-12)


def test_class_axis_first_like_pytorch():
    r = rng(12)
    f = r.normal(size=(3, 4, 2))  # (N, C, d1)
    labels = r.integers(0, 4, (3, 2))
    for kw in ({"from_logits": True}, {"from_logits": True, "label_smoothing": 0.1}):
        got = T.sparse_categorical_cross_entropy(labels, f, axis=1, reduction="none", **kw)
        expected = R.sparse_categorical_cross_entropy(labels, f, axis=1, reduction="none", **kw)
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)
        onehot = np.moveaxis(np.eye(4)[labels], -1, 1)
        got = T.categorical_cross_entropy(onehot, f, axis=1, reduction="none", **kw)
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)


# --------------------------------------------------------------------------- dtype and inputs


def test_float32_in_float32_out_and_integer_targets():
    z = np.array([0.5, -1.0], dtype=np.float32)
    assert T.binary_cross_entropy(np.array([1, 0]), z, from_logits=True).dtype == tf.float32
    assert T.binary_cross_entropy([True, False], z, from_logits=True).dtype == tf.float32
    assert T.poisson_nll(np.array([1, 2]), z).dtype == tf.float32
    assert T.mean_squared_error([1, 2], [1, 3]).dtype == tf.float64  # integers -> float64
    assert T.mean_squared_error([1.0], tf.constant([0.5], tf.float16)).dtype == tf.float32


def test_lists_are_float64_as_in_numpy():
    got = T.mean_absolute_error([1.0, 2.0], [0.5, 2.5])
    assert got.dtype == tf.float64
    assert float(got) == pytest.approx(0.5, rel=1e-15)  # |r| + log 2 - log 2, rounded


def test_works_inside_tf_function_and_gives_the_same_numbers():
    r = rng(13)
    f = r.normal(size=(5, 3)).astype(np.float32)
    labels = np.array([0, 2, 1, 1, 0])

    @tf.function
    def both(f):
        return (
            T.sparse_categorical_cross_entropy(
                labels, f, from_logits=True, label_smoothing=0.1, class_weight=[1.0, 2.0, 3.0]
            ),
            T.gaussian_nll(f[:, 0], f[:, 1], log_variance=f[:, 2]),
        )

    a, b = both(tf.constant(f))
    np.testing.assert_allclose(
        a.numpy(),
        R.sparse_categorical_cross_entropy(
            labels, f, from_logits=True, label_smoothing=0.1, class_weight=[1.0, 2.0, 3.0]
        ),
        rtol=RTOL32,
    )
    np.testing.assert_allclose(
        b.numpy(), R.gaussian_nll(f[:, 0], f[:, 1], log_variance=f[:, 2]), rtol=RTOL32
    )


def test_value_checks_are_skipped_inside_tf_function_like_validate_args():
    @tf.function
    def loss(y, p):
        return T.binary_cross_entropy(y, p)

    # Eagerly this is an error; in a graph the check is skipped and the clip applies.
    with pytest.raises(ValueError, match="probabilities"):
        T.binary_cross_entropy([1.0], [1.5])
    assert np.isfinite(loss(tf.constant([1.0]), tf.constant([1.5])).numpy())


# --------------------------------------------------------------------------- errors


BAD_INPUTS = [
    ("binary_cross_entropy", [1.0, 0.0], [0.2, 1.2], {}),
    ("binary_cross_entropy", [1.0, 2.0], [0.2, 0.5], {}),
    ("binary_cross_entropy", [1.0, 0.0], [np.nan, 0.5], {"from_logits": True}),
    ("binary_cross_entropy", [1.0, 0.0], [0.2, 0.5], {"label_smoothing": 1.5}),
    ("binary_cross_entropy", [1.0, 0.0], [0.2, 0.5], {"reduction": "avg"}),
    ("binary_cross_entropy", [1.0, 0.0], [0.2, 0.5], {"sample_weight": [1.0, -1.0]}),
    ("binary_cross_entropy", [1.0, 0.0], [0.2, 0.5], {"pos_weight": [1.0, 2.0, 3.0]}),
    ("binary_cross_entropy", [1.0, 0.0], [0.2, 0.5], {"from_logits": 1}),
    ("binary_cross_entropy", [[1.0], [0.0]], [0.2, 0.5], {}),
    ("binary_cross_entropy", [], [], {}),
    ("sparse_categorical_cross_entropy", [0, 3], [[0.1, 0.9], [0.5, 0.5]], {}),
    ("sparse_categorical_cross_entropy", [0, 0.5], [[0.1, 0.9], [0.5, 0.5]], {}),
    ("sparse_categorical_cross_entropy", [[0], [1]], [[0.1, 0.9], [0.5, 0.5]], {}),
    ("sparse_categorical_cross_entropy", [0, 1], [[0.1, 0.9], [0.5, 0.5]], {"axis": 2}),
    ("sparse_categorical_cross_entropy", [0, 1], [[0.1, 0.9], [0.5, 0.5]], {"ignore_index": 1.5}),
    (
        "sparse_categorical_cross_entropy",
        [-1, -1],
        [[0.1, 0.9], [0.5, 0.5]],
        {"ignore_index": -1},
    ),
    (
        "sparse_categorical_cross_entropy",
        [0, 1],
        [[0.1, 0.9], [0.5, 0.5]],
        {"class_weight": [1.0, 2.0, 3.0]},
    ),
    ("categorical_cross_entropy", [[1.0, 0.0]], [[0.2, 0.9]], {"from_logits": True, "axis": "x"}),
    ("categorical_cross_entropy", [[2.0, 0.0]], [[0.2, 0.8]], {}),
    ("mean_squared_error", [1.0, 2.0], [1.0, np.inf], {}),
    ("mean_squared_error", ["a"], [1.0], {}),
    ("mean_absolute_error", [1.0, 2.0], [[1.0, 2.0]], {}),
    ("gaussian_nll", [1.0], [0.0], {"variance": -1.0}),
    ("gaussian_nll", [1.0], [0.0], {"std": [1.0, 2.0]}),
    ("gaussian_nll", [1.0], [0.0], {"eps": 0.0}),
    ("gaussian_nll", [1.0], [0.0], {"full": "yes"}),
    ("poisson_nll", [1.5], [0.0], {}),
    ("poisson_nll", [-1.0], [0.0], {}),
    ("poisson_nll", [1.0], [-0.5], {"log_input": False}),
    ("laplace_nll", [1.0], [0.0], {"scale": 0.0}),
    # heavy tails, counts, positive targets: support, parameters and options (the same named
    # errors as the reference)
    ("student_t_nll", [1.0], [0.0], {"df": 0.0}),
    ("student_t_nll", [1.0], [0.0], {"df": 3.0, "scale": -1.0}),
    ("student_t_nll", [1.0, 2.0], [0.0, 0.0], {"df": [3.0, 4.0, 5.0]}),
    ("student_t_nll", [np.nan], [0.0], {"df": 3.0}),
    ("negative_binomial_nll", [1.5], [1.0], {"total_count": 2.0}),
    ("negative_binomial_nll", [-1.0], [1.0], {"total_count": 2.0}),
    ("negative_binomial_nll", [1.0], [0.0], {"total_count": 2.0}),
    ("negative_binomial_nll", [1.0], [1.0], {"total_count": 0.0}),
    ("negative_binomial_nll", [[1.0], [2.0]], [1.0, 2.0], {"total_count": 2.0}),
    ("gamma_nll", [0.0], [1.0], {"concentration": 2.0}),
    ("gamma_nll", [1.0], [-1.0], {"concentration": 2.0}),
    ("gamma_nll", [1.0], [1.0], {"concentration": -2.0}),
    ("lognormal_nll", [-1.0], [0.0], {}),
    ("lognormal_nll", [1.0], [0.0], {"scale": 0.0}),
    ("huber_loss", [1.0], [0.0], {"delta": 0.0}),
    ("huber_loss", [1.0], [0.0], {"delta": "1"}),
    ("huber_loss", [1.0], [np.inf], {}),
    ("pinball_loss", [1.0], [0.0], {"quantile": 1.0}),
    ("pinball_loss", [1.0], [0.0], {"quantile": None}),
    ("pinball_loss", [1.0], [0.0], {"sample_weight": [-1.0]}),
    ("binary_focal_loss", [1.0], [1.2], {}),
    ("binary_focal_loss", [2.0], [0.5], {}),
    ("binary_focal_loss", [1.0], [0.5], {"gamma": -1.0}),
    ("binary_focal_loss", [1.0], [0.5], {"alpha": 1.5}),
    ("binary_focal_loss", [1.0], [0.5], {"from_logits": "no"}),
    ("binary_focal_loss", [[1.0]], [0.5], {}),
]


@pytest.mark.parametrize(
    "name, y, pred, kw", BAD_INPUTS, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_INPUTS)]
)
def test_errors_match_the_reference(name, y, pred, kw):
    with pytest.raises((ValueError, TypeError)) as ref:
        getattr(R, name)(y, pred, **kw)
    with pytest.raises(ref.type) as twin:
        getattr(T, name)(y, pred, **kw)
    assert str(twin.value) == str(ref.value)


def test_gaussian_nll_takes_at_most_one_spread():
    with pytest.raises(ValueError, match="at most one of variance, std, log_variance; got "):
        T.gaussian_nll([1.0], [0.0], variance=1.0, std=1.0)


def test_n1_against_n_is_an_error_even_in_a_graph():
    @tf.function(input_signature=[tf.TensorSpec([None, 1]), tf.TensorSpec([None])])
    def loss(y, z):
        return T.binary_cross_entropy(y, z, from_logits=True)

    with pytest.raises(ValueError, match="must have the same shape"):
        loss.get_concrete_function()


def test_unnormalised_probability_rows_warn_and_are_used_as_given():
    p = np.array([[0.5, 0.3, 0.1]])
    with pytest.warns(UserWarning, match="sum to 1"):
        got = T.sparse_categorical_cross_entropy([0], p)
    assert float(got) == pytest.approx(-np.log(0.5), rel=1e-12)


# --------------------------------------------------------------------------- Keras built-ins


def keras_data(seed: int = 21):
    r = rng(seed)
    z = r.normal(scale=2.0, size=(64, 3)).astype(np.float32)
    y = (r.random((64, 3)) < 0.4).astype(np.float32)
    f = r.normal(scale=2.0, size=(64, 5)).astype(np.float32)
    labels = r.integers(0, 5, 64)
    return z, y, f, labels


@pytest.mark.parametrize("ls", [0.0, 0.1])
def test_bce_from_logits_equals_keras(ls):
    z, y, _, _ = keras_data()
    expected = keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=ls)(y, z)
    got = T.binary_cross_entropy(y, z, from_logits=True, label_smoothing=ls)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=RTOL32)


@pytest.mark.parametrize("ls", [0.0, 0.1])
def test_categorical_ce_equals_keras(ls):
    _, _, f, labels = keras_data()
    onehot = np.eye(5, dtype=np.float32)[labels]
    expected = keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=ls)(onehot, f)
    got = T.categorical_cross_entropy(onehot, f, from_logits=True, label_smoothing=ls)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=RTOL32)


def test_sparse_ce_equals_keras():
    _, _, f, labels = keras_data()
    expected = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, f)
    got = T.sparse_categorical_cross_entropy(labels, f, from_logits=True)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=RTOL32)
    probs = softmax(f.astype(np.float64)).astype(np.float32)
    expected = keras.losses.SparseCategoricalCrossentropy()(labels, probs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        got = T.sparse_categorical_cross_entropy(labels, probs)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-4)


def test_sample_weighted_mean_equals_keras_mean_with_sample_weight():
    # Keras's default "sum_over_batch_size" divides by N, not by the sum of the weights.
    z, y, _, _ = keras_data()
    w = rng(22).random(64).astype(np.float32)
    y1, z1 = y[:, 0], z[:, 0]
    ours = T.binary_cross_entropy(y1, z1, from_logits=True, sample_weight=w)
    weighted_mean = keras.losses.BinaryCrossentropy(
        from_logits=True, reduction="mean_with_sample_weight"
    )(y1[:, None], z1[:, None], sample_weight=w)
    np.testing.assert_allclose(ours.numpy(), weighted_mean.numpy(), rtol=RTOL32)
    over_batch = keras.losses.BinaryCrossentropy(from_logits=True)(
        y1[:, None], z1[:, None], sample_weight=w
    )
    np.testing.assert_allclose(over_batch.numpy(), ours.numpy() * w.sum() / w.size, rtol=RTOL32)


def test_mse_and_mae_equal_keras():
    r = rng(23)
    y = r.normal(size=(32, 2)).astype(np.float32)
    pred = r.normal(size=(32, 2)).astype(np.float32)
    np.testing.assert_allclose(
        T.mean_squared_error(y, pred).numpy(),
        keras.losses.MeanSquaredError()(y, pred).numpy(),
        rtol=RTOL32,
    )
    np.testing.assert_allclose(
        T.mean_absolute_error(y, pred).numpy(),
        keras.losses.MeanAbsoluteError()(y, pred).numpy(),
        rtol=RTOL32,
    )


def test_poisson_equals_keras_up_to_its_1e_7():
    # keras.losses.Poisson = mean(rate - y log(rate + 1e-7)): our full=False NLL from rates.
    r = rng(24)
    rate = r.gamma(2.0, 1.5, size=(32, 2)).astype(np.float32)
    counts = r.poisson(rate).astype(np.float32)
    ours = T.poisson_nll(counts, rate, log_input=False, full=False)
    theirs = keras.losses.Poisson()(counts, rate)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5)


def test_where_keras_differs_its_1e_7_clipping_of_probabilities():
    """Keras clips probabilities to [1e-7, 1 - 1e-7]; we clip at the dtype's eps.

    In float64 a confident wrong prediction p = 1e-9 costs -log(1e-9) = 20.7 here, but Keras
    reports -log(1e-7) = 16.1 and its gradient is 0: the clip hides how wrong the model is.
    In float32 the two caps almost coincide (eps = 1.19e-7 vs 1e-7).
    """
    y = np.array([1.0])
    p = np.array([1e-9])
    ours = T.binary_cross_entropy(y, p).numpy()
    theirs = keras.losses.BinaryCrossentropy()(y[:, None], p[:, None]).numpy()
    assert ours == pytest.approx(-np.log(1e-9), rel=1e-12)
    assert theirs == pytest.approx(-np.log(1e-7), rel=1e-6)

    x = tf.Variable(p)
    with tf.GradientTape(persistent=True) as tape:
        ours_loss = T.binary_cross_entropy(y, x)
        theirs_loss = keras.losses.BinaryCrossentropy()(y[:, None], x[:, None])
    assert tape.gradient(ours_loss, x).numpy()[0] == pytest.approx(-1e9, rel=1e-9)
    assert tape.gradient(theirs_loss, x).numpy()[0] == 0.0

    # float32: the twin's cap is -log(eps32) = 15.94, Keras's -log(1e-7) = 16.12.
    ours32 = T.binary_cross_entropy(np.float32([1.0]), np.float32([0.0])).numpy()
    theirs32 = keras.losses.BinaryCrossentropy()(np.float32([[1.0]]), np.float32([[0.0]]))
    assert ours32 == pytest.approx(-np.log(np.finfo(np.float32).eps), rel=1e-6)
    assert float(theirs32) == pytest.approx(-np.log(1e-7), rel=1e-5)


def test_keras_renormalises_probabilities_the_twin_does_not():
    p = np.array([[0.5, 0.3, 0.1]], dtype=np.float32)  # sums to 0.9
    onehot = np.array([[1.0, 0.0, 0.0]], dtype=np.float32)
    theirs = keras.losses.CategoricalCrossentropy()(onehot, p).numpy()
    with pytest.warns(UserWarning):
        ours = T.categorical_cross_entropy(onehot, p).numpy()
    assert ours == pytest.approx(-np.log(0.5), rel=1e-6)
    assert theirs == pytest.approx(-np.log(0.5 / 0.9), rel=1e-5)


# --------------------------------------------------------------------------- full=False precision
# full=False drops a constant; computing it as "full NLL minus the constant" lost the digits of
# small losses (issue 10: 4.77e-07 instead of 5.0e-07, 0.0 instead of 5e-19). Expected values:
# the exact formulas ½ (y - μ)² / σ² + ½ log σ² and |y - μ| / b + log b at σ² = b = 1.


@pytest.mark.parametrize(("dtype", "y"), [(np.float32, 1e-3), (np.float64, 1e-9)])
def test_full_false_keeps_the_digits_of_small_losses(dtype, y):
    y_true, zero = np.array([y], dtype), np.zeros(1, dtype)
    gauss = T.gaussian_nll(y_true, zero, variance=1.0, full=False)
    np.testing.assert_allclose(gauss.numpy(), 0.5 * y**2, rtol=4 * np.finfo(dtype).eps)
    laplace = T.laplace_nll(y_true, zero, full=False)
    np.testing.assert_allclose(laplace.numpy(), y, rtol=4 * np.finfo(dtype).eps)
    mae = T.mean_absolute_error(y_true, zero)
    np.testing.assert_allclose(mae.numpy(), y, rtol=4 * np.finfo(dtype).eps)
    poisson = T.poisson_nll(np.zeros(1, dtype), np.array([y], dtype), full=False)  # e^η - 0
    np.testing.assert_allclose(poisson.numpy(), np.exp(np.float64(y)), rtol=4 * np.finfo(dtype).eps)


def test_soft_label_near_one_does_not_cancel_in_the_twin():
    # torch 2.13.0 F.binary_cross_entropy_with_logits(tensor([1e4]), tensor([0.9999]),
    # reduction="none") -> 1.0001659393310547 (float32), as the reference
    y, z = np.array([0.9999], np.float32), np.array([1e4], np.float32)
    out = T.binary_cross_entropy(y, z, from_logits=True, reduction="none")
    np.testing.assert_allclose(out.numpy(), [1.0001659393310547], rtol=2e-7)
