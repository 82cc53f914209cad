"""The Student-t, negative-binomial, Gamma, log-normal, Huber, pinball and focal losses of
the TFP twin equal the NumPy reference, its gradients, SciPy and Keras.

Expected values come from :mod:`mlecourse.losses` (the reference), :mod:`mlecourse.gradients`
(the analytic gradients), SciPy 1.x log-densities (``stats.t``, ``nbinom``, ``gamma``,
``lognorm``, ``norm``, ``poisson``), scikit-learn's ``mean_pinball_loss`` and ``keras.losses``
3.x (``Huber``, ``BinaryFocalCrossentropy``), each named where it is used. Tolerances: float64
``rtol=1e-10`` (the twins evaluate different but equivalent formulas), float32 ``rtol=1e-5``
with an ``atol`` of a few float32 ulps of the loss's size.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats
from scipy.special import expit

from mlecourse import gradients as G
from mlecourse import losses as R

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
T = pytest.importorskip("mlecourse.tfp.losses")
sk_metrics = pytest.importorskip("sklearn.metrics")

pytestmark = pytest.mark.tf

REDUCTIONS = ("mean", "sum", "none")
RTOL64, ATOL64 = 1e-10, 1e-12
RTOL32, ATOL32 = 1e-5, 1e-5
SHAPE = (5, 3)
PARAMS = {  # the distribution parameter of each loss (cast with the prediction's dtype)
    "student_t_nll": ("df", "scale"),
    "negative_binomial_nll": ("total_count",),
    "gamma_nll": ("concentration",),
    "lognormal_nll": ("scale",),
}


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


# --------------------------------------------------------------------------- the option matrix
# Each case: (name, y_true, prediction, kwargs); arrays are float64 and cast to the dtype under
# test. Parameters are tried as a scalar and as an array of the prediction's shape.


def _with_weights_and_reductions(name, y, pred, params, sw):
    for param, use_sw, red in itertools.product(params, (False, True), REDUCTIONS):
        kw = dict(param, reduction=red)
        if use_sw:
            kw["sample_weight"] = sw
        yield name, y, pred, kw


def _student_t_cases():
    r = rng(31)
    y = r.standard_t(3.0, size=SHAPE) * 2.0
    loc = r.normal(size=SHAPE)
    df, scale = r.uniform(0.5, 30.0, SHAPE), r.uniform(0.2, 3.0, SHAPE)
    params = ({"df": 3.0}, {"df": df, "scale": 1.5}, {"df": df, "scale": scale})
    yield from _with_weights_and_reductions("student_t_nll", y, loc, params, r.random(SHAPE))


def _negative_binomial_cases():
    r = rng(32)
    counts = r.negative_binomial(2.0, 0.3, size=SHAPE).astype(float)
    counts[0, :2] = [0.0, 60.0]
    mean = r.uniform(0.1, 10.0, SHAPE)
    total = r.uniform(0.05, 50.0, SHAPE)
    params = ({"total_count": 2.5}, {"total_count": total})
    yield from _with_weights_and_reductions(
        "negative_binomial_nll", counts, mean, params, r.random(SHAPE)
    )


def _gamma_cases():
    r = rng(33)
    y = r.gamma(2.0, 1.5, size=SHAPE)
    mean = r.uniform(0.2, 5.0, SHAPE)
    params = ({"concentration": 2.0}, {"concentration": r.uniform(0.1, 20.0, SHAPE)})
    yield from _with_weights_and_reductions("gamma_nll", y, mean, params, r.random(SHAPE))


def _lognormal_cases():
    r = rng(34)
    y = r.lognormal(0.3, 0.8, size=SHAPE)
    loc = r.normal(size=SHAPE)
    params = ({}, {"scale": 0.4}, {"scale": r.uniform(0.2, 2.0, SHAPE)})
    yield from _with_weights_and_reductions("lognormal_nll", y, loc, params, r.random(SHAPE))


def _huber_cases():
    r = rng(35)
    y = r.normal(size=SHAPE)
    pred = y + r.standard_t(2.0, size=SHAPE)  # small and large residuals: both pieces
    params = ({}, {"delta": 0.3}, {"delta": 2.0})
    yield from _with_weights_and_reductions("huber_loss", y, pred, params, r.random(SHAPE))


def _pinball_cases():
    r = rng(36)
    y = r.gamma(2.0, size=SHAPE)
    pred = r.uniform(0.0, 4.0, SHAPE)
    params = ({}, {"quantile": 0.1}, {"quantile": 0.9})
    yield from _with_weights_and_reductions("pinball_loss", y, pred, params, r.random(SHAPE))


def _focal_cases():
    r = rng(37)
    z = r.normal(scale=2.0, size=SHAPE)
    hard = (r.random(SHAPE) < 0.4).astype(float)
    soft = r.random(SHAPE)
    sw = r.random(SHAPE)
    for labels, from_logits, (g, alpha) in itertools.product(
        (hard, soft), (True, False), ((2.0, None), (0.0, None), (1.5, 0.25), (3.0, 0.8))
    ):
        pred = z if from_logits else expit(z)
        param = {"gamma": g, "alpha": alpha, "from_logits": from_logits}
        yield from _with_weights_and_reductions("binary_focal_loss", labels, pred, [param], sw)


def all_cases():
    for gen in (
        _student_t_cases,
        _negative_binomial_cases,
        _gamma_cases,
        _lognormal_cases,
        _huber_cases,
        _pinball_cases,
        _focal_cases,
    ):
        yield from gen()


def case_id(case) -> str:
    name, _, _, kw = case
    shown = ",".join(
        f"{k}={'arr' if isinstance(v, np.ndarray) else v}" for k, v in sorted(kw.items())
    )
    return f"{name}[{shown}]"


CASES = list(all_cases())


def cast_case(y, pred, kw, dtype):
    """The case in ``dtype``: targets, prediction and array-valued options."""
    kw = {k: (v.astype(dtype) if isinstance(v, np.ndarray) else v) for k, v in kw.items()}
    return y.astype(dtype), pred.astype(dtype), kw


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_twin_equals_reference_in_float64(case):
    name, y, pred, kw = case
    expected = getattr(R, name)(y, pred, **kw)
    got = getattr(T, name)(y, pred, **kw)
    assert got.dtype == tf.float64
    assert got.shape == np.shape(expected)
    np.testing.assert_allclose(got.numpy(), expected, rtol=RTOL64, atol=ATOL64)


# Every 2nd case in float32 (the reductions rotate: 3 is odd).
F32_CASES = CASES[::2]


@pytest.mark.parametrize("case", F32_CASES, ids=[case_id(c) for c in F32_CASES])
def test_twin_equals_reference_in_float32(case):
    name, y, pred, kw = case
    y, pred, kw = cast_case(y, pred, kw, np.float32)
    expected = getattr(R, name)(y, pred, **kw)
    got = getattr(T, name)(tf.constant(y), tf.constant(pred), **kw)
    assert got.dtype == tf.float32
    np.testing.assert_allclose(got.numpy(), expected, rtol=RTOL32, atol=ATOL32)


# --------------------------------------------------------------------------- SciPy and limits


def test_nlls_equal_scipy_log_densities():
    r = rng(40)
    y = r.normal(size=20)
    loc, df, scale = r.normal(size=20), r.uniform(0.5, 20.0, 20), r.uniform(0.3, 2.0, 20)
    got = T.student_t_nll(y, loc, df=df, scale=scale, reduction="none").numpy()
    np.testing.assert_allclose(got, -stats.t.logpdf(y, df, loc, scale), rtol=RTOL64)

    counts = r.poisson(5.0, size=20).astype(float)
    mu, total = r.uniform(0.5, 10.0, 20), r.uniform(0.1, 30.0, 20)
    got = T.negative_binomial_nll(counts, mu, total_count=total, reduction="none").numpy()
    expected = -stats.nbinom.logpmf(counts, total, total / (total + mu))  # mean mu
    np.testing.assert_allclose(got, expected, rtol=RTOL64)

    pos = r.gamma(2.0, size=20)
    shape = r.uniform(0.2, 10.0, 20)
    got = T.gamma_nll(pos, mu, concentration=shape, reduction="none").numpy()
    np.testing.assert_allclose(got, -stats.gamma.logpdf(pos, shape, scale=mu / shape), rtol=RTOL64)

    got = T.lognormal_nll(pos, loc, scale=scale, reduction="none").numpy()
    expected = -stats.lognorm.logpdf(pos, scale, scale=np.exp(loc))
    np.testing.assert_allclose(got, expected, rtol=RTOL64)


def test_student_t_tends_to_the_gaussian():
    r = rng(41)
    y, loc = r.normal(size=10), r.normal(size=10)
    got = T.student_t_nll(y, loc, df=1e10, scale=0.7, reduction="none").numpy()
    gaussian = -stats.norm.logpdf(y, loc, 0.7)  # the limit ν → ∞
    np.testing.assert_allclose(got, gaussian, rtol=1e-8)


def test_negative_binomial_tends_to_the_poisson():
    counts = np.array([0.0, 1.0, 3.0, 8.0, 20.0])
    mu = np.array([0.5, 1.0, 2.5, 7.0, 15.0])
    got = T.negative_binomial_nll(counts, mu, total_count=1e10, reduction="none").numpy()
    poisson = -stats.poisson.logpmf(counts, mu)  # the limit r → ∞
    np.testing.assert_allclose(got, poisson, rtol=1e-8)


def test_pinball_equals_sklearn_mean_pinball_loss():
    r = rng(42)
    y, pred, w = r.gamma(2.0, size=40), r.uniform(0.0, 4.0, 40), r.random(40)
    for tau in (0.1, 0.5, 0.9):
        expected = sk_metrics.mean_pinball_loss(y, pred, alpha=tau, sample_weight=w)
        got = T.pinball_loss(y, pred, quantile=tau, sample_weight=w)
        assert float(got) == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------- Keras built-ins


@pytest.mark.parametrize("delta", [0.5, 1.0, 2.5])
def test_huber_equals_keras_huber(delta):
    r = rng(43)
    y = r.normal(size=(32, 2)).astype(np.float32)
    pred = (y + r.standard_t(2.0, size=(32, 2))).astype(np.float32)
    expected = keras.losses.Huber(delta=delta)(y, pred)  # Keras 3: mean over every element
    got = T.huber_loss(y, pred, delta=delta)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=RTOL32)


def _focal_data(soft: bool, from_logits: bool):
    r = rng(44 + 2 * soft + from_logits)
    z = r.normal(scale=2.0, size=(32, 3)).astype(np.float32)  # |z| < 9: Keras's 1e-7 clip idle
    y = r.random((32, 3)) if soft else (r.random((32, 3)) < 0.4)
    return y.astype(np.float32), (z if from_logits else expit(z).astype(np.float32))


@pytest.mark.parametrize("alpha", [None, 0.25, 0.7])
@pytest.mark.parametrize("gamma", [0.0, 2.0, 3.5])
@pytest.mark.parametrize("from_logits", [True, False], ids=["logits", "probs"])
@pytest.mark.parametrize("soft", [False, True], ids=["hard", "soft"])
def test_focal_equals_keras_binary_focal_crossentropy(soft, from_logits, gamma, alpha):
    # Keras 3.15 BinaryFocalCrossentropy: (1 - p_t)**gamma * BCE, p_t = y p + (1 - y)(1 - p),
    # times y alpha + (1 - y)(1 - alpha) when apply_class_balancing=True.
    y, pred = _focal_data(soft, from_logits)
    theirs = keras.losses.BinaryFocalCrossentropy(
        apply_class_balancing=alpha is not None,
        alpha=0.25 if alpha is None else alpha,
        gamma=gamma,
        from_logits=from_logits,
    )(y, pred)
    ours = T.binary_focal_loss(y, pred, gamma=gamma, alpha=alpha, from_logits=from_logits)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=RTOL32)


@pytest.mark.parametrize("from_logits", [True, False])
def test_focal_with_gamma_0_is_the_cross_entropy(from_logits):
    y, pred = _focal_data(soft=True, from_logits=from_logits)
    y, pred = y.astype(np.float64), pred.astype(np.float64)
    focal = T.binary_focal_loss(y, pred, gamma=0.0, from_logits=from_logits, reduction="none")
    bce = T.binary_cross_entropy(y, pred, from_logits=from_logits, reduction="none")
    np.testing.assert_allclose(focal.numpy(), bce.numpy(), rtol=1e-15)


# --------------------------------------------------------------------------- gradients

# One case in three, the reductions rotating.
GRAD_CASES = [CASES[3 * i + i % 3] for i in range(len(CASES) // 3)]


def tape_gradients(name, y, pred, kw):
    """d loss / d prediction and d loss / d parameters (``none``: through its sum)."""
    x = tf.Variable(pred)
    kw = dict(kw)
    names = [p for p in PARAMS.get(name, ()) if p in kw]
    variables = {p: tf.Variable(np.asarray(kw[p], dtype=pred.dtype)) for p in names}
    kw.update(variables)
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(getattr(T, name)(y, x, **kw))
    grads = tape.gradient(total, [x, *variables.values()])
    return [g.numpy() for g in grads], names


@pytest.mark.parametrize("case", GRAD_CASES, ids=[case_id(c) for c in GRAD_CASES])
def test_tape_gradient_equals_analytic_gradient(case):
    name, y, pred, kw = case
    expected = getattr(G, name)(y, pred, **kw)
    got, names = tape_gradients(name, y, pred, kw)
    if not isinstance(expected, tuple):
        expected = (expected,)
    order = {"student_t_nll": ("df", "scale")}.get(name, PARAMS.get(name, ()))
    by_name = dict(zip(order, expected[1:], strict=True))
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-9, atol=1e-12)
    for param, value in zip(names, got[1:], strict=True):
        reference = by_name[param]
        if np.ndim(value) == 0:
            reference = np.sum(reference)  # a scalar parameter shared by every element
        np.testing.assert_allclose(value, reference, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_focal_from_huge_logits_is_finite_with_finite_gradients(dtype):
    z = tf.Variable(np.array([1e4, -1e4, 1e4, -1e4, 0.0], dtype=dtype))
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.5], dtype=dtype)
    with tf.GradientTape() as tape:
        loss = T.binary_focal_loss(y, z, gamma=2.0, from_logits=True, reduction="none")
        total = tf.reduce_sum(loss)
    grad = tape.gradient(total, z).numpy()
    # easy examples: 0; confidently wrong: (1 - p_t)^γ ≈ 1 times the BCE |z|
    np.testing.assert_allclose(loss.numpy()[:4], [0.0, 0.0, 1e4, 1e4], rtol=1e-6)
    np.testing.assert_allclose(
        loss.numpy(), R.binary_focal_loss(y, z.numpy(), from_logits=True, reduction="none"),
        rtol=1e-6,
    )  # fmt: skip
    assert np.isfinite(grad).all()
    expected = G.binary_focal_loss(y, z.numpy(), from_logits=True, reduction="sum")
    np.testing.assert_allclose(grad, expected, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- dtype, graph, errors


def test_float32_in_float32_out_and_integer_counts():
    m = np.array([1.5, 2.0], dtype=np.float32)
    assert T.negative_binomial_nll(np.array([1, 3]), m, total_count=2.0).dtype == tf.float32
    assert T.gamma_nll([1.0, 2.0], m, concentration=2.0).dtype == tf.float32
    assert T.lognormal_nll([1.0, 2.0], m).dtype == tf.float32
    assert T.student_t_nll([1.0, 2.0], m, df=3.0).dtype == tf.float32
    assert T.huber_loss([1.0, 2.0], m).dtype == tf.float32
    assert T.pinball_loss([1.0, 2.0], m, quantile=0.2).dtype == tf.float32
    assert T.binary_focal_loss([True, False], m, from_logits=True).dtype == tf.float32


def test_losses_work_inside_tf_function_as_keras_does():
    r = rng(45)
    f = r.uniform(0.5, 3.0, size=(6, 3)).astype(np.float32)
    counts = r.poisson(2.0, size=6).astype(np.float32)

    @tf.function
    def losses(f):
        return (
            T.negative_binomial_nll(counts, f[:, 0], total_count=f[:, 1]),
            T.student_t_nll(f[:, 2], f[:, 0], df=f[:, 1], scale=0.5),
            T.binary_focal_loss(counts > 1, f[:, 0] - 1.5, from_logits=True, alpha=0.3),
        )

    nb, t, focal = losses(tf.constant(f))
    np.testing.assert_allclose(
        nb.numpy(), R.negative_binomial_nll(counts, f[:, 0], total_count=f[:, 1]), rtol=RTOL32
    )
    np.testing.assert_allclose(
        t.numpy(), R.student_t_nll(f[:, 2], f[:, 0], df=f[:, 1], scale=0.5), rtol=RTOL32
    )
    expected = R.binary_focal_loss(counts > 1, f[:, 0] - 1.5, from_logits=True, alpha=0.3)
    np.testing.assert_allclose(focal.numpy(), expected, rtol=RTOL32)


def test_gamma_float32_accuracy_for_large_shapes_is_as_documented():
    # The docstring: TFP's Gamma log_prob cancels terms of size a log a, so in float32 its
    # absolute error is about eps * a * log(a); the reference keeps ~1e-6. Truth: SciPy, float64.
    y = np.array([0.1, 1.0, 10.0, 1e4], dtype=np.float32)
    mean = np.array([0.2, 1.0, 8.0, 1e4], dtype=np.float32)
    for a in (10.0, 1e3):
        truth = -stats.gamma.logpdf(y.astype(float), a, scale=mean.astype(float) / a)
        got = T.gamma_nll(y, mean, concentration=np.float32(a), reduction="none").numpy()
        bound = 4 * np.finfo(np.float32).eps * a * np.log(a)
        assert np.max(np.abs(got - truth)) < bound
        in_float64 = T.gamma_nll(y.astype(float), mean.astype(float), concentration=a,
                                 reduction="none")  # fmt: skip
        np.testing.assert_allclose(in_float64.numpy(), truth, rtol=1e-12)


def test_where_keras_focal_differs_it_clips_probabilities_at_1e_7_not_logits():
    # Keras 3.15 BinaryFocalCrossentropy on the TensorFlow backend: from logits, its BCE
    # recovers the logit from the sigmoid (no clip), so a confidently wrong logit of 20 costs
    # log(1 + e^20) = 20.000000002 in both; from a probability it clips to [1e-7, 1 - 1e-7],
    # so p = 1e-9 for y = 1 costs -log(1e-7) = 16.12 there and -log(1e-9) = 20.72 here (float64;
    # the factor (1 - p)^2 is 1 to 1e-7).
    y, z = np.zeros((1, 1), np.float32), np.full((1, 1), 20.0, np.float32)
    theirs = keras.losses.BinaryFocalCrossentropy(gamma=2.0, from_logits=True)(y, z)
    ours = T.binary_focal_loss(y, z, gamma=2.0, from_logits=True)
    exact = np.logaddexp(0.0, 20.0) * expit(20.0) ** 2
    assert float(theirs) == pytest.approx(exact, rel=1e-6)
    assert float(ours) == pytest.approx(exact, rel=1e-6)
    theirs = keras.losses.BinaryFocalCrossentropy(gamma=2.0)(np.ones((1, 1)), np.full((1, 1), 1e-9))
    ours = T.binary_focal_loss(np.ones(1), np.full(1, 1e-9), gamma=2.0)
    assert float(theirs) == pytest.approx(-np.log(1e-7), rel=1e-5)
    assert float(ours) == pytest.approx(-np.log(1e-9) * (1 - 1e-9) ** 2, rel=1e-12)
